import { credentialTypeByName } from '../../core/credentials/credential-types.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { splitSdJwt } from '../../core/sd-jwt/compact-sd-jwt.js';
import { DEFAULT_VERIFICATION_LIMITS } from '../../core/verification/verification-policy.js';

const PAPER = credentialTypeByName('PaperServicePass');

/**
 * Whether a scanned text claims to be a printed paper pass (issue #8): an
 * SD-JWT without key-binding JWT whose issuer JWT names the
 * `PaperServicePass` type (`vct`, or the VCDM `type` array). Read WITHOUT
 * verifying anything: only to choose the terminal's paper flow, whose
 * verification (`keyBinding: { paper: true }`) checks everything for real.
 *
 * @returns `false` for anything else, including inputs larger than
 *   `maxBytes` (checked before parsing) and text that does not parse.
 *
 * @example
 * ```ts
 * const flow = isPaperPassText({ text: scanned }) ? 'paper' : 'request';
 * ```
 */
export function isPaperPassText({ text, maxBytes = DEFAULT_VERIFICATION_LIMITS.maxPresentationBytes }: { text: unknown; maxBytes?: number }): boolean {
  if (typeof text !== 'string') return false;
  try {
    const { issuerJwt, kbJwt } = splitSdJwt(text, { maxBytes });
    if (kbJwt !== undefined) return false;
    const { payload } = decodeCompactJws(issuerJwt);
    return payload.vct === PAPER.vct || (Array.isArray(payload.type) && payload.type.includes(PAPER.name));
  } catch {
    return false;
  }
}
