import type { PayloadPath } from './process-payload.js';
import type { DecodedSdJwt } from './decode-sd-jwt.js';
import { UrbisError } from '../errors/urbis-error.js';

/**
 * Picks the disclosures needed to reveal exactly the requested claim paths
 * (RFC 9901 §4.2.6, §6): for each requested path, the disclosures of the
 * path itself and of every ancestor, and — when a whole object or array is
 * requested — the disclosures nested inside it. Nothing else is revealed.
 *
 * @throws UrbisError `DISCLOSURE_NOT_AVAILABLE` when a requested path is
 *   neither disclosable nor in the clear in this SD-JWT.
 *
 * @example
 * ```ts
 * selectDisclosures({ decoded, paths: [['credentialSubject', 'age_over_18']] })
 * ```
 */
export function selectDisclosures({ decoded, paths }: { decoded: DecodedSdJwt; paths: readonly PayloadPath[] }): string[] {
  const selected = new Set<string>();
  for (const requested of paths) {
    if (!pathExists(decoded.processed.claims, requested)) {
      throw new UrbisError('DISCLOSURE_NOT_AVAILABLE', 'a requested claim is not in this credential');
    }
    for (const [digest, path] of decoded.processed.pathByDigest) {
      if (isPrefix(path, requested) || isPrefix(requested, path)) selected.add(digest);
    }
  }
  const out: string[] = [];
  for (const { digest, disclosure } of decoded.disclosures) {
    if (selected.has(digest)) out.push(disclosure.encoded);
  }
  return out;
}

function isPrefix(prefix: PayloadPath, path: PayloadPath): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}

function pathExists(root: unknown, path: PayloadPath): boolean {
  let node: unknown = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null) return false;
    if (!Object.prototype.hasOwnProperty.call(node, step)) return false;
    node = (node as Record<string | number, unknown>)[step];
  }
  return true;
}
