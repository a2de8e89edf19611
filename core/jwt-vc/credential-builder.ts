import { UrbisError } from '../errors/urbis-error.js';
import {
  VCDM_1_1_CONTEXT,
  VCDM_2_0_CONTEXT,
  type JwtVcCredentialStatus,
  type JwtVcIssueArgs,
  type VcdmVersion,
} from './jwt-vc-port.js';

/** A credential in W3C JSON form (VCDM 1.1 or 2.0), before JWT encoding. */
export interface W3cCredential {
  '@context': string[];
  type: string[];
  issuer: string;
  id?: string;
  credentialSubject: Record<string, unknown>;
  /** VCDM 1.1 */
  issuanceDate?: string;
  /** VCDM 1.1 */
  expirationDate?: string;
  /** VCDM 2.0 */
  validFrom?: string;
  /** VCDM 2.0 */
  validUntil?: string;
  credentialStatus?: JwtVcCredentialStatus | JwtVcCredentialStatus[];
  [member: string]: unknown;
}

/** The JWT claims set of a JWT VC (VC-JWT encoding with a `vc` claim). */
export interface JwtVcPayload {
  iss: string;
  sub?: string;
  jti?: string;
  nbf?: number;
  exp?: number;
  vc: {
    '@context': string[];
    type: string[];
    credentialSubject: Record<string, unknown>;
    [member: string]: unknown;
  };
}

const DID = /^did:[a-z0-9]+:[A-Za-z0-9._%:-]+$/;

/**
 * Builds the W3C JSON form of a credential from issuance arguments, checking
 * them. VCDM 2.0 gets `@context` `[…/ns/credentials/v2]` and
 * `validFrom`/`validUntil`; VCDM 1.1 gets `[…/2018/credentials/v1]` and
 * `issuanceDate`/`expirationDate`. Dates keep whole seconds (JWT `nbf`/`exp`
 * are in seconds, so both forms agree exactly).
 *
 * @throws UrbisError `INVALID_ARGUMENT`
 *
 * @example
 * ```ts
 * const credential = buildW3cCredential({
 *   type: ['VerifiableCredential', 'ResidentCredential'],
 *   claims: { municipality: 'Lyon' },
 *   issuerDid: 'did:key:zDn…',
 *   validFrom: new Date('2026-01-01T00:00:00Z'),
 *   validUntil: new Date('2027-01-01T00:00:00Z'),
 *   vcdmVersion: '2.0',
 * });
 * // credential.validFrom === '2026-01-01T00:00:00Z'
 * ```
 */
export function buildW3cCredential(args: JwtVcIssueArgs): W3cCredential {
  const { type, claims, subjectId, issuerDid, validFrom, validUntil, credentialStatus, vcdmVersion } = args;
  if (vcdmVersion !== '1.1' && vcdmVersion !== '2.0') {
    throw new UrbisError('INVALID_ARGUMENT', 'vcdmVersion must be 1.1 or 2.0');
  }
  if (typeof issuerDid !== 'string' || !DID.test(issuerDid)) {
    throw new UrbisError('INVALID_ARGUMENT', 'issuerDid must be a DID');
  }
  if (subjectId !== undefined && (typeof subjectId !== 'string' || subjectId.length === 0)) {
    throw new UrbisError('INVALID_ARGUMENT', 'subjectId must be a non-empty string');
  }
  const types = checkTypes(type);
  const subject = checkClaims(claims);
  const from = wholeSeconds(validFrom, 'validFrom');
  const until = wholeSeconds(validUntil, 'validUntil');
  if (until.getTime() <= from.getTime()) {
    throw new UrbisError('INVALID_ARGUMENT', 'validUntil must be after validFrom');
  }

  const credential: W3cCredential = {
    '@context': [contextOf(vcdmVersion)],
    type: types,
    issuer: issuerDid,
    credentialSubject: subjectId === undefined ? subject : { id: subjectId, ...subject },
  };
  if (vcdmVersion === '2.0') {
    credential.validFrom = isoSeconds(from);
    credential.validUntil = isoSeconds(until);
  } else {
    credential.issuanceDate = isoSeconds(from);
    credential.expirationDate = isoSeconds(until);
  }
  if (credentialStatus !== undefined) credential.credentialStatus = checkStatus(credentialStatus);
  return credential;
}

