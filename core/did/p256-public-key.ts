import { p256 } from '@noble/curves/nist.js';
import type { PublicJwk } from '../crypto/ports.js';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { publicPartOf, toPublicP256Jwk } from '../keys/public-jwk.js';

/**
 * P-256 public keys as they appear in DIDs and DID documents: JWKs checked
 * all the way down to the curve equation, and the 33-byte SEC 1 compressed
 * form used by `did:key` and `Multikey` (SEC 1 v2 §2.3.3, §2.3.4). Pure
 * JavaScript (@noble/curves), so it runs in browsers too.
 */

/** Length of a SEC 1 compressed P-256 point: `0x02|0x03 || x`. */
export const P256_COMPRESSED_LENGTH = 33;

/**
 * Reads a JWK found in a DID (`did:jwk`) or a DID document. Urbis resolves
 * P-256 keys only.
 *
 * Keeps `kid`, `alg` and `use` when they are strings; drops other members.
 *
 * @throws UrbisError `KEY_PRIVATE_IN_PUBLIC` when it carries `d` (whatever its
 *   key type); `DID_KEY_UNSUPPORTED` for another key type or curve (Ed25519,
 *   X25519, secp256k1, P-384, RSA, ...); `KEY_INVALID` when it is not a JWK,
 *   has non-canonical or wrong-length coordinates, a non-string `use`/`alg`/`kid`,
 *   or a point that is not on P-256.
 *
 * @example
 * ```ts
 * const publicJwk = parseDidPublicJwk(JSON.parse(text));
 * ```
 */
export function parseDidPublicJwk(value: unknown): PublicJwk {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UrbisError('KEY_INVALID', 'JWK must be a JSON object');
  }
  const jwk = value as Record<string, unknown>;
  if (Object.hasOwn(jwk, 'd')) throw new UrbisError('KEY_PRIVATE_IN_PUBLIC', 'a public JWK must not contain a private part');
  if (typeof jwk.kty !== 'string') throw new UrbisError('KEY_INVALID', 'JWK must have a string kty');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    throw new UrbisError('DID_KEY_UNSUPPORTED', 'only P-256 keys are supported');
  }
  const checked = publicPartOf(toPublicP256Jwk(jwk));
  assertOnCurve(checked);
  for (const member of ['kid', 'alg', 'use'] as const) {
    const memberValue = jwk[member];
    if (memberValue === undefined) continue;
    if (typeof memberValue !== 'string') throw new UrbisError('KEY_INVALID', `JWK ${member} must be a string`);
    checked[member] = memberValue;
  }
  return checked;
}

/**
 * Compresses a public P-256 JWK to its 33-byte SEC 1 form.
 *
 * @throws UrbisError `KEY_INVALID` when the coordinates are malformed or the
 *   point is not on the curve.
 *
 * @example
 * ```ts
 * compressP256PublicJwk(publicJwk); // Uint8Array(33) [0x02 | 0x03, ...x]
 * ```
 */
export function compressP256PublicJwk(publicJwk: PublicJwk): Uint8Array {
  return pointOf(publicJwk).toBytes(true);
}

/**
 * Decompresses a 33-byte SEC 1 compressed P-256 point into a public JWK,
 * checking that the point is on the curve.
 *
 * @throws UrbisError `KEY_INVALID` when the length or prefix is wrong, `x` is
 *   not a field element, or no point has that `x`.
 *
 * @example
 * ```ts
 * const { x, y } = decompressP256PublicKey(bytes);
 * ```
 */
export function decompressP256PublicKey(compressed: Uint8Array): PublicJwk {
  if (compressed.length !== P256_COMPRESSED_LENGTH || (compressed[0] !== 0x02 && compressed[0] !== 0x03)) {
    throw new UrbisError('KEY_INVALID', 'not a compressed P-256 point');
  }
  let uncompressed: Uint8Array;
  try {
    uncompressed = p256.Point.fromBytes(compressed).toBytes(false);
  } catch (cause) {
    throw new UrbisError('KEY_INVALID', 'not a point on P-256', { cause });
  }
  return {
    kty: 'EC',
    crv: 'P-256',
    x: base64urlEncode(uncompressed.subarray(1, 33)),
    y: base64urlEncode(uncompressed.subarray(33, 65)),
  };
}

function assertOnCurve(publicJwk: PublicJwk): void {
  pointOf(publicJwk);
}

function pointOf(publicJwk: PublicJwk): ReturnType<typeof p256.Point.fromBytes> {
  let x: Uint8Array;
  let y: Uint8Array;
  try {
    x = base64urlDecode(publicJwk.x);
    y = base64urlDecode(publicJwk.y);
  } catch (cause) {
    throw new UrbisError('KEY_INVALID', 'JWK coordinates must be canonical base64url', { cause });
  }
  if (x.length !== 32 || y.length !== 32) throw new UrbisError('KEY_INVALID', 'JWK coordinates must be 32 bytes');
  const uncompressed = new Uint8Array(65);
  uncompressed[0] = 0x04;
  uncompressed.set(x, 1);
  uncompressed.set(y, 33);
  try {
    // fromBytes checks the curve equation and rejects coordinates >= p.
    return p256.Point.fromBytes(uncompressed);
  } catch (cause) {
    throw new UrbisError('KEY_INVALID', 'not a point on P-256', { cause });
  }
}
