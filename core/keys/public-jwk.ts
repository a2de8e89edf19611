import type { PrivateJwk, PublicJwk } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';

const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Checks that a value is a public P-256 JWK and returns only its public
 * members (`kty`, `crv`, `x`, `y`, plus `kid` when present). Whether the point
 * lies on the curve is checked when the key is imported.
 *
 * @throws UrbisError `KEY_PRIVATE_IN_PUBLIC` when it carries `d`;
 *   `KEY_INVALID` when it is not an EC P-256 key with 32-byte coordinates.
 */
export function toPublicP256Jwk(value: unknown): PublicJwk {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UrbisError('KEY_INVALID', 'JWK must be a JSON object');
  }
  const jwk = value as Record<string, unknown>;
  if ('d' in jwk) throw new UrbisError('KEY_PRIVATE_IN_PUBLIC', 'a public JWK must not contain a private part');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    throw new UrbisError('KEY_INVALID', 'JWK must be kty EC on crv P-256');
  }
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || !COORDINATE.test(jwk.x) || !COORDINATE.test(jwk.y)) {
    throw new UrbisError('KEY_INVALID', 'JWK coordinates must be 32-byte base64url values');
  }
  const out: PublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  if (typeof jwk.kid === 'string') out.kid = jwk.kid;
  return out;
}

/**
 * Checks that a value is a private P-256 JWK.
 * @throws UrbisError `KEY_INVALID`
 */
export function toPrivateP256Jwk(value: unknown): PrivateJwk {
  if (typeof value !== 'object' || value === null) throw new UrbisError('KEY_INVALID', 'JWK must be a JSON object');
  const { d, ...rest } = value as Record<string, unknown>;
  if (typeof d !== 'string' || !COORDINATE.test(d)) {
    throw new UrbisError('KEY_INVALID', 'private JWK must have a 32-byte d');
  }
  return { ...toPublicP256Jwk(rest), d };
}

/** Removes everything but the public members of a P-256 JWK (drops `d`, `kid`, ...). */
export function publicPartOf(jwk: PublicJwk | PrivateJwk): PublicJwk {
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}
