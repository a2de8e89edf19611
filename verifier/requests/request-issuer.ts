import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { RandomBytes } from '../../core/crypto/ports.js';
import { base64urlEncode } from '../../core/encoding/base64url.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { dcqlQueryFor, type DcqlQuery } from '../policy/dcql-query-for.js';
import type { ServicePolicy } from '../policy/service-policy.js';
import { presentationRequestLink } from './presentation-request-link.js';
import { checkTerminalId } from './terminal-id.js';

/** A request the terminal showed and has not seen answered yet. Nothing in it is personal. */
export interface PendingRequest {
  /** Random handle (128 bits, base64url), e.g. for the HTTP API; not in the link. */
  readonly id: string;
  /** Fresh random nonce (128 bits, base64url): the KB-JWT `nonce` the answer must carry. */
  readonly nonce: string;
  /** The terminal id: the `client_id` of the request, the KB-JWT `aud` of the answer. */
  readonly clientId: string;
  readonly serviceId: string;
  /** The policy the answer is checked against. */
  readonly policy: ServicePolicy;
  readonly dcqlQuery: DcqlQuery;
  /** The request QR's text (`openid4vp://?…`). */
  readonly link: string;
  /** Epoch seconds. */
  readonly createdAt: number;
  /** Epoch seconds; from this second on the request is gone. */
  readonly expiresAt: number;
}

/** Aggregate counts (DESIGN §4: terminals log counts only). */
export interface RequestIssuerStats {
  /** Requests waiting for an answer now. */
  pending: number;
  issued: number;
  /** Answered: taken once, within their time. */
  taken: number;
  /** Dropped because their time was up (found by a sweep or by `take`). */
  expired: number;
  /** Dropped, still valid, to keep within `capacity` (the oldest first). */
  evicted: number;
  /** `take` of a nonce not pending: never issued, already taken, or evicted. */
  unknown: number;
}

/** Issues requests with fresh nonces and hands each one back once. */
export interface RequestIssuer {
  /** The terminal id (`client_id`). */
  readonly clientId: string;
  /**
   * A new request for a service: fresh nonce, the policy's DCQL query, the link to show as a QR.
   * @throws UrbisError `INVALID_ARGUMENT` when the random source repeats a pending nonce.
   */
  newRequest(args: { policy: ServicePolicy }): PendingRequest;
  /**
   * The pending request with this nonce, removed: a nonce is used once. `undefined` when it is
   * not pending (never issued, already taken, evicted) or its time is up.
   */
  take(args: { nonce: string }): PendingRequest | undefined;
  stats(): RequestIssuerStats;
}

/** Default lifetime of a request, in seconds. */
export const DEFAULT_REQUEST_TTL_SECONDS = 120;
/** Default number of pending requests kept (a terminal shows one QR at a time; its HTTP API may serve a few screens). */
export const DEFAULT_REQUEST_CAPACITY = 1024;
/** Random bytes of a nonce and of a request id: 128 bits. */
export const REQUEST_NONCE_BYTES = 16;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The terminal's request issuer (DESIGN §4, flow (a)): each request gets a
 * fresh 128-bit nonce and lives `ttlSeconds`; `take` hands it back once, so
 * the terminal verifies the answer against that nonce, its own id as
 * audience, and the request's policy. Memory is bounded: at most
 * `capacity` pending requests, expired ones swept first, then the oldest
 * dropped. Only the nonce, the policy and times are kept; nothing
 * personal, and nothing survives a restart (a restarted terminal shows a
 * new QR).
 *
 * @param terminalId - `urbis:terminal:<id>` (or `urn:urbis:terminal:<id>`), the `client_id`.
 * @param ttlSeconds - 1..3600, default 120.
 * @param capacity - 1..1,000,000, default 1024.
 * @param now - clock, epoch seconds (tests).
 * @param randomBytes - random source (tests); default node:crypto.
 * @throws UrbisError `CONFIG_INVALID` for a terminal id, `ttlSeconds` or `capacity` out of bounds.
 *
 * @example
 * ```ts
 * const requests = createRequestIssuer({ terminalId: 'urbis:terminal:gijon-pool-1' });
 * const { link } = requests.newRequest({ policy: policies.get('pools')! }); // show `link` as a QR
 * // … the wallet's answer is scanned:
 * const pending = requests.take({ nonce: keyBindingNonceOf({ presentation }) ?? '' });
 * if (pending === undefined) refuse('KB_NONCE_MISMATCH');
 * else applyServicePolicy({ policy: pending.policy, result: await verify({ presentation, keyBinding: { nonce: pending.nonce, audience: pending.clientId } }) });
 * ```
 */
