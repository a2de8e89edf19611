import type { CredentialTypeDefinition } from '../credentials/credential-types.js';
import type { Base64urlHasher, Hasher, OrPromise, PublicJwk, SignatureVerifier } from '../crypto/ports.js';
import type { DecodedJws } from '../jose/compact-jws.js';
import type { SdJwtParts } from '../sd-jwt/compact-sd-jwt.js';
import type { Disclosure } from '../sd-jwt/disclosure.js';
import type { ProcessedPayload } from '../sd-jwt/process-payload.js';
import type { StatusRef } from '../status/status-source.js';
import type { TrustedIssuer } from '../trust/trusted-issuer.js';
import type { SdJwtCredentialFormat, VerificationFailure } from './verification-result.js';
import type { VerificationLimits } from './verification-policy.js';
import type { KeyBindingExpectation } from './policies/key-binding-policy.js';

/**
 * What the policies of one verification share: the parsed presentation, the
 * injected crypto, the clock, and what earlier policies established. Policies
 * read it and may add to it; they never throw for a failed check, they
 * return failures.
 */
export interface PresentationContext {
  /** Verification time, epoch seconds. */
  now: number;
  /** What the KB-JWT must be bound to; without it, key binding is not checked. */
  keyBinding?: KeyBindingExpectation;
  limits: VerificationLimits;
  hash: Hasher;
  hashBase64url?: Base64urlHasher;
  verifySignature: SignatureVerifier;
  parts: SdJwtParts;
  issuerJws: DecodedJws;
  /** Disclosures that decoded; malformed ones were reported at parse time. */
  disclosures: Disclosure[];
  kbJws?: DecodedJws;
  /** Set when the KB-JWT was present but could not be decoded. */
  kbDecodeFailure?: VerificationFailure;
  // Established by policies:
  format?: SdJwtCredentialFormat;
  credentialType?: CredentialTypeDefinition;
  issuerId?: string;
  trustedIssuer?: TrustedIssuer;
  issuerKey?: PublicJwk;
  processed?: ProcessedPayload;
  /** The disclosed subject claims, once computed (see `subjectClaimsOf`). */
  subjectClaims?: Record<string, unknown>;
  /** Whether the KB-JWT's `sd_hash` matched the presented SD-JWT. */
  sdHashMatches?: boolean;
  /** Key under which an accepted presentation is remembered against replay. */
  replayKey?: string;
  replayExpiresAt?: number;
  statusRef?: StatusRef;
  warnings: VerificationFailure[];
}

/**
 * One composable verification policy (in the style of walt.id's policies):
 * a small function that checks one thing and returns its failures.
 */
export type PresentationPolicy = (context: PresentationContext) => OrPromise<VerificationFailure[]>;
