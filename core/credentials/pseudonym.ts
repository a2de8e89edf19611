import type { OrPromise } from '../crypto/ports.js';
import { base64urlEncode, utf8Encode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';

/**
 * HMAC-SHA-256 (RFC 2104) of `data` under `key`, 32 bytes. Injected so that
 * `core/` stays free of a crypto implementation: node:crypto `createHmac` in
 * Node, `crypto.subtle.sign('HMAC', ...)` in a browser.
 */
export type HmacSha256 = (key: Uint8Array, data: Uint8Array) => OrPromise<Uint8Array>;

/** Domain-separation tag of the pseudonym derivation, first field of the HMAC input. */
export const PSEUDONYM_DOMAIN = 'urbis-pseudonym-v1';

/** Minimum length of the issuer's pseudonym secret, in bytes (256 bits). */
export const MIN_PSEUDONYM_SECRET_BYTES = 32;

const SERVICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_SUBJECT_ID_BYTES = 1024;
const LONE_SURROGATE = /\p{Surrogate}/u;

function field(text: string): Uint8Array {
  const bytes = utf8Encode(text);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, false);
  out.set(bytes, 4);
  return out;
}

/**
 * The exact bytes the pseudonym HMAC is computed over:
 *
 * ```
 * len(PSEUDONYM_DOMAIN) || PSEUDONYM_DOMAIN || len(serviceId) || serviceId || len(subjectId) || subjectId
 * ```
 *
 * each string UTF-8 encoded and preceded by its byte length as a 32-bit
 * big-endian unsigned integer. The length prefixes make the encoding
 * injective: (`a`, `bc`) and (`ab`, `c`) give different inputs, which plain
 * concatenation would not.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when `serviceId` is not a service slug
 *   (`^[a-z0-9][a-z0-9-]{0,62}$`), or `subjectId` is empty, longer than 1024
 *   UTF-8 bytes, or holds a lone UTF-16 surrogate (which UTF-8 encoding would
 *   silently replace, so two different ids could share one pseudonym).
 */
export function pseudonymInput({ serviceId, subjectId }: { serviceId: string; subjectId: string }): Uint8Array {
  if (typeof serviceId !== 'string' || !SERVICE_ID.test(serviceId)) {
    throw new UrbisError('INVALID_ARGUMENT', 'serviceId must be a service slug');
  }
  if (typeof subjectId !== 'string' || subjectId.length === 0 || LONE_SURROGATE.test(subjectId)) {
    throw new UrbisError('INVALID_ARGUMENT', 'subjectId must be a non-empty well-formed string');
  }
  const parts = [field(PSEUDONYM_DOMAIN), field(serviceId), field(subjectId)];
  if (parts[2]!.length - 4 > MAX_SUBJECT_ID_BYTES) {
    throw new UrbisError('INVALID_ARGUMENT', 'subjectId is longer than 1024 bytes');
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Derives a citizen's pseudonym for one municipal service:
 * `base64url(HMAC-SHA-256(secret, pseudonymInput({ serviceId, subjectId })))`,
 * 43 characters (32 bytes). It goes into the `pseudonym` claim of a
 * `ServiceEntitlementCredential`, so a service recognises its returning users
 * without learning who they are — in the manner of the French AMC standard's
 * per-sector identifiers.
 *
 * Properties, and what they rest on:
 * - **The secret is the issuer's and never leaves it.** Only the city's
 *   issuer (back office) holds it; verifiers, services and wallets never see
 *   it. Keep it with the issuer's signing keys, not in the credential store.
 * - **Without the secret a pseudonym reveals nothing** about the subject id
 *   (HMAC is a PRF), and **two services' pseudonyms of one citizen cannot be
 *   linked** nor one computed from the other: linking them would mean telling
 *   HMAC outputs under an unknown key apart from random strings.
 * - **Deterministic**: the same (secret, service, subject) always gives the
 *   same pseudonym, so re-issued or batch-issued copies of a service
 *   entitlement carry a stable pseudonym for that service. (It is therefore a
 *   correlation handle *within* one service, by design; disclose it only where
 *   the service needs to recognise the citizen.)
 * - **Rotating the secret changes every pseudonym**, for every service. So an
 *   issuer versions the secret (keeps a secret id beside each issued
 *   credential) and rotates it only with a migration plan for the services'
 *   records. A new derivation scheme would change `PSEUDONYM_DOMAIN` instead.
 *
 * `subjectId` is the issuer's internal, stable citizen id; it is used byte for
 * byte (no Unicode normalisation), so pass it in one canonical form.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when the secret is shorter than 32
 *   bytes, the ids are invalid (see {@link pseudonymInput}), or `hmacSha256`
 *   does not return 32 bytes.
 *
 * @example
 * ```ts
 * import { createHmac } from 'node:crypto';
 * const hmacSha256 = (key: Uint8Array, data: Uint8Array) => createHmac('sha256', key).update(data).digest();
 * const pseudonym = await derivePseudonym({ hmacSha256, secret, subjectId: 'c-000123', serviceId: 'pools' });
 * ```
 */
export async function derivePseudonym({
  hmacSha256,
  secret,
  subjectId,
  serviceId,
}: {
  hmacSha256: HmacSha256;
  secret: Uint8Array;
  subjectId: string;
  serviceId: string;
}): Promise<string> {
  if (typeof hmacSha256 !== 'function') throw new UrbisError('INVALID_ARGUMENT', 'hmacSha256 must be a function');
  if (!(secret instanceof Uint8Array) || secret.length < MIN_PSEUDONYM_SECRET_BYTES) {
    throw new UrbisError('INVALID_ARGUMENT', `pseudonym secret must be at least ${MIN_PSEUDONYM_SECRET_BYTES} bytes`);
  }
  const input = pseudonymInput({ serviceId, subjectId });
  const mac = await hmacSha256(secret, input);
  if (!(mac instanceof Uint8Array) || mac.length !== 32) {
    throw new UrbisError('INVALID_ARGUMENT', 'hmacSha256 must return 32 bytes');
  }
  return base64urlEncode(mac);
}
