import type { Hasher, PublicJwk } from '../crypto/ports.js';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { toPublicP256Jwk } from './public-jwk.js';

/**
 * JWK thumbprints (RFC 7638) of public P-256 keys, and their URI form
 * (RFC 9278). Urbis uses them as key ids (`kid`), as DID URL fragments of
 * issuer keys in `did:web` documents, and in the trusted-issuer registry.
 */

/** The RFC 9278 §3 URI prefix for a SHA-256 JWK thumbprint. */
export const JWK_THUMBPRINT_URI_PREFIX = 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:';

/**
 * The RFC 7638 §3.2 hash input for a public P-256 JWK: the required members
 * `crv`, `kty`, `x`, `y` in lexicographic order, no whitespace.
 *
 * @throws UrbisError `KEY_PRIVATE_IN_PUBLIC` when the JWK carries `d`;
 *   `KEY_INVALID` when it is not an EC P-256 key with canonical 32-byte
 *   base64url coordinates.
 *
 * @example
 * ```ts
 * jwkThumbprintInput(publicJwk); // '{"crv":"P-256","kty":"EC","x":"...","y":"..."}'
 * ```
 */
export function jwkThumbprintInput(publicJwk: unknown): string {
  const jwk = toPublicP256Jwk(publicJwk);
  // One key, one thumbprint: refuse non-canonical base64url (non-zero
  // trailing bits), which would give the same point another thumbprint.
  for (const coordinate of [jwk.x, jwk.y]) {
    try {
      base64urlDecode(coordinate);
    } catch (cause) {
      throw new UrbisError('KEY_INVALID', 'JWK coordinates must be canonical base64url', { cause });
    }
  }
  return JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
}

/**
 * Computes the RFC 7638 JWK thumbprint (SHA-256, base64url without padding)
 * of a public P-256 key. Members other than `crv`, `kty`, `x`, `y` (`kid`,
 * `alg`, `use`, ...) do not enter the thumbprint.
 *
 * @param args.publicJwk The public P-256 JWK.
 * @param args.hash The SHA-256 port (e.g. `createNodeCrypto().hash`).
 * @returns The 43-character base64url thumbprint.
 * @throws UrbisError `KEY_PRIVATE_IN_PUBLIC`, `KEY_INVALID` (see {@link jwkThumbprintInput}).
 *
 * @example
 * ```ts
 * const crypto = createNodeCrypto();
 * const kid = await calculateJwkThumbprint({ publicJwk, hash: crypto.hash });
 * ```
 */
export async function calculateJwkThumbprint({ publicJwk, hash }: { publicJwk: PublicJwk; hash: Hasher }): Promise<string> {
  const input = jwkThumbprintInput(publicJwk);
  return base64urlEncode(await hash(input, 'sha-256'));
}

/**
 * Computes the RFC 9278 JWK thumbprint URI
 * `urn:ietf:params:oauth:jwk-thumbprint:sha-256:<thumbprint>` of a public P-256 key.
 *
 * @throws UrbisError `KEY_PRIVATE_IN_PUBLIC`, `KEY_INVALID` (see {@link jwkThumbprintInput}).
 *
 * @example
 * ```ts
 * const uri = await calculateJwkThumbprintUri({ publicJwk, hash: crypto.hash });
 * // 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I'
 * ```
 */
export async function calculateJwkThumbprintUri({ publicJwk, hash }: { publicJwk: PublicJwk; hash: Hasher }): Promise<string> {
  return JWK_THUMBPRINT_URI_PREFIX + (await calculateJwkThumbprint({ publicJwk, hash }));
}
