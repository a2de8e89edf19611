import type { CredentialTypeName } from '../credentials/credential-types.js';
import type { UrbisErrorCode } from '../errors/urbis-error.js';
import type { StatusRef } from '../status/status-source.js';

/** The checks of a verification, in the order DESIGN §4 runs them. */
export type VerificationCheck =
  | 'input'
  | 'jose-header'
  | 'trust'
  | 'signature'
  | 'disclosures'
  | 'protected-claims'
  | 'credential-type'
  | 'validity'
  | 'key-binding'
  | 'replay'
  | 'status'
  | 'snapshot'
  | 'schema'
  /** A terminal's service policy (verifier/policy), after core's checks. */
  | 'policy';

/** One failed check: which check, its stable code, and a detail free of personal data. */
export interface VerificationFailure {
  check: VerificationCheck;
  code: UrbisErrorCode;
  detail: string;
}

/** The two SD-JWT credential formats Urbis issues and verifies. */
export type SdJwtCredentialFormat = 'vc+sd-jwt' | 'dc+sd-jwt';

/** A presentation that passed every check. */
export interface VerifiedPresentation {
  ok: true;
  format: SdJwtCredentialFormat;
  type: CredentialTypeName;
  /** Issuer identifier (`iss` / VCDM `issuer`). */
  issuer: string;
  /** Disclosed subject claims only (no protocol fields). */
  claims: Record<string, unknown>;
  statusRef: StatusRef;
  /** Credential validity, epoch seconds. */
  validFrom?: number;
  validUntil?: number;
  /** Checks configured to warn rather than fail (e.g. a stale snapshot in `warn` mode). */
  warnings: VerificationFailure[];
}

/** A presentation that failed: every failed check, each with its code. */
export interface RejectedPresentation {
  ok: false;
  failures: VerificationFailure[];
}

/** The discriminated result of {@link verifyPresentation}. */
export type PresentationVerificationResult = VerifiedPresentation | RejectedPresentation;