export function createRequestIssuer({
  terminalId,
  ttlSeconds = DEFAULT_REQUEST_TTL_SECONDS,
  capacity = DEFAULT_REQUEST_CAPACITY,
  now = () => Math.floor(Date.now() / 1000),
  randomBytes = nodeRandomBytes,
}: {
  terminalId: string;
  ttlSeconds?: number;
  capacity?: number;
  now?: () => number;
  randomBytes?: RandomBytes;
}): RequestIssuer {
  const clientId = checkTerminalId(terminalId);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 3600) throw new UrbisError('CONFIG_INVALID', 'ttlSeconds must be an integer from 1 to 3600');
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1_000_000) throw new UrbisError('CONFIG_INVALID', 'capacity must be an integer from 1 to 1000000');

  /** By nonce, in insertion order (so the oldest is first). */
  const pending = new Map<string, PendingRequest>();
  const queries = new WeakMap<ServicePolicy, { dcqlQuery: DcqlQuery; json: string }>();
  const stats = { issued: 0, taken: 0, expired: 0, evicted: 0, unknown: 0 };
  const random = (): string => base64urlEncode(randomBytes(REQUEST_NONCE_BYTES));

  /** Drops expired requests from the front (the oldest); later ones are checked again by `take`. */
  const sweep = (at: number): void => {
    for (const [nonce, request] of pending) {
      if (at < request.expiresAt) break;
      pending.delete(nonce);
      stats.expired++;
    }
  };

  const queryFor = (policy: ServicePolicy): { dcqlQuery: DcqlQuery; json: string } => {
    let cached = queries.get(policy);
    if (cached === undefined) {
      const dcqlQuery = deepFreeze(dcqlQueryFor(policy));
      cached = { dcqlQuery, json: JSON.stringify(dcqlQuery) };
      queries.set(policy, cached);
    }
    return cached;
  };

  return {
    clientId,
    newRequest({ policy }) {
      const at = now();
      sweep(at);
      const { dcqlQuery, json } = queryFor(policy);
      const nonce = random();
      if (pending.has(nonce)) throw new UrbisError('INVALID_ARGUMENT', 'the random source repeated a nonce');
      const request: PendingRequest = Object.freeze({
        id: random(),
        nonce,
        clientId,
        serviceId: policy.serviceId,
        policy,
        dcqlQuery,
        link: presentationRequestLink({ clientId, nonce, dcqlQuery: json }),
        createdAt: at,
        expiresAt: at + ttlSeconds,
      });
      while (pending.size >= capacity) {
        const oldest = pending.keys().next().value as string;
        pending.delete(oldest);
        stats.evicted++;
      }
      pending.set(nonce, request);
      stats.issued++;
      return request;
    },
    take({ nonce }) {
      const at = now();
      const request = typeof nonce === 'string' ? pending.get(nonce) : undefined;
      if (request !== undefined) pending.delete(nonce);
      sweep(at);
      if (request === undefined) {
        stats.unknown++;
        return undefined;
      }
      if (at >= request.expiresAt) {
        stats.expired++;
        return undefined;
      }
      stats.taken++;
      return request;
    },
    stats() {
      sweep(now());
      return { pending: pending.size, ...stats };
    },
  };
}
