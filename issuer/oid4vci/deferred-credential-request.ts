import { UrbisError } from '../../core/errors/urbis-error.js';

/** Longest `transaction_id` accepted (the issuer's own are far shorter). */
export const MAX_TRANSACTION_ID_LENGTH = 256;

/** A validated Deferred Credential Request (OID4VCI 1.0 §9.1). */
export interface DeferredCredentialRequest {
  transactionId: string;
}

/**
 * Validates the parsed JSON body of a Deferred Credential Request (OID4VCI
 * 1.0 §9.1): `transaction_id` is a non-empty string. Unknown members are
 * ignored; `credential_response_encryption` is refused, as in
 * `parseCredentialRequest`. Whether the transaction exists, belongs to the
 * access token and is still open is for the caller (`TRANSACTION_ID_INVALID`).
 *
 * @throws UrbisError `CREDENTIAL_REQUEST_INVALID` (not an object, no or a
 *   non-string `transaction_id`, encryption asked), `TRANSACTION_ID_INVALID`
 *   (a string no issuer-made id can be: empty or too long).
 *
 * @example
 * ```ts
 * const { transactionId } = parseDeferredCredentialRequest(req.body);
 * ```
 */
export function parseDeferredCredentialRequest(body: unknown): DeferredCredentialRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'the deferred credential request is a JSON object');
  }
  const request = body as Record<string, unknown>;
  if (request.credential_response_encryption !== undefined) {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'credential response encryption is not supported');
  }
  const transactionId = request.transaction_id;
  if (typeof transactionId !== 'string') throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'transaction_id must be a string');
  if (transactionId === '' || transactionId.length > MAX_TRANSACTION_ID_LENGTH) {
    throw new UrbisError('TRANSACTION_ID_INVALID', 'unknown transaction_id');
  }
  return { transactionId };
}
