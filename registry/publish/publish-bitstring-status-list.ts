import type { PublicJwk, SignatureVerifier, SigningKey } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { signCompactJws } from '../../core/jose/compact-jws.js';
import { verifyCompactJws } from '../../core/jose/verify-compact-jws.js';
import {
  buildBitstringStatusListCredential,
  type BitstringStatusListCredential,
} from '../../core/status/bitstring-status-list.js';
import type { Compression } from '../../core/status/compression.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import type { StatusList } from '../../core/status/status-list.js';
import { DEFAULT_MAX_STATUS_LIST_TOKEN_LENGTH } from '../../core/status/status-list-jwt.js';

/**
 * The W3C Bitstring Status List credential (VCDM 2.0), secured with JOSE as
 * "Securing Verifiable Credentials using JOSE and COSE" (VC-JOSE-COSE §3.1.1)
 * says: the JWS payload is the unsecured credential itself (no `vc` claim,
 * no JWT registered claims that could contradict it), the header says
 * `typ: vc+jwt` and `cty: vc`, ES256 only (DESIGN §4). A JOSE-secured VC is
 * the right envelope here: a status list credential has nothing to disclose,
 * so SD-JWT (`vc+sd-jwt`) would add only an empty `_sd` machinery.
 *
 * Urbis publishes one list per chain list with `statusPurpose: 'message'`
 * and `statusSize: 2` (0 valid, 1 revoked, 2 suspended, 3 undefined).
 */

/** The `typ` of a JOSE-secured VCDM 2.0 credential (VC-JOSE-COSE §3.1.1). */
export const VC_JWT_TYP = 'vc+jwt';
/** The `cty` of a JOSE-secured VCDM 2.0 credential (VC-JOSE-COSE §3.1.1). */
export const VC_JWT_CTY = 'vc';

/** A published Bitstring Status List credential: the credential and its `vc+jwt`. */
export interface PublishedBitstringStatusList {
  credential: BitstringStatusListCredential;
  jwt: string;
}

/**
 * Builds the `BitstringStatusListCredential` of a list (`message` purpose,
 * 2-bit entries, GZIP + multibase base64url `encodedList`) and signs it as a
 * `vc+jwt` with the issuer's ES256 key.
 *
 * @throws UrbisError `ALG_NOT_ALLOWED` (not an ES256 key);
 *   `STATUS_LIST_TOO_SMALL` (below 131,072 entries); `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const { jwt, credential } = await publishBitstringStatusListCredential({
 *   list,
 *   id: 'https://city.example/status/3',
 *   issuer: 'did:web:city.example',
 *   signingKey,
 *   validFrom: new Date(),
 *   validUntil: new Date(Date.now() + 86_400_000),
 * });
 * ```
 */
export async function publishBitstringStatusListCredential({
  list,
  id,
  issuer,
  signingKey,
  validFrom,
  validUntil,
  ttl,
  kid,
  compression = createNodeCompression(),
}: {
  list: StatusList;
  /** The credential's URL: the `statusListCredential` the credentials point at. */
  id: string;
  /** The issuer's DID (the same as the credentials' issuer). */
  issuer: string;
  signingKey: SigningKey;
  validFrom: Date | string;
  validUntil?: Date | string;
  /** Time to live in milliseconds (W3C §2.2). */
  ttl?: number;
  kid?: string;
  compression?: Compression;
}): Promise<PublishedBitstringStatusList> {
  if (signingKey.alg !== 'ES256') throw new UrbisError('ALG_NOT_ALLOWED', 'status list credentials are signed with ES256 only');
  const credential = buildBitstringStatusListCredential({
    id,
    issuer,
    validFrom,
    ...(validUntil === undefined ? {} : { validUntil }),
    ...(ttl === undefined ? {} : { ttl }),
    statusPurpose: 'message',
    list,
    compression,
  });
  const keyId = kid ?? signingKey.kid;
  const header: Record<string, unknown> = { alg: 'ES256', typ: VC_JWT_TYP, cty: VC_JWT_CTY };
  if (keyId !== undefined) header.kid = keyId;
  const jwt = await signCompactJws({ header, payload: credential as unknown as Record<string, unknown>, signingKey });
  return { credential, jwt };
}

