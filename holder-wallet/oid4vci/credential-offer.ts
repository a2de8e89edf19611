import { UrbisError } from '../../core/errors/urbis-error.js';
import {
  PRE_AUTHORIZED_CODE_GRANT_TYPE,
  checkConfigurationIds,
  checkPreAuthorizedCodeGrant,
  type CredentialOffer as CoreCredentialOffer,
  type PreAuthorizedCodeGrant,
  type TxCodeDescription,
} from '../../core/oid4vci/credential-offer.js';
import { checkCredentialIssuerId } from './issuer-url.js';

/**
 * Credential Offers as the wallet reads them (OID4VCI 1.0 §4.1.1). The
 * wallet redeems the Pre-Authorized Code Flow only, so an offer without that
 * grant is refused here, before anything is fetched.
 */

/** An offer the wallet can redeem: the pre-authorized code grant is there. */
export interface CredentialOffer extends CoreCredentialOffer {
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
  const ids = checkConfigurationIds(value.credential_configuration_ids, problem);
  if (!isObject(value.grants)) throw problem('grants is required: this wallet redeems pre-authorized code offers');
  const grant = value.grants[PRE_AUTHORIZED_CODE_GRANT_TYPE];
  if (grant === undefined) throw problem('the offer has no pre-authorized code grant');
  return { credential_issuer: credentialIssuer, credential_configuration_ids: ids, grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: checkPreAuthorizedCodeGrant(grant, problem) } };
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


function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
