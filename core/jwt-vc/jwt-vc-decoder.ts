import { base64urlDecode, base64urlDecodeString, utf8Encode } from '../encoding/base64url.js';
import { checkJwtVcHeader } from './jwt-vc-header.js';
import {
  MAX_JWT_VC_BYTES,
  VCDM_1_1_CONTEXT,
  VCDM_2_0_CONTEXT,
  type JwtVcCredentialStatus,
  type JwtVcFailure,
  type VcdmVersion,
} from './jwt-vc-port.js';

/** A JWT VC whose structure, header and `vc` claim passed the checks; its signature is NOT checked yet. */
export interface DecodedJwtVc {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  vcdmVersion: VcdmVersion;
  issuer: string;
  type: string[];
  claims: Record<string, unknown>;
  subjectId?: string;
  id?: string;
  credentialStatus?: JwtVcCredentialStatus | JwtVcCredentialStatus[];
  /** Every start-of-validity value found (`nbf`, `vc.validFrom`, `vc.issuanceDate`), in ms. */
  notBefore: number[];
  /** Every end-of-validity value found (`exp`, `vc.validUntil`, `vc.expirationDate`), in ms. */
  notAfter: number[];
  /** `iat` in ms, when present. */
  issuedAt?: number;
}

/** Result of {@link decodeJwtVc}. */
export type JwtVcDecoding = { ok: true; decoded: DecodedJwtVc } | { ok: false; failures: JwtVcFailure[] };

const XSD_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Decodes a compact JWT VC and checks everything that needs no key, in order:
 * size (`INPUT_TOO_LARGE`, before any parsing), compact form and strict
 * base64url/JSON (`JWT_VC_INVALID`), the header ({@link checkJwtVcHeader}),
 * an ES256 signature of 64 bytes, and the VC-JWT claims (`vc` with a VCDM 1.1
 * or 2.0 base `@context` first, `type` with `VerifiableCredential`, one
 * `credentialSubject` object, `iss`, well-typed `nbf`/`exp`/`iat` and dates,
 * consistent `vc.issuer`/`vc.id`/`credentialSubject.id`) → `JWT_VC_INVALID`.
 *
 * Pure: no key, no DID resolution, no clock.
 *
 * @example
 * ```ts
 * const decoding = decodeJwtVc({ jwt });
 * if (decoding.ok) console.log(decoding.decoded.vcdmVersion, decoding.decoded.issuer);
 * ```
 */
export function decodeJwtVc({ jwt, maxBytes = MAX_JWT_VC_BYTES }: { jwt: string; maxBytes?: number }): JwtVcDecoding {
  const failed = (failure: JwtVcFailure): JwtVcDecoding => ({ ok: false, failures: [failure] });
  const invalid = (check: JwtVcFailure['check'], detail: string): JwtVcDecoding =>
    failed({ check, code: 'JWT_VC_INVALID', detail });

  if (typeof jwt !== 'string') return invalid('format', 'JWT must be a string');
  if (jwt.length > maxBytes || utf8Encode(jwt).byteLength > maxBytes) {
    return failed({ check: 'input', code: 'INPUT_TOO_LARGE', detail: `JWT is larger than ${maxBytes} bytes` });
  }
  const parts = jwt.split('.');
  if (parts.length !== 3) return invalid('format', 'JWT must have three dot-separated parts');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = parseJsonObject(headerPart);
  if (header === undefined) return invalid('format', 'JWT header is not base64url JSON object');
  const headerFailure = checkJwtVcHeader(header);
  if (headerFailure !== undefined) return failed(headerFailure);

  const payload = parseJsonObject(payloadPart);
  if (payload === undefined) return invalid('format', 'JWT payload is not base64url JSON object');
  let signature: Uint8Array;
  try {
    signature = base64urlDecode(signaturePart);
  } catch {
    return invalid('format', 'JWT signature is not base64url');
  }
  if (signature.length !== 64) return invalid('format', 'ES256 signature must be 64 bytes');

  const claims = readVcClaims(payload);
  if (typeof claims === 'string') return invalid('schema', claims);
  return { ok: true, decoded: { header, payload, ...claims } };
}

type VcClaims = Omit<DecodedJwtVc, 'header' | 'payload'>;