/**
 * Verifies a `vc+jwt` Bitstring Status List credential and returns the
 * credential (decode its list with `decodeBitstringStatusList` or read it in
 * place with `statusReaderFromBitstring`). Checks: size; compact form; header
 * (ES256 only, no `none`/HMAC, no embedded keys, no `crit`, `typ` `vc+jwt`);
 * signature; then the payload: a `BitstringStatusListCredential` whose `id`
 * is `expectedId`, no `vc` claim, `validFrom` reached and `validUntil` (if
 * any) not passed, with a clock skew (default 60 s).
 *
 * @throws UrbisError `STATUS_LIST_TOO_LARGE`, `JWS_MALFORMED`, `ALG_NONE`,
 *   `ALG_HMAC`, `ALG_NOT_ALLOWED`, `HEADER_EMBEDDED_KEY`,
 *   `HEADER_CRIT_UNSUPPORTED`, `TYP_INVALID`, `SIGNATURE_INVALID`,
 *   `CLAIM_INVALID`, `CREDENTIAL_NOT_YET_VALID`, `CREDENTIAL_EXPIRED`,
 *   `STATUS_LIST_MALFORMED`.
 *
 * @example
 * ```ts
 * const credential = await verifyBitstringStatusListCredentialJwt({
 *   jwt, expectedId: entry.statusListCredential, publicJwk, verifySignature: crypto.verifySignature,
 * });
 * const list = decodeBitstringStatusList({ encodedList: credential.credentialSubject.encodedList, statusSize: 2, compression });
 * ```
 */
export async function verifyBitstringStatusListCredentialJwt({
  jwt,
  expectedId,
  publicJwk,
  verifySignature,
  now = Math.floor(Date.now() / 1000),
  clockSkewSeconds = 60,
  maxLength = DEFAULT_MAX_STATUS_LIST_TOKEN_LENGTH,
}: {
  jwt: string;
  expectedId: string;
  publicJwk: PublicJwk;
  verifySignature: SignatureVerifier;
  /** Epoch seconds. */
  now?: number;
  clockSkewSeconds?: number;
  maxLength?: number;
}): Promise<BitstringStatusListCredential> {
  const { payload } = await verifyCompactJws({
    jwt,
    expectedTyp: [VC_JWT_TYP, `application/${VC_JWT_TYP}`],
    verifySignature,
    publicJwkFor: () => publicJwk,
    maxLength,
    sizeErrorCode: 'STATUS_LIST_TOO_LARGE',
    label: 'status list credential',
  });

  if ('vc' in payload) throw new UrbisError('CLAIM_INVALID', 'a vc+jwt payload is the credential itself, without a vc claim');
  const types = payload.type;
  if (!Array.isArray(types) || !types.includes('VerifiableCredential') || !types.includes('BitstringStatusListCredential')) {
    throw new UrbisError('CLAIM_INVALID', 'not a BitstringStatusListCredential');
  }
  if (payload.id !== expectedId) throw new UrbisError('CLAIM_INVALID', 'the credential id is not the expected status list URL');
  const subject = payload.credentialSubject as Record<string, unknown> | undefined;
  if (typeof subject !== 'object' || subject === null || subject.type !== 'BitstringStatusList' || typeof subject.encodedList !== 'string') {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'the credential subject is not a BitstringStatusList');
  }
  const validFrom = dateSeconds(payload.validFrom, 'validFrom');
  if (validFrom === undefined) throw new UrbisError('CLAIM_INVALID', 'validFrom is required');
  if (validFrom > now + clockSkewSeconds) throw new UrbisError('CREDENTIAL_NOT_YET_VALID', 'the status list credential is not valid yet');
  const validUntil = dateSeconds(payload.validUntil, 'validUntil');
  if (validUntil !== undefined && now - clockSkewSeconds >= validUntil) {
    throw new UrbisError('CREDENTIAL_EXPIRED', 'the status list credential has expired');
  }
  return payload as unknown as BitstringStatusListCredential;
}

function dateSeconds(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new UrbisError('CLAIM_INVALID', `${name} must be a date-time`);
  return Math.floor(ms / 1000);
}
