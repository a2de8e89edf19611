import type { UrbisErrorCode } from './urbis-error.js';

/**
 * RFC 9457 problem types for Urbis errors: one stable URI and title per
 * code, the same in every HTTP API (issuer, terminal).
 */

/** Base of the problem `type` URIs. */
export const PROBLEM_TYPE_BASE = 'https://urbis.city/problems/';

/** An Urbis code, or `INTERNAL` for a fault of the server itself (whose message is never sent). */
export type ProblemCode = UrbisErrorCode | 'INTERNAL';

/**
 * The problem `type` of a code.
 *
 * @example
 * ```ts
 * problemType('RESOURCE_NOT_FOUND'); // 'https://urbis.city/problems/resource-not-found'
 * ```
 */
export function problemType(code: ProblemCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

/**
 * The problem `title` of a code: the code in words.
 *
 * @example
 * ```ts
 * problemTitle('INPUT_TOO_LARGE'); // 'input too large'
 * ```
 */
export function problemTitle(code: ProblemCode): string {
  return code.toLowerCase().replace(/_/g, ' ');
}