/** Reads the VC-JWT claims; returns a fixed detail string on the first problem. */
function readVcClaims(payload: Record<string, unknown>): VcClaims | string {
  const { vc, iss, sub, jti } = payload;
  if (!isObject(vc)) return 'payload has no vc object';
  if (typeof iss !== 'string' || iss.length === 0) return 'payload iss must be a string';

  const context = asStringArray(vc['@context']);
  if (context === undefined || context.length === 0) return 'vc @context must be a string or an array of strings';
  const vcdmVersion: VcdmVersion | undefined =
    context[0] === VCDM_2_0_CONTEXT ? '2.0' : context[0] === VCDM_1_1_CONTEXT ? '1.1' : undefined;
  if (vcdmVersion === undefined) return 'vc @context must start with the VCDM 1.1 or 2.0 base context';

  const type = asStringArray(vc.type);
  if (type === undefined || !type.includes('VerifiableCredential')) return 'vc type must include VerifiableCredential';

  const subject = vc.credentialSubject;
  if (!isObject(subject)) return 'vc credentialSubject must be one object';
  const { id: subjectIdInVc, ...claims } = subject;
  if (subjectIdInVc !== undefined && typeof subjectIdInVc !== 'string') return 'credentialSubject id must be a string';
  if (sub !== undefined && typeof sub !== 'string') return 'payload sub must be a string';
  if (subjectIdInVc !== undefined && sub !== undefined && subjectIdInVc !== sub) {
    return 'credentialSubject id and sub differ';
  }
  const subjectId = (subjectIdInVc ?? sub) as string | undefined;
  if (subjectId === undefined && Object.keys(claims).length === 0) return 'vc credentialSubject is empty';

  const issuerInVc = vc.issuer;
  if (issuerInVc !== undefined) {
    const issuerId = typeof issuerInVc === 'string' ? issuerInVc : isObject(issuerInVc) ? issuerInVc.id : undefined;
    if (issuerId !== iss) return 'vc issuer and iss differ';
  }
  if (jti !== undefined && typeof jti !== 'string') return 'payload jti must be a string';
  if (vc.id !== undefined && (typeof vc.id !== 'string' || (jti !== undefined && vc.id !== jti))) {
    return 'vc id and jti differ';
  }
  const id = (jti ?? vc.id) as string | undefined;

  const notBefore: number[] = [];
  const notAfter: number[] = [];
  const times: Array<[unknown, number[], string]> = [
    [payload.nbf, notBefore, 'payload nbf must be a number of seconds'],
    [payload.exp, notAfter, 'payload exp must be a number of seconds'],
  ];
  for (const [value, into, detail] of times) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) return detail;
    into.push(value * 1000);
  }
  let issuedAt: number | undefined;
  if (payload.iat !== undefined) {
    if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) return 'payload iat must be a number of seconds';
    issuedAt = payload.iat * 1000;
  }
  const dates: Array<[string, number[]]> =
    vcdmVersion === '2.0'
      ? [['validFrom', notBefore], ['validUntil', notAfter]]
      : [['issuanceDate', notBefore], ['expirationDate', notAfter]];
  for (const [name, into] of dates) {
    const value = vc[name];
    if (value === undefined) continue;
    const ms = typeof value === 'string' && XSD_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) return `vc ${name} must be an XML Schema dateTime`;
    into.push(ms);
  }
  if (vcdmVersion === '1.1' && notBefore.length === 0) return 'VCDM 1.1 credential has no issuanceDate (nbf)';

  const status = vc.credentialStatus;
  let credentialStatus: VcClaims['credentialStatus'];
  if (status !== undefined) {
    const entries = Array.isArray(status) ? status : [status];
    if (!entries.every((e) => isObject(e) && typeof e.type === 'string')) {
      return 'vc credentialStatus entries must be objects with a string type';
    }
    credentialStatus = status as VcClaims['credentialStatus'];
  }

  const out: VcClaims = { vcdmVersion, issuer: iss, type, claims, notBefore, notAfter };
  if (subjectId !== undefined) out.subjectId = subjectId;
  if (id !== undefined) out.id = id;
  if (issuedAt !== undefined) out.issuedAt = issuedAt;
  if (credentialStatus !== undefined) out.credentialStatus = credentialStatus;
  return out;
}

function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(base64urlDecodeString(part));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asStringArray(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) return undefined;
  return [...list] as string[];
}
