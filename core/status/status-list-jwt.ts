import type { OrPromise, PublicJwk, SignatureVerifier, SigningKey } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';
import { signCompactJws } from '../jose/compact-jws.js';
import { verifyCompactJws } from '../jose/verify-compact-jws.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, compressedBound } from './compression.js';
import {
  STATUS_LIST_JWT_TYP,
  buildStatusListTokenHeader,
  parseTokenStatusListObject,
  type StatusListTokenHeader,
  type StatusListTokenPayload,
} from './token-status-list.js';

/**
 * Signing and verification of IETF Status List Tokens in JWT form
 * (`statuslist+jwt`, draft-ietf-oauth-status-list §5.1, validation rules §8.3),
 * on the crypto ports: ES256 only (DESIGN §4), raw `r || s` signatures.
 */

/**
 * Longest compact token accepted by default: the base64url of a maximal
 * compressed list (see {@link compressedBound}) plus 64 KiB for header,
 * claims and signature.
 */
export const DEFAULT_MAX_STATUS_LIST_TOKEN_LENGTH =
  Math.ceil((compressedBound(DEFAULT_MAX_DECOMPRESSED_BYTES) * 4) / 3) + 64 * 1024;

/**
 * Signs a Status List Token: compact JWS `BASE64URL(header).BASE64URL(payload).BASE64URL(sig)`.
 * The header is `{ typ: 'statuslist+jwt', alg: 'ES256', kid }` with `kid`
 * taken from the argument or else from the signing key.
 *
 * @throws UrbisError `ALG_NOT_ALLOWED` when the key is not an ES256 key.
 *
 * @example
 * ```ts
 * const crypto = createNodeCrypto();
 * const key = crypto.signingKeyFromJwk({ privateJwk, kid: 'did:web:city.example#status-1' });
 * const payload = buildStatusListTokenPayload({ sub, iat, exp, list, compression });
 * const jwt = await signStatusListToken({ payload, signingKey: key });
 * ```
 */
export async function signStatusListToken({
  payload,
  signingKey,
  kid,
}: {
  payload: StatusListTokenPayload;
  signingKey: SigningKey;
  kid?: string;
}): Promise<string> {
  if (signingKey.alg !== 'ES256') throw new UrbisError('ALG_NOT_ALLOWED', 'status list tokens are signed with ES256 only');
  const keyId = kid ?? signingKey.kid;
  const header = buildStatusListTokenHeader(keyId === undefined ? {} : { kid: keyId });
  return signCompactJws({ header: { ...header }, payload: payload as unknown as Record<string, unknown>, signingKey: { alg: signingKey.alg, publicJwk: signingKey.publicJwk, sign: signingKey.sign } });
}


/** A verified Status List Token. */
export interface VerifiedStatusListToken {
  header: StatusListTokenHeader & Record<string, unknown>;
  payload: StatusListTokenPayload;
}

/** Where the issuer key comes from: a known key, or a lookup by `kid`. */
export type StatusListKeySource =
  | { publicJwk: PublicJwk; resolvePublicJwk?: never }
  | { resolvePublicJwk: (args: { kid?: string }) => OrPromise<PublicJwk>; publicJwk?: never };

/**
 * Verifies a Status List Token and returns its header and claims. Checks, in
 * order: size; compact form; `alg` (`none` → `ALG_NONE`, `HS*` → `ALG_HMAC`,
 * anything but ES256 → `ALG_NOT_ALLOWED`); no embedded keys (`jwk`, `jku`,
 * `x5c`, `x5u`) and no `crit`; `typ` is `statuslist+jwt` (or
 * `application/statuslist+jwt`); signature; then the claims: `sub` equals
 * `expectedSub` (the `uri` of the Referenced Token), `iat` present and not in
 * the future, `exp` (if present) not passed, `nbf` (if present) reached,
 * `ttl` (if present) positive, `iss` equal to `expectedIss` when given, and a
 * well-formed `status_list`. Clock skew defaults to 60 s (DESIGN §4).
 *
 * The list itself is not decompressed here: pass `payload.status_list` to
 * `decodeTokenStatusList` or `statusReaderFromTokenStatusList`.
 *
 * @throws UrbisError `STATUS_LIST_TOO_LARGE`, `JWS_MALFORMED`, `ALG_NONE`,
 *   `ALG_HMAC`, `ALG_NOT_ALLOWED`, `HEADER_EMBEDDED_KEY`,
 *   `HEADER_CRIT_UNSUPPORTED`, `TYP_INVALID`, `SIGNATURE_INVALID`,
 *   `CLAIM_MISSING`, `CLAIM_INVALID` (e.g. `sub` mismatch), `IAT_IN_FUTURE`,
 *   `CREDENTIAL_EXPIRED`, `CREDENTIAL_NOT_YET_VALID`, `STATUS_LIST_MALFORMED`
 *   (and `KEY_INVALID` from the verifier port).
 *
 * @example
 * ```ts
 * const { payload } = await verifyStatusListToken({
 *   jwt,
 *   expectedSub: referencedToken.status.status_list.uri,
 *   publicJwk: issuerKey,
 *   verifySignature: crypto.verifySignature,
 * });
 * const reader = statusReaderFromTokenStatusList({ statusList: payload.status_list, compression });
 * ```
 */
