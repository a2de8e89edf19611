import { UrbisError } from '../../core/errors/urbis-error.js';

/** The grant type of the Pre-Authorized Code Flow (OID4VCI 1.0 §3.5, §6.1). */
export const PRE_AUTHORIZED_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** Longest pre-authorized code accepted (the issuer's own are far shorter). */
export const MAX_PRE_AUTHORIZED_CODE_LENGTH = 512;

/** Longest transaction code accepted. */
export const MAX_TX_CODE_LENGTH = 64;

/** A validated Token Request of the Pre-Authorized Code Flow. */
export interface TokenRequest {
  preAuthorizedCode: string;
  /** The Transaction Code, when the wallet sent one. */
  txCode?: string;
}

/**
 * Validates the parsed `application/x-www-form-urlencoded` body of a Token
 * Request (OID4VCI 1.0 §6.1, RFC 6749 §4.1.3): `grant_type` must be the
 * pre-authorized code grant, `pre-authorized_code` a non-empty string, and
 * `tx_code`, when present, a non-empty string. Parameters may not repeat
 * (RFC 6749 §3.2). Unknown parameters (`client_id`, `authorization_details`,
 * ...) are ignored, as §6.1 requires.
 *
 * Accepts what `express.urlencoded()` produces (values are strings, arrays
 * for repeated parameters) or a `URLSearchParams`.
 *
 * Every problem is `BODY_INVALID`, which the Token Endpoint answers as
 * `invalid_request` (see `oauthErrorFor`); an unknown `grant_type` too, where
 * RFC 6749 §5.2 would allow the finer `unsupported_grant_type`: Urbis has
 * one code for malformed requests and the AS metadata lists the only grant.
 * Whether the `tx_code` is required is the offer's business: see
 * {@link checkTxCodePresence}.
 *
 * @throws UrbisError `BODY_INVALID`
 *
 * @example
 * ```ts
 * const { preAuthorizedCode, txCode } = parseTokenRequest(req.body);
 * ```
 */
export function parseTokenRequest(body: unknown): TokenRequest {
  const form = formFields(body);
  const grantType = single(form, 'grant_type');
  if (grantType === undefined) throw new UrbisError('BODY_INVALID', 'grant_type is required');
  if (grantType !== PRE_AUTHORIZED_CODE_GRANT_TYPE) {
    throw new UrbisError('BODY_INVALID', 'only the pre-authorized code grant type is supported');
  }
  const preAuthorizedCode = single(form, 'pre-authorized_code');
  if (preAuthorizedCode === undefined || preAuthorizedCode === '') {
    throw new UrbisError('BODY_INVALID', 'pre-authorized_code is required');
  }
  if (preAuthorizedCode.length > MAX_PRE_AUTHORIZED_CODE_LENGTH) {
    throw new UrbisError('BODY_INVALID', 'pre-authorized_code is too long');
  }
  const txCode = single(form, 'tx_code');
  if (txCode === undefined) return { preAuthorizedCode };
  if (txCode === '') throw new UrbisError('BODY_INVALID', 'tx_code must not be empty');
  if (txCode.length > MAX_TX_CODE_LENGTH) throw new UrbisError('BODY_INVALID', 'tx_code is too long');
  return { preAuthorizedCode, txCode };
}

/**
 * The Transaction Code must be sent exactly when the offer asked for one
 * (OID4VCI 1.0 §6.3: a missing or unexpected `tx_code` is `invalid_request`;
 * a wrong one is `invalid_grant`, i.e. `TX_CODE_INVALID`, checked by the
 * caller against its stored hash).
 *
 * @throws UrbisError `BODY_INVALID`
 *
 * @example
 * ```ts
 * checkTxCodePresence({ required: offer.txCodeHash !== null, txCode });
 * ```
 */
export function checkTxCodePresence({ required, txCode }: { required: boolean; txCode: string | undefined }): void {
  if (required && txCode === undefined) throw new UrbisError('BODY_INVALID', 'this offer requires a tx_code');
  if (!required && txCode !== undefined) throw new UrbisError('BODY_INVALID', 'this offer takes no tx_code');
}

type Form = Map<string, string[]>;

function formFields(body: unknown): Form {
  const form: Form = new Map();
  if (body instanceof URLSearchParams) {
    for (const [name, value] of body) form.set(name, [...(form.get(name) ?? []), value]);
    return form;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UrbisError('BODY_INVALID', 'the token request is a form');
  }
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') form.set(name, [value]);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) form.set(name, value as string[]);
    else form.set(name, []);
  }
  return form;
}

function single(form: Form, name: string): string | undefined {
  const values = form.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) throw new UrbisError('BODY_INVALID', `${name} must be one string, not repeated`);
  return values[0];
}
