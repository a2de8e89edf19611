/**
 * The JWT VC port: the narrow function types through which Urbis issues and
 * verifies legacy, full-disclosure **JWT VCs** (`jwt_vc_json`, the VC-JWT
 * encoding with a `vc` claim) for partners that only take JWT VCs.
 *
 * `core/` only defines the shapes and the pure checks; the implementations
 * live in `adapters/veramo-jwt-vc/` (did-jwt-vc directly, or a Veramo agent).
 *
 * @example
 * ```ts
 * const jwt = await issue({
 *   type: ['VerifiableCredential', 'ResidentCredential'],
 *   claims: { municipality: 'Lyon', age_over_18: true },
 *   issuerDid,
 *   validFrom: new Date('2026-01-01T00:00:00Z'),
 *   validUntil: new Date('2027-01-01T00:00:00Z'),
 *   vcdmVersion: '2.0',
 * });
 * const result = await verify({ jwt, trustedIssuers: [issuerDid] });
 * if (!result.ok) console.log(result.failures.map((f) => f.code));
 * ```
 */
import type { UrbisErrorCode } from '../errors/urbis-error.js';

/** W3C VC Data Model version of the credential inside the JWT. */
export type VcdmVersion = '1.1' | '2.0';

/** Base `@context` of VCDM 1.1 (first entry of `@context`). */
export const VCDM_1_1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';

/** Base `@context` of VCDM 2.0 (first entry of `@context`). */
export const VCDM_2_0_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** Inputs above this many bytes (64 KiB, DESIGN §4) are refused before parsing. */
export const MAX_JWT_VC_BYTES = 65_536;

/** Default clock skew, in seconds, for `nbf`/`exp`/`iat` and VCDM validity (DESIGN §4). */
export const DEFAULT_JWT_VC_CLOCK_SKEW_SECONDS = 60;

/** A `credentialStatus` entry, passed through untouched (e.g. a BitstringStatusListEntry). */
export interface JwtVcCredentialStatus {
  type: string;
  id?: string;
  [member: string]: unknown;
}

/** Arguments of {@link JwtVcIssuer}. */
export interface JwtVcIssueArgs {
  /** Credential types; `VerifiableCredential` is put first when missing. */
  type: readonly string[];
  /** `credentialSubject` claims (without `id`; use `subjectId`). At least one. */
  claims: Readonly<Record<string, unknown>>;
  /** `credentialSubject.id`, carried as the JWT `sub`. */
  subjectId?: string;
  /** The issuer DID (`iss`); the implementation must hold its key. */
  issuerDid: string;
  /** Start of validity (`nbf`; `validFrom` in 2.0, `issuanceDate` in 1.1). Whole seconds are kept. */
  validFrom: Date;
  /** End of validity (`exp`; `validUntil` in 2.0, `expirationDate` in 1.1). Whole seconds are kept. */
  validUntil: Date;
  /** Passed through to `vc.credentialStatus`. */
  credentialStatus?: JwtVcCredentialStatus | readonly JwtVcCredentialStatus[];
  vcdmVersion: VcdmVersion;
}

/**
 * Issues a JWT VC signed with ES256 and returns the compact JWT.
 * @throws UrbisError `INVALID_ARGUMENT` on bad arguments; other codes are
 *   implementation specific (for example `DID_NOT_FOUND` when the issuer key
 *   is not held).
 */
export type JwtVcIssuer = (args: JwtVcIssueArgs) => Promise<string>;

/** Arguments of {@link JwtVcVerifier}. */
export interface JwtVcVerifyArgs {
  /** The compact JWT; refused above {@link MAX_JWT_VC_BYTES} before parsing. */
  jwt: string;
  /** Verification time (default: the current time). */
  now?: Date;
  /** When given, the issuer DID (`iss`) must be one of these, else `ISSUER_UNTRUSTED`. */
  trustedIssuers?: readonly string[];
}

/** The stage of verification a failure comes from. */
export type JwtVcCheck = 'input' | 'format' | 'header' | 'schema' | 'issuer' | 'trust' | 'signature' | 'validity';

/** One failed check. `detail` is a fixed structural description, never claim values. */
export interface JwtVcFailure {
  check: JwtVcCheck;
  code: UrbisErrorCode;
  detail: string;
}

/** A verified JWT VC. */
export interface JwtVcVerified {
  ok: true;
  vcdmVersion: VcdmVersion;
  /** Issuer DID (`iss`). */
  issuer: string;
  /** `vc.type`, always containing `VerifiableCredential`. */
  type: string[];
  /** `credentialSubject` without `id`. */
  claims: Record<string, unknown>;
  /** `credentialSubject.id` or `sub`, when present. */
  subjectId?: string;
  /** Credential id (`jti` or `vc.id`), when present. */
  id?: string;
  /** Latest start of validity found (`nbf`, `validFrom`, `issuanceDate`). */
  validFrom?: Date;
  /** Earliest end of validity found (`exp`, `validUntil`, `expirationDate`). */
  validUntil?: Date;
  credentialStatus?: JwtVcCredentialStatus | JwtVcCredentialStatus[];
}

/** A rejected JWT VC: at least one failure, in pipeline order. */
export interface JwtVcRejected {
  ok: false;
  failures: JwtVcFailure[];
}

/** Result of {@link JwtVcVerifier}: branch on `ok`, then on `failures[i].code`. */
export type JwtVcVerification = JwtVcVerified | JwtVcRejected;

/**
 * Verifies a JWT VC. Never throws for a bad credential (returns `ok: false`);
 * throws `UrbisError('INVALID_ARGUMENT')` only for bad options such as an
 * invalid `now`.
 */
export type JwtVcVerifier = (args: JwtVcVerifyArgs) => Promise<JwtVcVerification>;

/**
 * What a library adapter reports about the signature of a JWT VC whose
 * structure, header and issuer `core` has already checked.
 */
export type JwtVcSignatureOutcome =
  | { ok: true; /** The DID whose key the library matched. */ issuer: string }
  | { ok: false; check: 'signature' | 'schema'; detail: string };

/**
 * The adapter hook: checks the signature (issuer DID resolution + ES256) with
 * a library. Called only after every structural check passed. Implementations
 * must not check time (core does, from the decoded claims) and must not throw.
 */
export type JwtVcSignatureCheck = (args: {
  jwt: string;
  issuer: string;
  vcdmVersion: VcdmVersion;
}) => Promise<JwtVcSignatureOutcome>;
