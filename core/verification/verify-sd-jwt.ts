import type { Base64urlHasher, Hasher, PublicJwk, SignatureVerifier } from '../crypto/ports.js';
import { parsePresentation } from './parse-presentation.js';
import { disclosurePolicy, unreferencedDisclosurePolicy } from './policies/disclosure-policy.js';
import { issuerSignaturePolicy } from './policies/issuer-signature-policy.js';
import { joseHeaderPolicy } from './policies/jose-header-policy.js';
import { keyBindingPolicy, type KeyBindingExpectation } from './policies/key-binding-policy.js';
import { validityPolicy } from './policies/validity-policy.js';
import type { PresentationPolicy } from './presentation-context.js';
import { DEFAULT_VERIFICATION_LIMITS, type VerificationLimits } from './verification-policy.js';
import type { VerificationFailure } from './verification-result.js';

/** The result of {@link verifySdJwt}. */
export type SdJwtVerificationResult =
  | { ok: true; payload: Record<string, unknown>; keyBinding?: Record<string, unknown> }
  | { ok: false; failures: VerificationFailure[] };

/**
 * Verifies a plain SD-JWT or SD-JWT+KB (RFC 9901 §7.1, §7.3) with a known
 * issuer key: the building block under {@link verifyPresentation}, and what
 * checks the RFC's own examples. Same policies, no credential-type, trust or
 * status layer.
 *
 * @example
 * ```ts
 * await verifySdJwt({ compact, issuerKey, expectedTyp: ['example+sd-jwt'], crypto, keyBinding: { nonce, audience }, now });
 * ```
 */
export async function verifySdJwt({
  compact,
  issuerKey,
  expectedTyp,
  crypto,
  keyBinding,
  now = Math.floor(Date.now() / 1000),
  limits: overrides,
}: {
  compact: string;
  issuerKey: PublicJwk;
  expectedTyp: readonly string[];
  crypto: { hash: Hasher; hashBase64url?: Base64urlHasher; verifySignature: SignatureVerifier };
  /** When given, a KB-JWT is required and checked against it. */
  keyBinding?: KeyBindingExpectation;
  now?: number;
  limits?: Partial<VerificationLimits>;
}): Promise<SdJwtVerificationResult> {
  const limits: VerificationLimits = { ...DEFAULT_VERIFICATION_LIMITS, ...overrides };
  const parsed = parsePresentation({
    presentation: compact,
    limits,
    now,
    hash: crypto.hash,
    hashBase64url: crypto.hashBase64url,
    verifySignature: crypto.verifySignature,
  });
  if (parsed.context === undefined) return { ok: false, failures: parsed.failures };
  const { context } = parsed;
  context.issuerKey = issuerKey;
  if (keyBinding !== undefined) context.keyBinding = keyBinding;
  const failures: VerificationFailure[] = [...parsed.failures];
  const policies: PresentationPolicy[] = [
    joseHeaderPolicy({ expectedTyp }),
    issuerSignaturePolicy,
    disclosurePolicy,
    validityPolicy({ requireExpiry: false }),
    keyBindingPolicy,
    unreferencedDisclosurePolicy,
  ];
  for (const policy of policies) failures.push(...(await policy(context)));
  if (failures.length > 0) return { ok: false, failures };
  const result: SdJwtVerificationResult = { ok: true, payload: context.processed!.claims };
  if (keyBinding && context.kbJws) result.keyBinding = context.kbJws.payload;
  return result;
}
