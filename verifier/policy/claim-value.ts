import type { ClaimPath } from '../../core/credentials/credential-types.js';

/** A claim looked up by path: absent, or present with its value. */
export type ClaimLookup = { found: false } | { found: true; value: unknown };

/**
 * The value at `path` in disclosed subject claims, following own properties
 * of plain objects only (never the prototype, never array indices).
 *
 * @example
 * ```ts
 * claimAt({ claims: result.claims, path: ['address', 'locality'] }); // { found: true, value: 'Gijón' }
 * ```
 */
export function claimAt({ claims, path }: { claims: Record<string, unknown>; path: ClaimPath }): ClaimLookup {
  let node: unknown = claims;
  for (const step of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, step)) {
      return { found: false };
    }
    node = (node as Record<string, unknown>)[step];
  }
  return { found: true, value: node };
}

/**
 * Whether a disclosed value equals one of the accepted values: strict
 * equality, strings compared in Unicode NFC (a policy file typed on one
 * system and a credential issued on another may compose `ó` differently).
 *
 * @example
 * ```ts
 * claimValueAccepted({ value: 'Gijo\u0301n', values: ['Gijón'] }); // true
 * ```
 */
export function claimValueAccepted({ value, values }: { value: unknown; values: readonly (string | number | boolean)[] }): boolean {
  const normalized = typeof value === 'string' ? value.normalize('NFC') : value;
  return values.some((accepted) => (typeof accepted === 'string' ? accepted.normalize('NFC') : accepted) === normalized);
}

/** A claim path as text for details and messages: `address.locality`. */
export function pathText(path: ClaimPath): string {
  return path.join('.');
}
