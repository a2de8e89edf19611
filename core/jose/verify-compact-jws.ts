import type { OrPromise, PublicJwk, SignatureVerifier } from '../crypto/ports.js';
import { UrbisError, type UrbisErrorCode } from '../errors/urbis-error.js';
import { checkJoseHeader, decodeCompactJws, ES256_SIGNATURE_BYTES, type DecodedJws } from './compact-jws.js';

/**
 * Verifies an ES256 compact JWS as a whole, stopping at the first problem:
 * size bound (before parsing), structure, header (RFC 8725 checks and `typ`),
 * then the signature with the key `publicJwkFor` picks from the header.
 *
 * @throws UrbisError `sizeErrorCode` above `maxLength`, `JWS_MALFORMED`, a
 *   header problem's code (`ALG_NONE`, `ALG_HMAC`, `ALG_NOT_ALLOWED`,
 *   `HEADER_EMBEDDED_KEY`, `HEADER_CRIT_UNSUPPORTED`, `TYP_INVALID`),
 *   `SIGNATURE_INVALID`.
 *
 * @example
 * ```ts
 * const { payload } = await verifyCompactJws({ jwt, expectedTyp: ['statuslist+jwt'], verifySignature, publicJwkFor: () => key, maxLength, sizeErrorCode: 'STATUS_LIST_TOO_LARGE', label: 'status list token' });
 * ```
 */
export async function verifyCompactJws({
  jwt,
  expectedTyp,
  verifySignature,
  publicJwkFor,
  maxLength,
  sizeErrorCode,
  label,
}: {
  jwt: unknown;
  expectedTyp: readonly string[];
  verifySignature: SignatureVerifier;
  publicJwkFor: (header: Record<string, unknown>) => OrPromise<PublicJwk>;
  maxLength: number;
  sizeErrorCode: UrbisErrorCode;
  /** What is being verified, for messages (no data values). */
  label: string;
}): Promise<DecodedJws> {
  if (typeof jwt !== 'string') throw new UrbisError('JWS_MALFORMED', `the ${label} must be a compact JWS string`);
  if (jwt.length > maxLength) throw new UrbisError(sizeErrorCode, `the ${label} exceeds the size limit`);
  const jws = decodeCompactJws(jwt);
  const [problem] = checkJoseHeader({ header: jws.header, allowedAlgs: ['ES256'], expectedTyp });
  if (problem !== undefined) throw new UrbisError(problem.code, `${label}: ${problem.detail}`);
  const publicJwk = await publicJwkFor(jws.header);
  const valid =
    jws.signature.length === ES256_SIGNATURE_BYTES &&
    (await verifySignature({ alg: 'ES256', publicJwk, signingInput: jws.signingInput, signature: jws.signature }));
  if (!valid) throw new UrbisError('SIGNATURE_INVALID', `the ${label} signature does not verify`);
  return jws;
}