export async function verifyStatusListToken(
  args: {
    jwt: string;
    expectedSub: string;
    verifySignature: SignatureVerifier;
    expectedIss?: string;
    /** Current time, seconds since the epoch (default: the system clock). */
    now?: number;
    clockSkewSeconds?: number;
    maxTokenLength?: number;
  } & StatusListKeySource,
): Promise<VerifiedStatusListToken> {
  const {
    jwt,
    expectedSub,
    verifySignature,
    expectedIss,
    now = Math.floor(Date.now() / 1000),
    clockSkewSeconds = 60,
    maxTokenLength = DEFAULT_MAX_STATUS_LIST_TOKEN_LENGTH,
  } = args;
  const { header, payload } = await verifyCompactJws({
    jwt,
    expectedTyp: [STATUS_LIST_JWT_TYP, `application/${STATUS_LIST_JWT_TYP}`],
    verifySignature,
    publicJwkFor: (h) => issuerKey(args, h),
    maxLength: maxTokenLength,
    sizeErrorCode: 'STATUS_LIST_TOO_LARGE',
    label: 'status list token',
  });

  checkClaims(payload, { expectedSub, expectedIss, now, clockSkewSeconds });
  return {
    header: header as StatusListTokenHeader & Record<string, unknown>,
    payload: { ...payload, status_list: parseTokenStatusListObject(payload.status_list) } as StatusListTokenPayload,
  };
}

async function issuerKey(source: StatusListKeySource, header: Record<string, unknown>): Promise<PublicJwk> {
  if (source.publicJwk !== undefined) return source.publicJwk;
  if (typeof source.resolvePublicJwk !== 'function') {
    throw new UrbisError('INVALID_ARGUMENT', 'pass publicJwk or resolvePublicJwk');
  }
  return source.resolvePublicJwk(typeof header.kid === 'string' ? { kid: header.kid } : {});
}

function checkClaims(
  payload: Record<string, unknown>,
  {
    expectedSub,
    expectedIss,
    now,
    clockSkewSeconds,
  }: { expectedSub: string; expectedIss: string | undefined; now: number; clockSkewSeconds: number },
): void {
  const { sub, iss, iat, exp, nbf, ttl, status_list: statusList } = payload;
  if (sub === undefined) throw new UrbisError('CLAIM_MISSING', 'status list token has no sub');
  if (sub !== expectedSub) throw new UrbisError('CLAIM_INVALID', 'status list token sub does not match the referenced uri');
  if (expectedIss !== undefined && iss !== expectedIss) {
    throw new UrbisError('CLAIM_INVALID', 'status list token iss does not match');
  }
  if (iat === undefined) throw new UrbisError('CLAIM_MISSING', 'status list token has no iat');
  if (!isNumericDate(iat)) throw new UrbisError('CLAIM_INVALID', 'iat must be a NumericDate');
  if (iat > now + clockSkewSeconds) throw new UrbisError('IAT_IN_FUTURE', 'status list token issued in the future');
  if (exp !== undefined) {
    if (!isNumericDate(exp)) throw new UrbisError('CLAIM_INVALID', 'exp must be a NumericDate');
    if (now - clockSkewSeconds >= exp) throw new UrbisError('CREDENTIAL_EXPIRED', 'status list token has expired');
  }
  if (nbf !== undefined) {
    if (!isNumericDate(nbf)) throw new UrbisError('CLAIM_INVALID', 'nbf must be a NumericDate');
    if (nbf > now + clockSkewSeconds) throw new UrbisError('CREDENTIAL_NOT_YET_VALID', 'status list token not yet valid');
  }
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0)) {
    throw new UrbisError('CLAIM_INVALID', 'ttl must be a positive number');
  }
  if (statusList === undefined) throw new UrbisError('CLAIM_MISSING', 'status list token has no status_list');
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
