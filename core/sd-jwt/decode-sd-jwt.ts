import type { Hasher } from '../crypto/ports.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { decodeCompactJws, type DecodedJws } from '../jose/compact-jws.js';
import { splitSdJwt, type SdJwtParts } from './compact-sd-jwt.js';
import { decodeDisclosure } from './disclosure.js';
import { processSdJwtPayload, type DigestedDisclosure, type ProcessedPayload } from './process-payload.js';

/** An SD-JWT decoded for the holder: parts, issuer JWS, disclosures and where they go. */
export interface DecodedSdJwt {
  parts: SdJwtParts;
  issuerJws: DecodedJws;
  disclosures: DigestedDisclosure[];
  processed: ProcessedPayload;
}

/** Default bound on an SD-JWT's size (DESIGN §4: presentations above 64 KiB are refused). */
export const DEFAULT_MAX_SD_JWT_BYTES = 64 * 1024;

/**
 * Decodes an SD-JWT (issuance form or presentation) without verifying the
 * signature: the holder's view of what it holds. Fails on any structural
 * problem, since a holder should not keep a credential it cannot present.
 *
 * @throws UrbisError with the first problem's code.
 */
export async function decodeSdJwt({
  compact,
  hash,
  maxBytes = DEFAULT_MAX_SD_JWT_BYTES,
}: {
  compact: string;
  hash: Hasher;
  maxBytes?: number;
}): Promise<DecodedSdJwt> {
  const parts = splitSdJwt(compact, { maxBytes });
  const issuerJws = decodeCompactJws(parts.issuerJwt);
  const sdAlg = issuerJws.payload._sd_alg ?? 'sha-256';
  if (sdAlg !== 'sha-256') throw new UrbisError('SD_ALG_UNSUPPORTED', '_sd_alg must be sha-256');
  const disclosures: DigestedDisclosure[] = [];
  for (const encoded of parts.disclosures) {
    disclosures.push({ disclosure: decodeDisclosure(encoded), digest: base64urlEncode(await hash(encoded, 'sha-256')) });
  }
  const processed = processSdJwtPayload({ payload: issuerJws.payload, disclosures });
  const first = processed.problems[0];
  if (first !== undefined) throw new UrbisError(first.code, first.detail);
  return { parts, issuerJws, disclosures, processed };
}
