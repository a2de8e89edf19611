import { digestBase64url } from '../../crypto/digest-base64url.js';
import { processSdJwtPayload, type DigestedDisclosure } from '../../sd-jwt/process-payload.js';
import type { PresentationContext, PresentationPolicy } from '../presentation-context.js';
import { settleAll } from '../settle.js';
import type { VerificationFailure } from '../verification-result.js';

/**
 * RFC 9901 §7.1 steps 2–5: `_sd_alg` must be `sha-256` and only at the top
 * level; every disclosure's digest must be referenced exactly once, in the
 * right kind of place, without name collisions. Unreferenced disclosures are
 * judged later by {@link unreferencedDisclosurePolicy}, once key binding
 * tells whether the presentation was altered after the holder signed it.
 */
export const disclosurePolicy: PresentationPolicy = (context) => {
  const sdAlg = context.issuerJws.payload._sd_alg;
  if (sdAlg !== undefined && sdAlg !== 'sha-256') {
    return [{ check: 'disclosures', code: 'SD_ALG_UNSUPPORTED', detail: '_sd_alg must be sha-256' }];
  }
  const digests = context.disclosures.map((disclosure) => digestBase64url(context, disclosure.encoded));
  return settleAll<string[], VerificationFailure[]>(digests, (resolved) =>
    process(context, context.disclosures.map((disclosure, i) => ({ disclosure, digest: resolved[i]! }))),
  );
};

function process(context: PresentationContext, digested: DigestedDisclosure[]): VerificationFailure[] {
  const failures: VerificationFailure[] = [];
  const processed = processSdJwtPayload({ payload: context.issuerJws.payload, disclosures: digested });
  context.processed = processed;
  for (const problem of processed.problems) {
    if (problem.code !== 'DISCLOSURE_UNREFERENCED') {
      failures.push({ check: 'disclosures', code: problem.code, detail: problem.detail });
    }
  }
  return failures;
}

/**
 * Every disclosure must be referenced (RFC 9901 §7.1 step 5). An
 * unreferenced one is reported as `DISCLOSURE_ALTERED` when the KB-JWT's
 * `sd_hash` does not match (the presentation was changed after the holder
 * signed it: a value was edited in transit), and as `DISCLOSURE_UNREFERENCED`
 * otherwise (a "ghost" disclosure the holder itself added, or an SD-JWT
 * without key binding). Both are rejections; the codes tell them apart.
 */
export const unreferencedDisclosurePolicy: PresentationPolicy = (context) => {
  const unreferenced = context.processed?.unreferenced ?? [];
  const altered = context.parts.kbJwt !== undefined && context.sdHashMatches === false;
  return unreferenced.map(() =>
    altered
      ? { check: 'disclosures', code: 'DISCLOSURE_ALTERED', detail: 'a disclosure was changed after the holder signed the presentation' }
      : { check: 'disclosures', code: 'DISCLOSURE_UNREFERENCED', detail: 'a disclosure is not referenced by the issuer-signed payload' },
  );
};
