import { UrbisError } from '../../core/errors/urbis-error.js';
import { MAX_CREDENTIAL_RESPONSE_BYTES, readCredentialAnswer } from './credential-response.js';
import type { IssuedCopy, PendingIssuance } from './issuance-result.js';
import { sendToIssuer, type FetchLike } from './issuer-http.js';

/** The outcome of one poll: the copies, or the issuance still pending (with its next `notBefore`). */
export type DeferredPollResult = { copies: IssuedCopy[]; issuerId: string; pending?: undefined } | { pending: PendingIssuance; copies?: undefined; issuerId?: undefined };

/** Waits `ms` milliseconds (default: `setTimeout`). */
export type Sleep = (ms: number) => Promise<void>;

const defaultSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls the Deferred Credential Endpoint once (OID4VCI 1.0 §9) for a
 * pending issuance, respecting the issuer's `interval`: when called before
 * `pending.notBefore`, it first waits the remaining time (through `sleep`),
 * or, with `wait: false`, returns the pending issuance unchanged without
 * sending anything.
 *
 * HTTP 200 gives the copies, checked like immediate ones (one per key, each
 * bound to its key, `iss` allowed by the trust list at acceptance); HTTP 202
 * gives the issuance still pending, with the new `interval` and `notBefore`.
 *
 * @throws UrbisError `TRANSACTION_ID_INVALID` (unknown, or already
 *   collected), `ACCESS_TOKEN_INVALID` (expired token: ask for a new offer),
 *   `BODY_INVALID`, `HOLDER_BINDING_MISSING`, ..., or another issuer error.
 *
 * @example
 * ```ts
 * let state = await pollDeferred({ pending });
 * while (state.pending) state = await pollDeferred({ pending: state.pending });
 * await store.addCopies(state.copies);
 * ```
 */
export async function pollDeferred({
  pending,
  fetch = globalThis.fetch,
  now = Date.now,
  sleep = defaultSleep,
  wait = true,
}: {
  pending: PendingIssuance;
  fetch?: FetchLike;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  sleep?: Sleep;
  /** Wait until `notBefore` (default), or return at once when it is not reached. */
  wait?: boolean;
}): Promise<DeferredPollResult> {
  if (typeof pending !== 'object' || pending === null || typeof pending.transactionId !== 'string' || !Array.isArray(pending.keys)) {
    throw new UrbisError('INVALID_ARGUMENT', 'pending is a pending issuance from acceptOffer or pollDeferred');
  }
  const early = pending.notBefore - now();
  if (early > 0) {
    if (!wait) return { pending };
    await sleep(early);
  }
  const what = `deferred credential request ${pending.configurationId}`;
  const answer = await sendToIssuer({
    fetch,
    url: pending.deferredCredentialEndpoint,
    what,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${pending.accessToken}` },
    body: JSON.stringify({ transaction_id: pending.transactionId }),
    maxBytes: MAX_CREDENTIAL_RESPONSE_BYTES,
  });
  const read = readCredentialAnswer({
    answer,
    what,
    keys: pending.keys,
    format: pending.format,
    issuerUrl: pending.issuerUrl,
    transactionId: pending.transactionId,
    ...(pending.issuerIds === undefined ? {} : { issuerIds: pending.issuerIds }),
  });
  if ('copies' in read) return { copies: read.copies, issuerId: read.issuerId };
  return { pending: { ...pending, transactionId: read.transactionId, interval: read.interval, notBefore: now() + read.interval * 1000 } };
}
