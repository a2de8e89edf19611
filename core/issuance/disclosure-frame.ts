import type { ClaimPath } from '../credentials/credential-types.js';
import { UrbisError } from '../errors/urbis-error.js';
import type { DisclosureFrame } from '../sd-jwt/pack-claims.js';
import { PROTECTED_CLAIMS } from '../verification/policies/protected-claims-policy.js';

/**
 * Turns subject claim paths (`['address', 'locality']`) into an SD-JWT
 * disclosure frame, skipping paths the claims do not have (an optional
 * `region`). Decoys are added by `padToClaimSlots` and drawn per copy by
 * the issuance template.
 *
 * @throws UrbisError `PROTECTED_CLAIM_DISCLOSABLE` when a path names a
 *   protocol field (issuer, validity, status, cnf, type).
 */
export function disclosureFrameFor({
  claims,
  paths,
}: {
  claims: Record<string, unknown>;
  paths: readonly ClaimPath[];
}): DisclosureFrame {
  const root: DisclosureFrame = {};
  for (const path of paths) {
    if (path.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'an empty claim path cannot be disclosable');
    if (PROTECTED_CLAIMS.has(path[0]!)) {
      throw new UrbisError('PROTECTED_CLAIM_DISCLOSABLE', `${path[0]} can never be selectively disclosable`);
    }
    if (!has(claims, path)) continue;
    let frame = root;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i]!;
      frame[step] ??= {};
      frame = frame[step] as DisclosureFrame;
    }
    const last = path[path.length - 1]!;
    frame._sd = [...(frame._sd ?? []), last];
  }
  return root;
}

function has(root: Record<string, unknown>, path: ClaimPath): boolean {
  let node: unknown = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, step)) return false;
    node = (node as Record<string, unknown>)[step];
  }
  return true;
}
