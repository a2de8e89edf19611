import type { PublicJwk } from '../../core/crypto/ports.js';
import { createDidJwk } from '../../core/did/did-jwk.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { checkJoseHeader, decodeCompactJws } from '../../core/jose/compact-jws.js';
import { jwkThumbprintInput } from '../../core/keys/jwk-thumbprint.js';
import { splitSdJwt } from '../../core/sd-jwt/compact-sd-jwt.js';
import type { CredentialFormat } from './issuer-metadata.js';

/**
 * What the wallet checks of each credential it receives, before storing
 * it: that it is a credential of the format asked for, signed (by header)
 * with ES256, bound to the holder key of the matching key proof, and
 * naming an issuer. It does not verify the issuer's signature: that needs
 * the issuer's keys (DID document, trust registry), which is the
 * verifier's and the status checker's business, not issuance's.
 */

/** Longest credential accepted (DESIGN §4: presentations above 64 KiB are refused). */
export const MAX_CREDENTIAL_BYTES = 64 * 1024;

/** The `typ` values each format's issuer-signed JWT may carry. */
const TYP_BY_FORMAT: Readonly<Record<CredentialFormat, readonly string[]>> = {
  'dc+sd-jwt': ['dc+sd-jwt'],
  'vc+sd-jwt': ['vc+sd-jwt'],
  jwt_vc_json: ['JWT', 'jwt', 'vc+jwt'],
};

/**
 * Checks one issued credential against the key it must be bound to.
 *
 * - SD-JWT formats (`dc+sd-jwt`, `vc+sd-jwt`): a compact SD-JWT ending in
 *   `~` (no key-binding JWT), whose issuer JWT has `typ` equal to the format,
 *   `alg` ES256, and `cnf.jwk` equal to `publicJwk` (RFC 7638 members).
 * - `jwt_vc_json`: a compact JWS with `typ` `JWT` (or none), `alg` ES256,
 *   bound by `cnf.jwk` or by `sub` / `credentialSubject.id` being the
 *   `did:jwk` of `publicJwk`.
 * - it names its issuer: `iss`, else the VCDM 2.0 `issuer` (string or
 *   `{ id }`, also inside a `vc` claim); when `issuerIds` is given, that
 *   issuer is `issuerUrl` or one of them.
 *
 * @returns The credential's issuer identifier, as `iss`.
 * @throws UrbisError `BODY_INVALID` (not a string, a key-binding JWT
 *   attached, no `iss`), `INPUT_TOO_LARGE`, `SD_JWT_MISSING_TILDE`,
 *   `JWS_MALFORMED`, header codes (`TYP_INVALID`, `ALG_NOT_ALLOWED`, ...),
 *   `HOLDER_BINDING_MISSING` (bound to no key or another key),
 *   `ISSUER_UNTRUSTED` (an `iss` outside `issuerIds`).
 *
 * @example
 * ```ts
 * const { iss } = checkIssuedCredential({ credential, format: 'dc+sd-jwt', publicJwk, issuerUrl });
 * ```
 */
export function checkIssuedCredential({
  credential,
  format,
  publicJwk,
  issuerUrl,
  issuerIds,
  maxBytes = MAX_CREDENTIAL_BYTES,
}: {
  credential: unknown;
  format: CredentialFormat;
  publicJwk: PublicJwk;
  issuerUrl: string;
  issuerIds?: readonly string[];
  maxBytes?: number;
}): { iss: string } {
  if (typeof credential !== 'string' || credential === '') throw new UrbisError('BODY_INVALID', 'an issued credential is a non-empty string');
  if (credential.length > maxBytes) throw new UrbisError('INPUT_TOO_LARGE', `an issued credential is limited to ${maxBytes} bytes`);
  let jwt = credential;
  if (format !== 'jwt_vc_json') {
    const parts = splitSdJwt(credential, { maxBytes });
    if (parts.kbJwt !== undefined) throw new UrbisError('BODY_INVALID', 'an issued SD-JWT carries no key-binding JWT');
    jwt = parts.issuerJwt;
  }
  const { header, payload } = decodeCompactJws(jwt);
  const [problem] = checkJoseHeader({ header, allowedAlgs: ['ES256'], expectedTyp: TYP_BY_FORMAT[format], typOptional: format === 'jwt_vc_json' });
  if (problem !== undefined) throw new UrbisError(problem.code, `issued credential: ${problem.detail}`);

  if (!isBoundTo({ payload, publicJwk, format })) {
    throw new UrbisError('HOLDER_BINDING_MISSING', 'the issued credential is not bound to the holder key of its key proof');
  }
  const iss = issuerOf(payload);
  if (iss === undefined) throw new UrbisError('BODY_INVALID', 'the issued credential names no issuer (iss, or the VCDM issuer)');
  if (issuerIds !== undefined && iss !== issuerUrl && !issuerIds.includes(iss)) {
    throw new UrbisError('ISSUER_UNTRUSTED', 'the issued credential names an issuer the trust list does not give for this credential issuer');
  }
  return { iss };
}

/** `iss`, else the VCDM 2.0 `issuer` (a string or an object with an `id`), of the payload or its `vc` claim. */
function issuerOf(payload: Record<string, unknown>): string | undefined {
  const candidates = [payload.iss, payload.issuer, typeof payload.vc === 'object' && payload.vc !== null ? (payload.vc as { issuer?: unknown }).issuer : undefined];
  for (const candidate of candidates) {
    const id = typeof candidate === 'object' && candidate !== null ? (candidate as { id?: unknown }).id : candidate;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

function isBoundTo({ payload, publicJwk, format }: { payload: Record<string, unknown>; publicJwk: PublicJwk; format: CredentialFormat }): boolean {
  const expected = jwkThumbprintInput(publicJwk);
  const cnf = payload.cnf;
  if (typeof cnf === 'object' && cnf !== null && 'jwk' in cnf) {
    try {
      return jwkThumbprintInput((cnf as { jwk: unknown }).jwk) === expected;
    } catch {
      return false;
    }
  }
  if (format !== 'jwt_vc_json') return false;
  const did = createDidJwk(publicJwk);
  const subjects = [payload.sub, subjectId(payload.vc), subjectId(payload)];
  return subjects.some((subject) => subject === did || subject === `${did}#0`);
}

function subjectId(container: unknown): unknown {
  if (typeof container !== 'object' || container === null) return undefined;
  const subject = (container as { credentialSubject?: unknown }).credentialSubject;
  return typeof subject === 'object' && subject !== null ? (subject as { id?: unknown }).id : undefined;
}
