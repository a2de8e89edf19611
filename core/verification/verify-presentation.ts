import { createPresentationVerifier, type PresentationVerificationRequest, type PresentationVerifierConfig } from './create-presentation-verifier.js';
import type { PresentationVerificationResult } from './verification-result.js';

/** {@link createPresentationVerifier}'s configuration and one request, in one object. */
export type VerifyPresentationOptions = PresentationVerifierConfig & PresentationVerificationRequest;

/**
 * Verifies one Urbis presentation offline: a one-shot form of
 * {@link createPresentationVerifier} (which a terminal should build once and reuse).
 *
 * @example
 * ```ts
 * const result = await verifyPresentation({
 *   presentation, crypto: createNodeCrypto(), trust, status, replayCache,
 *   keyBinding: { nonce, audience: 'urn:urbis:terminal:gijon-pool-1' },
 * });
 * ```
 */
export async function verifyPresentation(options: VerifyPresentationOptions): Promise<PresentationVerificationResult> {
  const { presentation, keyBinding, now, ...config } = options;
  return createPresentationVerifier(config)({ presentation, keyBinding, ...(now === undefined ? {} : { now }) });
}
