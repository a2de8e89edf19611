import type { UrbisError } from '../errors/urbis-error.js';

/**
 * The Credential Offer of OpenID for Verifiable Credential Issuance 1.0
 * (§4.1.1), shared by the issuer (which builds and serves offers) and the
 * wallet (which reads them): its types, and the checks of the members both
 * sides read the same way. Each side adds its own rules on top (the issuer
 * its URL policy; the wallet requires the pre-authorized code grant).
 */

/** The grant type of the Pre-Authorized Code Flow (OID4VCI 1.0 §3.5, §6.1). */
export const PRE_AUTHORIZED_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** Longest `tx_code.description` (OID4VCI 1.0 §4.1.1: at most 300 characters). */
export const MAX_TX_CODE_DESCRIPTION_LENGTH = 300;

/** Longest `tx_code.length` either side accepts. */
export const MAX_TX_CODE_LENGTH = 64;

/** Most configurations one offer may name (the wallet refuses more; the issuer never builds more). */
export const MAX_OFFERED_CONFIGURATIONS = 32;

/** Longest pre-authorized code either side accepts. */
export const MAX_PRE_AUTHORIZED_CODE_LENGTH = 4096;

/** How the Transaction Code is asked for (OID4VCI 1.0 §4.1.1 `tx_code`). */
export interface TxCodeDescription {
  /** Number of characters of the code. */
  length?: number;
  /** `numeric` (digits only, the default) or `text`. */
  input_mode?: 'numeric' | 'text';
  /** Where the code comes from (≤ 300 characters, no i18n: pick the citizen's language). */
  description?: string;
}

/** The pre-authorized code grant of an offer. */
export interface PreAuthorizedCodeGrant {
  'pre-authorized_code': string;
  /** Present (even empty) when the Token Request must carry a `tx_code`. */
  tx_code?: TxCodeDescription;
  /** The Authorization Server to use, when the issuer lists several. */
  authorization_server?: string;
}

/** A Credential Offer (OID4VCI 1.0 §4.1.1). */
export interface CredentialOffer {
  credential_issuer: string;
  credential_configuration_ids: string[];
  grants?: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]?: PreAuthorizedCodeGrant; [grantType: string]: unknown };
}

/** Builds the error of a member check (the caller's code: `BODY_INVALID` when reading, `INVALID_ARGUMENT` when building). */
export type OfferProblem = (message: string) => UrbisError;

/**
 * `credential_configuration_ids`: a non-empty array of unique non-empty
 * strings (at most {@link MAX_OFFERED_CONFIGURATIONS}, each at most 200 characters).
 *
 * @throws the `problem` error naming the rule broken.
 */
export function checkConfigurationIds(value: unknown, problem: OfferProblem): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_OFFERED_CONFIGURATIONS) {
    throw problem(`credential_configuration_ids is an array of 1 to ${MAX_OFFERED_CONFIGURATIONS} ids`);
  }
  if (!value.every((id): id is string => typeof id === 'string' && id !== '' && id.length <= 200)) throw problem('credential configuration ids are non-empty strings');
  if (new Set(value).size !== value.length) throw problem('credential configuration ids are unique');
  return [...value];
}

/**
 * A `tx_code` description: an object whose `length` is an integer from 1 to
 * {@link MAX_TX_CODE_LENGTH}, `input_mode` `numeric` or `text`, and
 * `description` a string of at most 300 characters (each optional).
 *
 * @throws the `problem` error naming the member.
 */
export function checkTxCodeDescription(value: unknown, problem: OfferProblem): TxCodeDescription {
  if (!isObject(value)) throw problem('tx_code is an object');
  const out: TxCodeDescription = {};
  if (value.length !== undefined) {
    if (!Number.isSafeInteger(value.length) || (value.length as number) < 1 || (value.length as number) > MAX_TX_CODE_LENGTH) {
      throw problem(`tx_code.length is an integer from 1 to ${MAX_TX_CODE_LENGTH}`);
    }
    out.length = value.length as number;
  }
  if (value.input_mode !== undefined) {
    if (value.input_mode !== 'numeric' && value.input_mode !== 'text') throw problem('tx_code.input_mode is numeric or text');
    out.input_mode = value.input_mode;
  }
  if (value.description !== undefined) {
    if (typeof value.description !== 'string' || value.description.length > MAX_TX_CODE_DESCRIPTION_LENGTH) {
      throw problem(`tx_code.description is a string of at most ${MAX_TX_CODE_DESCRIPTION_LENGTH} characters`);
    }
    out.description = value.description;
  }
  return out;
}

/**
 * The pre-authorized code grant object: a non-empty `pre-authorized_code`
 * (at most 4096 characters), an optional `tx_code` description, an optional
 * `authorization_server` string.
 *
 * @throws the `problem` error naming the member.
 */
export function checkPreAuthorizedCodeGrant(value: unknown, problem: OfferProblem): PreAuthorizedCodeGrant {
  if (!isObject(value)) throw problem('the pre-authorized code grant is an object');
  const code = value['pre-authorized_code'];
  if (typeof code !== 'string' || code === '' || code.length > MAX_PRE_AUTHORIZED_CODE_LENGTH) throw problem('pre-authorized_code is a non-empty string');
  const grant: PreAuthorizedCodeGrant = { 'pre-authorized_code': code };
  if (value.tx_code !== undefined) grant.tx_code = checkTxCodeDescription(value.tx_code, problem);
  if (value.authorization_server !== undefined) {
    if (typeof value.authorization_server !== 'string' || value.authorization_server === '') throw problem('authorization_server is a string');
    grant.authorization_server = value.authorization_server;
  }
  return grant;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
