import type { Hasher, SignatureVerifier } from '../crypto/ports.js';
import type { StatusSource } from '../status-ports/status-source.js';
import type { ReplayCache } from '../trust/replay-cache.js';
import type { TrustedIssuerLookup } from '../trust/trusted-issuer.js';
import { parsePresentation } from './parse-presentation.js';
import { credentialTypePolicy } from './policies/credential-type-policy.js';
import { disclosurePolicy, unreferencedDisclosurePolicy } from './policies/disclosure-policy.js';
import { issuerSignaturePolicy } from './policies/issuer-signature-policy.js';
import { issuerTrustPolicy } from './policies/issuer-trust-policy.js';
import { joseHeaderPolicy } from './policies/jose-header-policy.js';
import { keyBindingPolicy, type KeyBindingExpectation } from './policies/key-binding-policy.js';
import { protectedClaimsPolicy } from './policies/protected-claims-policy.js';
import { replayPolicy } from './policies/replay-policy.js';
import { schemaPolicy } from './policies/schema-policy.js';
import { snapshotAgePolicy } from './policies/snapshot-age-policy.js';
import { statusPolicy } from './policies/status-policy.js';
import { validityPolicy } from './policies/validity-policy.js';
import type { PresentationPolicy } from './presentation-context.js';
import { subjectClaimsOf } from './subject-claims.js';
import { DEFAULT_VERIFICATION_LIMITS, type VerificationLimits } from './verification-policy.js';
import type { PresentationVerificationResult, VerificationFailure } from './verification-result.js';

/** Everything {@link verifyPresentation} needs; all of it local (offline). */
export interface VerifyPresentationOptions {
  /** The SD-JWT+KB as received (untrusted input, bounded in size before parsing). */
  presentation: unknown;
  /** Crypto ports: only hashing and signature verification are used. */
  crypto: { hash: Hasher; verifySignature: SignatureVerifier };
  /** Trusted issuers (a snapshot of the federation registry). */
  trust: TrustedIssuerLookup;
  /** Local status bits (a snapshot of the chain's status registry). */
  status: StatusSource;
  /** The nonce and audience this verifier expects in the KB-JWT. */
  keyBinding: KeyBindingExpectation;
  /** Where accepted presentations are remembered; without it, replays are not detected. */
  replayCache?: ReplayCache;
  /** Verification time, epoch seconds (default: the system clock). */
  now?: number;
  /** Overrides of DESIGN §4 defaults. */
  limits?: Partial<VerificationLimits>;
}

/**
 * Verifies an Urbis credential presentation (`vc+sd-jwt` or `dc+sd-jwt`,
 * with key binding) offline, in the order of DESIGN §4: parse → issuer
 * trusted and accredited for the type → issuer signature → disclosures →
 * validity → key binding → replay → status → snapshot age → schema.
 *
 * Returns every failed check, each with its stable code; never throws for a
 * bad presentation (only for a programming error such as a missing option).
 * On success, remembers the presentation in the replay cache.
 *
 * @example
 * ```ts
 * const result = await verifyPresentation({
 *   presentation, crypto: createNodeCrypto(), trust, status,
 *   keyBinding: { nonce, audience: 'urn:urbis:terminal:gijon-pool-1' },
 *   replayCache,
 * });
 * if (result.ok) admit(result.claims.age_over_18); else log(result.failures.map((f) => f.code));
 * ```
 */
export async function verifyPresentation(options: VerifyPresentationOptions): Promise<PresentationVerificationResult> {
  const limits: VerificationLimits = { ...DEFAULT_VERIFICATION_LIMITS, ...options.limits };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const parsed = parsePresentation({
    presentation: options.presentation,
    limits,
    now,
    hash: options.crypto.hash,
    verifySignature: options.crypto.verifySignature,
  });
  if (parsed.context === undefined) return { ok: false, failures: parsed.failures };
  const { context } = parsed;
  const failures: VerificationFailure[] = [...parsed.failures];

  const policies: PresentationPolicy[] = [
    joseHeaderPolicy({ expectedTyp: ['vc+sd-jwt', 'dc+sd-jwt'] }),
    credentialTypePolicy,
    issuerTrustPolicy({ lookup: options.trust }),
    issuerSignaturePolicy,
    disclosurePolicy,
    protectedClaimsPolicy,
    validityPolicy({ requireExpiry: true }),
    keyBindingPolicy(options.keyBinding),
    unreferencedDisclosurePolicy,
    ...(options.replayCache ? [replayPolicy({ cache: options.replayCache })] : []),
    statusPolicy({ source: options.status }),
    snapshotAgePolicy({ source: options.status }),
    schemaPolicy,
  ];
  for (const policy of policies) {
    const found = await policy(context);
    for (const failure of found) failures.push(failure);
  }

  if (failures.length > 0) return { ok: false, failures };
  if (context.replayKey !== undefined && context.replayExpiresAt !== undefined) {
    await options.replayCache?.remember(context.replayKey, context.replayExpiresAt);
  }
  const { payload } = context.issuerJws;
  const validUntil = typeof payload.exp === 'number' ? payload.exp : undefined;
  const validFrom = typeof payload.nbf === 'number' ? payload.nbf : undefined;
  const result: PresentationVerificationResult = {
    ok: true,
    format: context.format!,
    type: context.credentialType!.name,
    issuer: context.issuerId!,
    claims: subjectClaimsOf({ claims: context.processed!.claims, format: context.format! }),
    statusRef: context.statusRef!,
    warnings: context.warnings,
  };
  if (validFrom !== undefined) result.validFrom = validFrom;
  if (validUntil !== undefined) result.validUntil = validUntil;
  return result;
}
