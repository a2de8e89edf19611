import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { splitSdJwt } from '../../core/sd-jwt/compact-sd-jwt.js';
import { DEFAULT_VERIFICATION_LIMITS } from '../../core/verification/verification-policy.js';

/**
 * The `nonce` a presentation's KB-JWT claims, read WITHOUT verifying
 * anything: only to find which pending request it answers (`take`). The
 * verification that follows checks the nonce, the audience and the
 * signature for real.
 *
 * @returns `undefined` when the input is not a string, is larger than
 *   `maxBytes` (checked before parsing; default 64 KiB, core's limit), is not
 *   an SD-JWT+KB, or its KB-JWT has no string nonce of 16..256 characters.
 *
 * @example
 * ```ts
 * const pending = requests.take({ nonce: keyBindingNonceOf({ presentation: scanned }) ?? '' });
 * ```
 */
export function keyBindingNonceOf({
  presentation,
  maxBytes = DEFAULT_VERIFICATION_LIMITS.maxPresentationBytes,
}: {
  presentation: unknown;
  maxBytes?: number;
}): string | undefined {
  if (typeof presentation !== 'string') return undefined;
  try {
    const { kbJwt } = splitSdJwt(presentation, { maxBytes });
    if (kbJwt === undefined) return undefined;
    const { nonce } = decodeCompactJws(kbJwt).payload;
    return typeof nonce === 'string' && nonce.length >= 16 && nonce.length <= 256 ? nonce : undefined;
  } catch {
    return undefined;
  }
}