/**
 * Encodes a W3C credential as a JWT claims set (VC-JWT encoding, VCDM 1.1
 * §6.3.1): `issuer` → `iss`, `credentialSubject.id` → `sub`, `id` → `jti`,
 * everything else inside `vc`. Validity becomes `nbf`/`exp`:
 *
 * - VCDM 1.1: `issuanceDate`/`expirationDate` are moved to `nbf`/`exp` (what
 *   did-jwt-vc and Veramo produce, so the three agree byte for byte).
 * - VCDM 2.0: `validFrom`/`validUntil` are mirrored into `nbf`/`exp` and also
 *   kept in `vc`, so JWT libraries check the window and VCDM 2.0 readers see
 *   the 2.0 names.
 *
 * No `iat` is added (as did-jwt-vc).
 *
 * @example
 * ```ts
 * const payload = encodeJwtVcPayload(buildW3cCredential({ ... , vcdmVersion: '1.1' }));
 * // { vc: { '@context': [...], type: [...], credentialSubject: {...} }, iss, nbf, exp }
 * ```
 */
export function encodeJwtVcPayload(credential: W3cCredential): JwtVcPayload {
  const {
    '@context': context,
    type,
    issuer,
    id,
    credentialSubject,
    issuanceDate,
    expirationDate,
    validFrom,
    validUntil,
    ...rest
  } = credential;
  const { id: subjectId, ...subject } = credentialSubject;
  const vc: JwtVcPayload['vc'] = { '@context': [...context], type: [...type], credentialSubject: subject };
  const payload: JwtVcPayload = { iss: issuer, vc };
  if (typeof subjectId === 'string') payload.sub = subjectId;
  if (typeof id === 'string') payload.jti = id;

  const notBefore = validFrom ?? issuanceDate;
  const notAfter = validUntil ?? expirationDate;
  if (notBefore !== undefined) payload.nbf = epochSeconds(notBefore);
  if (notAfter !== undefined) payload.exp = epochSeconds(notAfter);
  if (validFrom !== undefined) vc.validFrom = validFrom;
  if (validUntil !== undefined) vc.validUntil = validUntil;
  for (const [name, value] of Object.entries(rest)) {
    if (value !== undefined) vc[name] = value;
  }
  return payload;
}

/** The base `@context` URL of a VCDM version. */
export function contextOf(version: VcdmVersion): string {
  return version === '2.0' ? VCDM_2_0_CONTEXT : VCDM_1_1_CONTEXT;
}

function checkTypes(type: readonly string[]): string[] {
  if (!Array.isArray(type) || type.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw new UrbisError('INVALID_ARGUMENT', 'type must be an array of non-empty strings');
  }
  const rest = type.filter((t) => t !== 'VerifiableCredential');
  return ['VerifiableCredential', ...new Set(rest)];
}

function checkClaims(claims: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new UrbisError('INVALID_ARGUMENT', 'claims must be an object');
  }
  if (Object.prototype.hasOwnProperty.call(claims, 'id')) {
    throw new UrbisError('INVALID_ARGUMENT', 'claims must not contain id; use subjectId');
  }
  const entries = Object.entries(claims).filter(([, value]) => value !== undefined);
  if (entries.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'claims must not be empty');
  return Object.fromEntries(entries);
}

function checkStatus(
  status: JwtVcCredentialStatus | readonly JwtVcCredentialStatus[],
): JwtVcCredentialStatus | JwtVcCredentialStatus[] {
  const entries = Array.isArray(status) ? status : [status];
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { type?: unknown }).type !== 'string') {
      throw new UrbisError('INVALID_ARGUMENT', 'credentialStatus entries must be objects with a string type');
    }
  }
  return Array.isArray(status) ? status.map((s) => ({ ...s })) : { ...(status as JwtVcCredentialStatus) };
}

function wholeSeconds(date: Date, name: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new UrbisError('INVALID_ARGUMENT', `${name} must be a valid Date`);
  }
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** `2026-01-01T00:00:00Z` (no milliseconds). */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function epochSeconds(dateTime: string): number {
  const ms = Date.parse(dateTime);
  if (Number.isNaN(ms)) throw new UrbisError('INVALID_ARGUMENT', 'credential dates must be XML Schema dateTime values');
  return Math.floor(ms / 1000);
}
