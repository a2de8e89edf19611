import { base58btc } from 'multiformats/bases/base58';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { base64urlDecode } from '../../core/encoding/base64url.js';
import { toPublicP256Jwk } from '../../core/keys/public-jwk.js';

/** Multicodec `p256-pub` (0x1200) as an unsigned varint. */
const P256_PUB_MULTICODEC = Uint8Array.of(0x80, 0x24);

/**
 * The SEC1 compressed form of a P-256 public key: `0x02 | x` when `y` is
 * even, `0x03 | x` when odd (33 bytes).
 *
 * @throws UrbisError `KEY_INVALID` / `KEY_PRIVATE_IN_PUBLIC` when the JWK is not a public P-256 JWK.
 */
export function compressP256PublicKey({ publicJwk }: { publicJwk: PublicJwk }): Uint8Array {
  const { x, y } = toPublicP256Jwk(publicJwk);
  const xBytes = base64urlDecode(x);
  const yBytes = base64urlDecode(y);
  const out = new Uint8Array(33);
  out[0] = (yBytes[31]! & 1) === 1 ? 0x03 : 0x02;
  out.set(xBytes, 1);
  return out;
}

/**
 * The did:key of a P-256 public key: multicodec 0x1200 + compressed point,
 * base58btc (so it starts with `did:key:zDn`). Kept in this adapter so it
 * does not depend on `core/did`.
 *
 * @example
 * ```ts
 * didKeyFromP256Jwk({ publicJwk }); // 'did:key:zDnae…'
 * ```
 */
export function didKeyFromP256Jwk({ publicJwk }: { publicJwk: PublicJwk }): string {
  const compressed = compressP256PublicKey({ publicJwk });
  const bytes = new Uint8Array(P256_PUB_MULTICODEC.length + compressed.length);
  bytes.set(P256_PUB_MULTICODEC, 0);
  bytes.set(compressed, P256_PUB_MULTICODEC.length);
  return `did:key:${base58btc.encode(bytes)}`;
}
