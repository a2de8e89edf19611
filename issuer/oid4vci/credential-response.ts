import { UrbisError } from '../../core/errors/urbis-error.js';

/** Body of an immediate (HTTP 200) Credential or Deferred Credential Response (OID4VCI 1.0 §8.3, §9.2). */
export interface IssuedCredentialsResponse {
  credentials: { credential: string }[];
}

/** Body of a deferred (HTTP 202) Credential or Deferred Credential Response (OID4VCI 1.0 §8.3, §9.2). */
export interface PendingCredentialResponse {
  transaction_id: string;
  /** Seconds the wallet should wait before polling the Deferred Credential Endpoint. */
  interval: number;
}

/**
 * Headers every OID4VCI response carrying tokens, nonces or credentials
 * must have: nothing may be cached (RFC 6749 §5.1, OID4VCI 1.0 §7.2).
 */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'Cache-Control': 'no-store' });

/**
 * The HTTP 200 body for issued copies: `{ credentials: [{ credential }, ...] }`,
 * in the order of the request's proofs (one copy per proof key).
 *
 * @throws UrbisError `INVALID_ARGUMENT` on an empty batch or a non-string credential.
 *
 * @example
 * ```ts
 * res.status(200).set(NO_STORE_HEADERS).json(issuedCredentialsResponse({ credentials: copies }));
 * ```
 */
export function issuedCredentialsResponse({ credentials }: { credentials: readonly string[] }): IssuedCredentialsResponse {
  if (!Array.isArray(credentials) || credentials.length === 0) {
    throw new UrbisError('INVALID_ARGUMENT', 'a credential response holds at least one credential');
  }
  return {
    credentials: credentials.map((credential) => {
      if (typeof credential !== 'string' || credential === '') throw new UrbisError('INVALID_ARGUMENT', 'credentials are strings');
      return { credential };
    }),
  };
}

/**
 * The HTTP 202 body while the application awaits validation (OID4VCI 1.0
 * deferred flow): `{ transaction_id, interval }`. The same `transaction_id`
 * is repeated on every 202 from the Deferred Credential Endpoint.
 *
 * @throws UrbisError `INVALID_ARGUMENT` on an empty id or a non-positive interval.
 *
 * @example
 * ```ts
 * res.status(202).set(NO_STORE_HEADERS).json(pendingCredentialResponse({ transactionId, interval: 60 }));
 * ```
 */
export function pendingCredentialResponse({ transactionId, interval }: { transactionId: string; interval: number }): PendingCredentialResponse {
  if (typeof transactionId !== 'string' || transactionId === '') throw new UrbisError('INVALID_ARGUMENT', 'a transaction id is a non-empty string');
  if (!Number.isSafeInteger(interval) || interval < 1) throw new UrbisError('INVALID_ARGUMENT', 'interval is a positive integer number of seconds');
  return { transaction_id: transactionId, interval };
}
