import type { Base64urlHasher, Hasher, SignatureVerifier } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';
import type { StatusSource } from '../status/status-source.js';
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

/** What a verifier is built from: everything local, so verification runs offline. */
export interface PresentationVerifierConfig {
  /** Crypto ports: only hashing and signature verification are used. */
  crypto: { hash: Hasher; hashBase64url?: Base64urlHasher; verifySignature: SignatureVerifier };
  /** Trusted issuers (a snapshot of the federation registry). */
  trust: TrustedIssuerLookup;
  /** Local status bits (a snapshot of the chain's status registry). */
  status: StatusSource;
  /** Where accepted presentations are remembered; without it, replays are not detected. */
  replayCache?: ReplayCache;
  /** Overrides of DESIGN §4 defaults. */
  limits?: Partial<VerificationLimits>;
}

/** One verification: the untrusted presentation and what this request expects. */
export interface PresentationVerificationRequest {
  /** The SD-JWT+KB as received (bounded in size before parsing). */
  presentation: unknown;
  /** The nonce and audience this verifier expects in the KB-JWT. */
  keyBinding: KeyBindingExpectation;
  /** Verification time, epoch seconds (default: the system clock). */
  now?: number;
}

/** A prepared verifier: policies composed once, then applied per presentation. */
export type PresentationVerifier = (request: PresentationVerificationRequest) => Promise<PresentationVerificationResult>;

/**
 * Composes the Urbis verification policies once (DESIGN §4 order): parse →
 * header → credential type → issuer trusted and accredited → issuer
 * signature → disclosures → protected claims → validity → key binding →
 * unreferenced disclosures → replay → status → snapshot age → schema.
 *
 * The verifier returns every failed check with its stable code and never
 * throws for a bad presentation (it throws `INVALID_ARGUMENT` only when asked
 * to check a scanner-only presentation without a replay cache). On success it remembers the presentation
 * in the replay cache.
 *
 * @example
 * ```ts
 * const verify = createPresentationVerifier({ crypto: createNodeCrypto(), trust, status, replayCache });
 * const result = await verify({ presentation, keyBinding: { nonce, audience: 'urn:urbis:terminal:gijon-pool-1' } });
 * if (result.ok) admit(result.claims); else report(result.failures.map((f) => f.code));
 * ```
 */
export function createPresentationVerifier(config: PresentationVerifierConfig): PresentationVerifier {
  const limits: VerificationLimits = { ...DEFAULT_VERIFICATION_LIMITS, ...config.limits };
  const { hash, hashBase64url, verifySignature } = config.crypto;
  const policies: readonly PresentationPolicy[] = [
    joseHeaderPolicy({ expectedTyp: ['vc+sd-jwt', 'dc+sd-jwt'] }),
    credentialTypePolicy,
    issuerTrustPolicy({ lookup: config.trust }),
    issuerSignaturePolicy,
    disclosurePolicy,
    protectedClaimsPolicy,
    validityPolicy({ requireExpiry: true }),
    keyBindingPolicy,
    unreferencedDisclosurePolicy,
    ...(config.replayCache ? [replayPolicy({ cache: config.replayCache })] : []),
    statusPolicy({ source: config.status }),
    snapshotAgePolicy({ source: config.status }),
    schemaPolicy,
  ];

  return async ({ presentation, keyBinding, now = Math.floor(Date.now() / 1000) }) => {
    if (keyBinding.scanner === true && config.replayCache === undefined) {
      // Without a nonce of its own, only the replay cache stops a scanned QR from being shown twice.
      throw new UrbisError('INVALID_ARGUMENT', 'a verifier of scanner-only presentations needs a replay cache');
    }
    const parsed = parsePresentation({ presentation, limits, now, hash, hashBase64url, verifySignature });
    if (parsed.context === undefined) return { ok: false, failures: parsed.failures };
    const { context } = parsed;
    context.keyBinding = keyBinding;
    const failures: VerificationFailure[] = parsed.failures;
    for (const policy of policies) {
      const outcome = policy(context);
      // Most policies are synchronous; awaiting only promises saves a microtask each.
      const found = outcome instanceof Promise ? await outcome : outcome;
      for (const failure of found) failures.push(failure);
    }
    if (failures.length > 0) return { ok: false, failures };
    if (config.replayCache !== undefined && context.replayKey !== undefined && context.replayExpiresAt !== undefined) {
      // Check again and remember in one synchronous step: another verification of the same
      // presentation may have been accepted while this one awaited a port. With a cache whose
      // `has` answers synchronously (memory, the terminal's file cache), nothing can run between
      // the check and the remember; an asynchronous cache narrows the window but cannot close it.
      const { replayCache } = config;
      const { replayKey, replayExpiresAt } = context;
      const seen = replayCache.has(replayKey, context.now);
      if (seen instanceof Promise ? await seen : seen) {
        return { ok: false, failures: [{ check: 'replay', code: 'KB_REPLAYED', detail: 'this presentation was already used' }] };
      }
      await replayCache.remember(replayKey, replayExpiresAt);
    }
    const { payload } = context.issuerJws;
    const result: PresentationVerificationResult = {
      ok: true,
      format: context.format!,
      type: context.credentialType!.name,
      issuer: context.issuerId!,
      claims: context.subjectClaims ?? subjectClaimsOf({ claims: context.processed!.claims, format: context.format! }),
      statusRef: context.statusRef!,
      warnings: context.warnings,
    };
    if (typeof payload.nbf === 'number') result.validFrom = payload.nbf;
    if (typeof payload.exp === 'number') result.validUntil = payload.exp;
    return result;
  };
}
