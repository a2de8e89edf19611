import type { RandomBytes } from '../../core/crypto/ports.js';
import { base64urlEncode } from '../../core/encoding/base64url.js';

/** Random bytes in a `c_nonce` (256 bits: unguessable, OID4VCI 1.0 §7.2). */
export const C_NONCE_BYTES = 32;

/** Body of a Nonce Response (OID4VCI 1.0 §7.2). Send it with `NO_STORE_HEADERS`. */
export interface NonceResponse {
  c_nonce: string;
}

/**
 * Draws a fresh, unpredictable `c_nonce`: 32 random bytes, base64url
 * (43 characters). The issuer stores it (hashed or not) as single-use with a
 * short lifetime, and consumes it in the `consumeNonce` callback it passes
 * to `verifyProofJwts`.
 *
 * @example
 * ```ts
 * const cNonce = createCNonce({ randomBytes: crypto.randomBytes });
 * await nonces.insert(cNonce, now + 300);
 * res.set(NO_STORE_HEADERS).json({ c_nonce: cNonce } satisfies NonceResponse);
 * ```
 */
export function createCNonce({ randomBytes }: { randomBytes: RandomBytes }): string {
  return base64urlEncode(randomBytes(C_NONCE_BYTES));
}
