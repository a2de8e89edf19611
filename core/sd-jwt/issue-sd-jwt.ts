import type { Base64urlHasher, HashAlgorithm, Hasher, RandomBytes, SigningKey } from '../crypto/ports.js';
import { signCompactJws } from '../jose/compact-jws.js';
import { packClaims, type DisclosureFrame } from './pack-claims.js';

/**
 * Issues an SD-JWT (RFC 9901 §4): packs the disclosable claims, adds
 * `_sd_alg`, signs the payload, and appends every Disclosure.
 *
 * The claims named in `frame` become disclosures; everything else stays in
 * the clear. Callers decide which claims must never be disclosable (Urbis'
 * credential layer refuses validity, issuer, status, cnf and type).
 *
 * @example
 * ```ts
 * const sdJwt = await issueSdJwt({
 *   payload: { iss, iat, exp, cnf: { jwk }, given_name: 'Ada' },
 *   frame: { _sd: ['given_name'], _sd_decoy: 2 },
 *   header: { typ: 'dc+sd-jwt' },
 *   signingKey, hash, randomBytes,
 * });
 * ```
 */
export async function issueSdJwt({
  payload,
  frame,
  header,
  signingKey,
  hash,
  hashBase64url,
  randomBytes,
  alg = 'sha-256',
}: {
  payload: Record<string, unknown>;
  frame: DisclosureFrame;
  header: Record<string, unknown>;
  signingKey: SigningKey;
  hash: Hasher;
  hashBase64url?: Base64urlHasher | undefined;
  randomBytes: RandomBytes;
  alg?: HashAlgorithm;
}): Promise<string> {
  const { packed, disclosures } = await packClaims({ claims: payload, frame, hash, hashBase64url, alg, randomBytes });
  packed._sd_alg = alg;
  const jwt = await signCompactJws({ header, payload: packed, signingKey });
  let out = `${jwt}~`;
  for (const disclosure of disclosures) out += `${disclosure.encoded}~`;
  return out;
}
