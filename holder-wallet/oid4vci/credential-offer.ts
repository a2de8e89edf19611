import { UrbisError } from '../../core/errors/urbis-error.js';
import { checkCredentialIssuerId } from './issuer-url.js';

/**
 * Credential Offers as the wallet reads them (OID4VCI 1.0 §4.1.1). The
 * wallet redeems the Pre-Authorized Code Flow only, so an offer without that
 * grant is refused here, before anything is fetched.
 */

/** The grant type of the Pre-Authorized Code Flow (OID4VCI 1.0 §3.5). */
export const PRE_AUTHORIZED_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** Most configurations one offer may name. */
export const MAX_OFFERED_CONFIGURATIONS = 32;

/** What the wallet shows when it asks for the Transaction Code (§4.1.1 `tx_code`). */
export interface TxCodeDescription {
  /** Number of characters of the code. */
  length?: number;
  /** `numeric` (the default) or `text`. */
  input_mode?: 'numeric' | 'text';
  /** Where the code comes from, as the issuer words it (at most 300 characters). */
  description?: string;
}

/** The pre-authorized code grant of an offer. */
export interface PreAuthorizedCodeGrant {
  'pre-authorized_code': string;
  /** Present when the Token Request must carry a `tx_code`. */
  tx_code?: TxCodeDescription;
  /** The Authorization Server to use, when the issuer lists several. */
  authorization_server?: string;
}

/** A Credential Offer the wallet can redeem. */
export interface CredentialOffer {
  credential_issuer: string;
  credential_configuration_ids: string[];
  grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: PreAuthorizedCodeGrant };
}

/**
 * Validates a Credential Offer object (by value, or fetched by reference)
 * and returns its known members only (unknown ones are ignored, §4.1.1).
 *
 * @throws UrbisError `BODY_INVALID`: not an object; `credential_issuer` not
 *   an https (or loopback http) URL without query or fragment; configuration
 *   ids not a non-empty array of unique strings; no pre-authorized code
 *   grant; a malformed `tx_code`.
 *
 * @example
 * ```ts
 * const offer = parseCredentialOffer(JSON.parse(text));
 * offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'].tx_code; // { length: 6, input_mode: 'numeric' }
 * ```
 */
export function parseCredentialOffer(value: unknown): CredentialOffer {
  const problem = (message: string): UrbisError => new UrbisError('BODY_INVALID', `credential offer: ${message}`);
  if (!isObject(value)) throw problem('not a JSON object');
  const credentialIssuer = checkCredentialIssuerId({ value: value.credential_issuer });
  const ids = value.credential_configuration_ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_OFFERED_CONFIGURATIONS) {
    throw problem(`credential_configuration_ids is an array of 1 to ${MAX_OFFERED_CONFIGURATIONS} ids`);
  }
  if (!ids.every((id): id is string => typeof id === 'string' && id !== '' && id.length <= 200)) throw problem('configuration ids are non-empty strings');
  if (new Set(ids).size !== ids.length) throw problem('configuration ids are unique');
  if (!isObject(value.grants)) throw problem('grants is required: this wallet redeems pre-authorized code offers');
  const grant = value.grants[PRE_AUTHORIZED_CODE_GRANT_TYPE];
  if (!isObject(grant)) throw problem('the offer has no pre-authorized code grant');
  const code = grant['pre-authorized_code'];
  if (typeof code !== 'string' || code === '' || code.length > 4096) throw problem('pre-authorized_code is a non-empty string');
  const parsed: PreAuthorizedCodeGrant = { 'pre-authorized_code': code };
  if (grant.tx_code !== undefined) parsed.tx_code = parseTxCode(grant.tx_code, problem);
  if (grant.authorization_server !== undefined) {
    if (typeof grant.authorization_server !== 'string' || grant.authorization_server === '') throw problem('authorization_server is a string');
    parsed.authorization_server = grant.authorization_server;
  }
  return { credential_issuer: credentialIssuer, credential_configuration_ids: [...ids], grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: parsed } };
}

/**
 * Checks a Transaction Code typed by the citizen against the offer's
 * description before it is sent, so that a typo does not spend one of the
 * issuer's few attempts: digits only for `numeric` (the default), the
 * announced length when there is one.
 *
 * @throws UrbisError `TX_CODE_INVALID`
 */
export function checkTxCodeInput({ txCode, description }: { txCode: string; description: TxCodeDescription }): void {
  if (typeof txCode !== 'string' || txCode === '' || txCode.length > 64) throw new UrbisError('TX_CODE_INVALID', 'the transaction code is a non-empty string');
  if ((description.input_mode ?? 'numeric') === 'numeric' && !/^[0-9]+$/.test(txCode)) {
    throw new UrbisError('TX_CODE_INVALID', 'this transaction code has digits only');
  }
  if (description.length !== undefined && [...txCode].length !== description.length) {
    throw new UrbisError('TX_CODE_INVALID', `this transaction code has ${description.length} characters`);
  }
}

function parseTxCode(value: unknown, problem: (message: string) => UrbisError): TxCodeDescription {
  if (!isObject(value)) throw problem('tx_code is an object');
  const out: TxCodeDescription = {};
  if (value.length !== undefined) {
    if (!Number.isSafeInteger(value.length) || (value.length as number) < 1 || (value.length as number) > 64) throw problem('tx_code.length is an integer from 1 to 64');
    out.length = value.length as number;
  }
  if (value.input_mode !== undefined) {
    if (value.input_mode !== 'numeric' && value.input_mode !== 'text') throw problem('tx_code.input_mode is numeric or text');
    out.input_mode = value.input_mode;
  }
  if (value.description !== undefined) {
    if (typeof value.description !== 'string' || value.description.length > 300) throw problem('tx_code.description is a string of at most 300 characters');
    out.description = value.description;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
