import { UrbisError } from '../../core/errors/urbis-error.js';
import type { HolderKey } from './holder-key.js';
import { checkIssuedCredential } from './issued-credential.js';
import { expectJsonObject, type IssuerAnswer } from './issuer-http.js';
import type { IssuedCopy } from './issuance-result.js';
import type { CredentialFormat } from './issuer-metadata.js';

/** Longest (Deferred) Credential Response read: a batch of copies. */
export const MAX_CREDENTIAL_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Longest wait the wallet accepts between deferred polls (30 days). */
export const MAX_DEFERRED_INTERVAL_SECONDS = 30 * 86_400;

/** A (Deferred) Credential Response, read: copies, or a transaction to poll. */
export type CredentialAnswer = { copies: IssuedCopy[]; issuerId: string } | { transactionId: string; interval: number };

/**
 * Reads a Credential Response or Deferred Credential Response (OID4VCI 1.0
 * §8.3, §9.2):
 * - HTTP 200 `{ credentials: [{ credential }, ...] }`: exactly one
 *   credential per key proof, in proof order, each checked with
 *   `checkIssuedCredential` against the key of its proof, all naming the
 *   same `iss`;
 * - HTTP 202 `{ transaction_id, interval }` (`interval` a positive number
 *   of seconds, at most 30 days);
 * - anything else: the issuer's error.
 *
 * @throws UrbisError `BODY_INVALID` (shape, count, differing `iss`), the
 *   codes of `checkIssuedCredential`, or the issuer's error.
 *
 * @example
 * ```ts
 * const read = readCredentialAnswer({ answer, what: 'credential request', keys, format: 'dc+sd-jwt', issuerUrl });
 * if ('copies' in read) store(read.copies);
 * ```
 */
export function readCredentialAnswer({
  answer,
  what,
  keys,
  format,
  issuerUrl,
  issuerIds,
  transactionId,
}: {
  answer: IssuerAnswer;
  what: string;
  keys: readonly HolderKey[];
  format: CredentialFormat;
  issuerUrl: string;
  issuerIds?: readonly string[];
  /** At the deferred endpoint: the transaction polled (a 202 may repeat it or omit it). */
  transactionId?: string;
}): CredentialAnswer {
  const body = expectJsonObject({ answer, what, statuses: [200, 202] });
  if (answer.status === 202) {
    const id = body.transaction_id ?? transactionId;
    if (typeof id !== 'string' || id === '' || id.length > 1024) throw new UrbisError('BODY_INVALID', `${what}: a deferred answer has a transaction_id`);
    const interval = body.interval;
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0 || interval > MAX_DEFERRED_INTERVAL_SECONDS) {
      throw new UrbisError('BODY_INVALID', `${what}: a deferred answer has an interval of seconds`);
    }
    return { transactionId: id, interval };
  }
  const list = body.credentials;
  if (!Array.isArray(list)) throw new UrbisError('BODY_INVALID', `${what}: credentials is an array`);
  if (list.length !== keys.length) throw new UrbisError('BODY_INVALID', `${what}: ${list.length} credentials for ${keys.length} key proofs`);
  let issuerId: string | undefined;
  const copies = list.map((entry: unknown, index): IssuedCopy => {
    const credential = typeof entry === 'object' && entry !== null ? (entry as { credential?: unknown }).credential : undefined;
    const key = keys[index]!;
    const { iss } = checkIssuedCredential({ credential, format, publicJwk: key.publicJwk, issuerUrl, ...(issuerIds === undefined ? {} : { issuerIds }) });
    if (issuerId !== undefined && iss !== issuerId) throw new UrbisError('BODY_INVALID', `${what}: the copies of one batch name different issuers`);
    issuerId = iss;
    return { credential: credential as string, publicJwk: key.publicJwk, signingKey: key.signingKey };
  });
  return { copies, issuerId: issuerId! };
}
