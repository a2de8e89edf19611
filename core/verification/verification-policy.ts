import type { JwsAlgorithm } from '../crypto/ports.js';

/**
 * Tunable limits of a verification (DESIGN §4 defaults). Every terminal
 * policy may override them per service.
 */
export interface VerificationLimits {
  /** Clock skew tolerated on `exp`, `nbf`, `iat`, `validFrom`, `validUntil` (s). Default 60. */
  clockSkewSeconds: number;
  /** Oldest key-binding `iat` accepted, seconds before now. Default 300. */
  kbMaxAgeSeconds: number;
  /** Newest key-binding `iat` accepted, seconds after now. Default 60. */
  kbMaxFutureSeconds: number;
  /** Issuer JWS algorithms accepted. Default `['ES256']`. */
  issuerAlgs: readonly JwsAlgorithm[];
  /** Key-binding JWS algorithms accepted. Default `['ES256']`. */
  holderAlgs: readonly JwsAlgorithm[];
  /** Presentations above this many bytes are refused before parsing. Default 64 KiB. */
  maxPresentationBytes: number;
  /** Oldest status snapshot accepted (s); `undefined` means no limit. Default 86,400. */
  snapshotMaxAgeSeconds: number | undefined;
  /** Whether a stale snapshot fails (`fail`, default: fail closed) or only warns. */
  staleSnapshot: 'fail' | 'warn';
}

/** DESIGN §4 defaults. */
export const DEFAULT_VERIFICATION_LIMITS: Readonly<VerificationLimits> = Object.freeze<VerificationLimits>({
  clockSkewSeconds: 60,
  kbMaxAgeSeconds: 300,
  kbMaxFutureSeconds: 60,
  issuerAlgs: ['ES256'],
  holderAlgs: ['ES256'],
  maxPresentationBytes: 64 * 1024,
  snapshotMaxAgeSeconds: 86_400,
  staleSnapshot: 'fail',
});
