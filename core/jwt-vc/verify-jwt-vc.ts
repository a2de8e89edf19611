import { UrbisError } from '../errors/urbis-error.js';
import { decodeJwtVc } from './jwt-vc-decoder.js';
import { checkJwtVcIssuer } from './jwt-vc-issuer-checks.js';
import {
  DEFAULT_JWT_VC_CLOCK_SKEW_SECONDS,
  MAX_JWT_VC_BYTES,
  type JwtVcSignatureCheck,
  type JwtVcVerification,
  type JwtVcVerified,
  type JwtVcVerifier,
  type JwtVcVerifyArgs,
} from './jwt-vc-port.js';
import { checkJwtVcValidity } from './jwt-vc-validity.js';

/** Options of {@link createJwtVcVerifier}: the library hook and the policy knobs. */
export interface JwtVcVerifierOptions {
  /** The library that checks the signature (see `adapters/veramo-jwt-vc`). */
  checkSignature: JwtVcSignatureCheck;
  /** Default 60 s. */
  clockSkewSeconds?: number;
  /** DID methods the hook resolves (locally). Default `['key']`. */
  didMethods?: readonly string[];
  /** Default {@link MAX_JWT_VC_BYTES} (64 KiB). */
  maxBytes?: number;
}

/**
 * Builds a {@link JwtVcVerifier} around a library signature check. The
 * pipeline, failing fast between stages:
 *
 * 1. input size, before parsing (`INPUT_TOO_LARGE`);
 * 2. compact form, header and `vc` claim ({@link decodeJwtVc});
 * 3. issuer DID form and method, then trust ({@link checkJwtVcIssuer});
 * 4. signature, by `checkSignature` (`JWT_VC_INVALID`), whose matched DID must be `iss`;
 * 5. validity window at `now` ({@link checkJwtVcValidity}).
 *
 * Every code comes from decoded data or from the hook's structured outcome,
 * never from a library's message text.
 *
 * @example
 * ```ts
 * const verify = createJwtVcVerifier({ checkSignature });
 * const result = await verify({ jwt, trustedIssuers: [cityDid] });
 * if (!result.ok && result.failures[0]?.code === 'CREDENTIAL_EXPIRED') { ... }
 * ```
 */
export function createJwtVcVerifier({
  checkSignature,
  clockSkewSeconds = DEFAULT_JWT_VC_CLOCK_SKEW_SECONDS,
  didMethods = ['key'],
  maxBytes = MAX_JWT_VC_BYTES,
}: JwtVcVerifierOptions): JwtVcVerifier {
  if (typeof checkSignature !== 'function') throw new UrbisError('INVALID_ARGUMENT', 'checkSignature must be a function');
  if (!Number.isFinite(clockSkewSeconds) || clockSkewSeconds < 0) {
    throw new UrbisError('INVALID_ARGUMENT', 'clockSkewSeconds must be a non-negative number');
  }
  if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new UrbisError('INVALID_ARGUMENT', 'maxBytes must be a positive integer');

  return async ({ jwt, now, trustedIssuers }: JwtVcVerifyArgs): Promise<JwtVcVerification> => {
    if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
      throw new UrbisError('INVALID_ARGUMENT', 'now must be a valid Date');
    }
    if (trustedIssuers !== undefined && !Array.isArray(trustedIssuers)) {
      throw new UrbisError('INVALID_ARGUMENT', 'trustedIssuers must be an array of DIDs');
    }
    const at = now ?? new Date();

    const decoding = decodeJwtVc({ jwt, maxBytes });
    if (!decoding.ok) return decoding;
    const { decoded } = decoding;

    const issuerFailure = checkJwtVcIssuer({ issuer: decoded.issuer, didMethods, trustedIssuers });
    if (issuerFailure !== undefined) return { ok: false, failures: [issuerFailure] };

    let outcome: Awaited<ReturnType<JwtVcSignatureCheck>>;
    try {
      outcome = await checkSignature({ jwt, issuer: decoded.issuer, vcdmVersion: decoded.vcdmVersion });
    } catch {
      outcome = { ok: false, check: 'signature', detail: 'signature check failed unexpectedly' };
    }
    if (!outcome.ok) return { ok: false, failures: [{ check: outcome.check, code: 'JWT_VC_INVALID', detail: outcome.detail }] };
    if (outcome.issuer !== decoded.issuer) {
      return { ok: false, failures: [{ check: 'signature', code: 'JWT_VC_INVALID', detail: 'signing key does not belong to iss' }] };
    }

    const validityFailures = checkJwtVcValidity({ decoded, now: at, clockSkewSeconds });
    if (validityFailures.length > 0) return { ok: false, failures: validityFailures };

    const verified: JwtVcVerified = {
      ok: true,
      vcdmVersion: decoded.vcdmVersion,
      issuer: decoded.issuer,
      type: decoded.type,
      claims: decoded.claims,
    };
    if (decoded.subjectId !== undefined) verified.subjectId = decoded.subjectId;
    if (decoded.id !== undefined) verified.id = decoded.id;
    if (decoded.notBefore.length > 0) verified.validFrom = new Date(Math.max(...decoded.notBefore));
    if (decoded.notAfter.length > 0) verified.validUntil = new Date(Math.min(...decoded.notAfter));
    if (decoded.credentialStatus !== undefined) verified.credentialStatus = decoded.credentialStatus;
    return verified;
  };
}
