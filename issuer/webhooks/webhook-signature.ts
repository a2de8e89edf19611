import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** The HTTP header that carries the signature of a webhook request. */
export const WEBHOOK_SIGNATURE_HEADER = 'urbis-signature';

/** Default replay window of {@link verifyWebhookSignature}, seconds. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** Shortest secret {@link signWebhook} and {@link verifyWebhookSignature} accept, characters. */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

/** Longest header {@link verifyWebhookSignature} parses (a few signatures during a secret rotation fit easily). */
const MAX_HEADER_LENGTH = 1_024;
/** Unix seconds up to this bound (year 5138); a millisecond time is far above it, so passing `Date.now()` is caught. */
const MAX_UNIX_SECONDS = 100_000_000_000;
const TIMESTAMP = /^[0-9]{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

function assertSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw new UrbisError('INVALID_ARGUMENT', `a webhook secret is a string of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`);
  }
}

function bodyBytes(body: unknown): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new UrbisError('INVALID_ARGUMENT', 'the webhook body is a string or bytes');
}

/** HMAC-SHA256 under `secret` (its UTF-8 bytes) of `"<t>.<body>"`, 32 bytes. */
function mac({ secret, timestamp, body }: { secret: string; timestamp: string; body: Buffer }): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest();
}

/**
 * A fresh random webhook secret: 32 random bytes, base64url (43 characters).
 * The issuer gives it to the department once, when the subscription is made.
 */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Signs a webhook body, Stripe-style: the value of the `urbis-signature`
 * header is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 *
 * The timestamp is part of what is signed, so a receiver can refuse old
 * requests (see {@link verifyWebhookSignature}). The dispatcher signs at each
 * attempt, so a retry hours later still carries a fresh timestamp; the body,
 * and the event id in it, stay the same across retries.
 *
 * @param secret - The subscription's shared secret (at least 32 characters).
 * @param body - The exact request body, as sent.
 * @param timestamp - Unix time in **seconds** (an integer), e.g. `Math.floor(Date.now() / 1000)`.
 * @returns The header value.
 * @throws UrbisError `INVALID_ARGUMENT` (short secret, body neither string nor bytes, timestamp not integer seconds).
 *
 * @example
 * ```ts
 * const header = signWebhook({ secret, body, timestamp: Math.floor(Date.now() / 1000) });
 * // 't=1767225600,v1=<64 lowercase hex characters>'
 * ```
 */
export function signWebhook({ secret, body, timestamp }: { secret: string; body: string | Uint8Array; timestamp: number }): string {
  assertSecret(secret);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp >= MAX_UNIX_SECONDS) {
    throw new UrbisError('INVALID_ARGUMENT', 'the webhook timestamp is an integer number of seconds since the epoch');
  }
  const t = String(timestamp);
  return `t=${t},v1=${mac({ secret, timestamp: t, body: bodyBytes(body) }).toString('hex')}`;
}

/** A parsed `urbis-signature` header. */
interface ParsedSignatureHeader {
  timestamp: string;
  signatures: Buffer[];
}

function malformed(): UrbisError {
  return new UrbisError('SIGNATURE_INVALID', 'the webhook signature header is malformed');
}

function parseSignatureHeader(header: unknown): ParsedSignatureHeader {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_LENGTH) throw malformed();
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw malformed();
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !TIMESTAMP.test(value)) throw malformed();
      timestamp = value;
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) throw malformed();
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (a future `v2`, Stripe's test `v0`) are ignored, as Stripe does.
  }
  if (timestamp === undefined || signatures.length === 0) throw malformed();
  return { timestamp, signatures };
}

/**
 * Checks a webhook request from the Urbis issuer. **This is the function a
 * department's system calls** on every request it receives, before trusting
 * anything in it:
 *
 * 1. read the raw body exactly as received (before any JSON parsing: a
 *    re-serialised body would not match);
 * 2. call `verifyWebhookSignature` with the `urbis-signature` header and the
 *    secret given when the subscription was made;
 * 3. on success, parse the body (see `parseWebhookEvent`), answer 2xx
 *    quickly, and process the event idempotently by its `id` (the same event
 *    may arrive more than once: delivery is at least once);
 * 4. on failure, answer 400 and drop the request.
 *
 * Checks: the header is `t=<seconds>,v1=<64 hex>[,v1=...]` (several `v1`
 * are accepted, any one matching, which allows a secret rotation); the HMAC
 * is compared in constant time (`timingSafeEqual`); then the timestamp must
 * be within `toleranceSeconds` of `now`, in either direction, so a captured
 * request cannot be replayed later. Within the window, deduplicate by event
 * id.
 *
 * @param secret - The subscription's shared secret.
 * @param body - The raw request body (string or bytes).
 * @param header - The value of the `urbis-signature` header (`undefined` if absent).
 * @param now - The receiver's time, epoch **milliseconds**. Default `Date.now()`.
 * @param toleranceSeconds - Replay window. Default 300.
 * @returns `true`. Every failure throws, so a forgotten check cannot pass silently.
 * @throws UrbisError `SIGNATURE_INVALID` — header absent or malformed, no `v1`
 *   matches (wrong secret, altered body or timestamp), or timestamp outside the
 *   window; the message says which, never echoing the header.
 * @throws UrbisError `INVALID_ARGUMENT` — the receiver's own mistakes: secret
 *   shorter than 32 characters, body neither string nor bytes, bad tolerance.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { parseWebhookEvent, verifyWebhookSignature } from './issuer/webhooks/index.js'; // or a copy of these two functions
 *
 * app.post('/urbis-webhooks', express.raw({ type: 'application/json' }), (req, res) => {
 *   try {
 *     verifyWebhookSignature({ secret: process.env.URBIS_WEBHOOK_SECRET!, body: req.body, header: req.get('urbis-signature') });
 *   } catch {
 *     return res.sendStatus(400);
 *   }
 *   const event = parseWebhookEvent({ body: req.body });
 *   queue.push(event); // e.g. suspend pool access for event.data.pseudonym
 *   res.sendStatus(204);
 * });
 * ```
 */
export function verifyWebhookSignature({
  secret,
  body,
  header,
  now = Date.now(),
  toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
}: {
  secret: string;
  body: string | Uint8Array;
  header: string | undefined | null;
  now?: number;
  toleranceSeconds?: number;
}): true {
  assertSecret(secret);
  const bytes = bodyBytes(body);
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) throw new UrbisError('INVALID_ARGUMENT', 'toleranceSeconds is a number ≥ 0');
  if (!Number.isFinite(now)) throw new UrbisError('INVALID_ARGUMENT', 'now is epoch milliseconds');
  const { timestamp, signatures } = parseSignatureHeader(header);
  const expected = mac({ secret, timestamp, body: bytes });
  // Compare against every candidate, without an early exit, in constant time each.
  let matched = false;
  for (const candidate of signatures) {
    if (timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) throw new UrbisError('SIGNATURE_INVALID', 'no webhook signature matches the body under this secret');
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) {
    throw new UrbisError('SIGNATURE_INVALID', 'the webhook signature timestamp is outside the tolerance window');
  }
  return true;
}
