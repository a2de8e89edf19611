import type { Base64urlHasher, Hasher, SignatureVerifier } from '../crypto/ports.js';
import { isUrbisError } from '../errors/urbis-error.js';
import { decodeCompactJws, type DecodedJws } from '../jose/compact-jws.js';
import { splitSdJwt, type SdJwtParts } from '../sd-jwt/compact-sd-jwt.js';
import { decodeDisclosure, type Disclosure } from '../sd-jwt/disclosure.js';
import type { PresentationContext } from './presentation-context.js';
import type { VerificationLimits } from './verification-policy.js';
import type { VerificationFailure } from './verification-result.js';

/**
 * The parse step (DESIGN §4): size bound, compact split, issuer JWS decode,
 * disclosure decode, KB-JWT decode. A problem with the outer structure or
 * the issuer JWS is fatal (nothing else can be checked); a malformed
 * disclosure or KB-JWT is recorded and the other checks still run.
 */
export function parsePresentation({
  presentation,
  limits,
  now,
  hash,
  hashBase64url,
  verifySignature,
}: {
  presentation: unknown;
  limits: VerificationLimits;
  now: number;
  hash: Hasher;
  hashBase64url?: Base64urlHasher | undefined;
  verifySignature: SignatureVerifier;
}): { context: PresentationContext; failures: VerificationFailure[] } | { context?: undefined; failures: VerificationFailure[] } {
  if (typeof presentation !== 'string') {
    if (typeof presentation === 'object' && presentation !== null) {
      return fatal('CREDENTIAL_UNSECURED', 'a credential must be a signed SD-JWT, not a JSON object');
    }
    return fatal('INVALID_ARGUMENT', 'a presentation must be a string');
  }
  let parts: SdJwtParts;
  let issuerJws: DecodedJws;
  try {
    parts = splitSdJwt(presentation, { maxBytes: limits.maxPresentationBytes });
  } catch (error) {
    const trimmed = presentation.trimStart();
    if (trimmed.startsWith('{')) return fatal('CREDENTIAL_UNSECURED', 'a credential must be a signed SD-JWT, not a JSON object');
    return fromError(error, 'input');
  }
  try {
    issuerJws = decodeCompactJws(parts.issuerJwt);
  } catch (error) {
    return fromError(error, 'input');
  }
  const failures: VerificationFailure[] = [];
  const disclosures: Disclosure[] = [];
  for (const encoded of parts.disclosures) {
    try {
      disclosures.push(decodeDisclosure(encoded));
    } catch (error) {
      failures.push(toFailure(error, 'disclosures'));
    }
  }
  const context: PresentationContext = { now, limits, hash, verifySignature, parts, issuerJws, disclosures, warnings: [] };
  if (hashBase64url !== undefined) context.hashBase64url = hashBase64url;
  if (parts.kbJwt !== undefined) {
    try {
      context.kbJws = decodeCompactJws(parts.kbJwt);
    } catch (error) {
      context.kbDecodeFailure = toFailure(error, 'key-binding');
    }
  }
  return { context, failures };
}

function fatal(code: VerificationFailure['code'], detail: string): { failures: VerificationFailure[] } {
  return { failures: [{ check: 'input', code, detail }] };
}

function fromError(error: unknown, check: VerificationFailure['check']): { failures: VerificationFailure[] } {
  return { failures: [toFailure(error, check)] };
}

/** Maps a thrown `UrbisError` to a failure; anything else is a bug and is rethrown. */
export function toFailure(error: unknown, check: VerificationFailure['check']): VerificationFailure {
  if (isUrbisError(error)) return { check, code: error.code, detail: error.message };
  throw error;
}
