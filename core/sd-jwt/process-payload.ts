import type { UrbisErrorCode } from '../errors/urbis-error.js';
import type { Disclosure } from './disclosure.js';

/** A problem found while processing disclosures; processing goes on after most. */
export interface ProcessingProblem {
  code: Extract<
    UrbisErrorCode,
    | 'SD_DIGEST_NOT_STRING'
    | 'DIGEST_DUPLICATE'
    | 'DISCLOSURE_ARITY'
    | 'DISCLOSURE_DUPLICATE'
    | 'DISCLOSURE_UNREFERENCED'
    | 'CLAIM_NAME_COLLISION'
    | 'SD_ALG_NESTED'
  >;
  detail: string;
}

/** A disclosure with its digest, as the verifier computed it. */
export interface DigestedDisclosure {
  disclosure: Disclosure;
  digest: string;
}

/** Where a disclosed value sits in the payload: a JSON path of names and array indices. */
export type PayloadPath = ReadonlyArray<string | number>;

export interface ProcessedPayload {
  /** The payload with disclosed values in place and `_sd`, `_sd_alg`, undisclosed `...` removed. */
  claims: Record<string, unknown>;
  /** Where each referenced disclosure (by digest) was placed, in processing order. */
  pathByDigest: Map<string, PayloadPath>;
  /** Disclosures whose digest the payload never referenced (ghost or altered). */
  unreferenced: DigestedDisclosure[];
  problems: ProcessingProblem[];
}

/**
 * Replaces digests in an SD-JWT payload by the disclosed values, following
 * RFC 9901 §7.1 steps 3–5, and reports every problem rather than stopping at
 * the first: non-string `_sd` entries, a digest referenced twice, a
 * disclosure of the wrong kind for its place (arity), a disclosed name that
 * already exists (collision), `_sd_alg` below the top level, the same
 * disclosure given twice, and disclosures nothing references.
 *
 * Output objects are built with own data properties only (no `__proto__`
 * setter is ever reached), so a disclosed `"__proto__"` claim cannot pollute
 * prototypes.
 */
export function processSdJwtPayload({
  payload,
  disclosures,
}: {
  payload: Record<string, unknown>;
  disclosures: readonly DigestedDisclosure[];
}): ProcessedPayload {
  const problems: ProcessingProblem[] = [];
  const byDigest = new Map<string, DigestedDisclosure>();
  for (const entry of disclosures) {
    if (byDigest.has(entry.digest)) {
      problems.push({ code: 'DISCLOSURE_DUPLICATE', detail: 'the same disclosure is given more than once' });
      continue;
    }
    byDigest.set(entry.digest, entry);
  }
  const seenDigests = new Set<string>();
  const used = new Set<string>();
  const pathByDigest = new Map<string, PayloadPath>();

  /** Records a digest; false (and a problem) when it was already referenced. */
  const seeDigest = (digest: string): boolean => {
    if (seenDigests.has(digest)) {
      problems.push({ code: 'DIGEST_DUPLICATE', detail: 'a digest is referenced more than once' });
      return false;
    }
    seenDigests.add(digest);
    return true;
  };

  const processValue = (value: unknown, path: PathNode): unknown => {
    if (Array.isArray(value)) return processArray(value, path);
    if (typeof value === 'object' && value !== null) return processObject(value as Record<string, unknown>, path, false);
    return value;
  };

  const processArray = (array: unknown[], path: PathNode): unknown[] => {
    const out: unknown[] = [];
    for (const element of array) {
      if (isArrayDigestPlaceholder(element)) {
        const digest = element['...'];
        if (typeof digest !== 'string') {
          problems.push({ code: 'SD_DIGEST_NOT_STRING', detail: 'an array element digest is not a string' });
          continue;
        }
        if (!seeDigest(digest)) continue;
        const found = byDigest.get(digest);
        if (found === undefined) continue; // undisclosed or decoy: removed
        used.add(digest);
        if (found.disclosure.name !== undefined) {
          problems.push({ code: 'DISCLOSURE_ARITY', detail: 'a property disclosure is referenced as an array element' });
          continue;
        }
        const elementPath: PathNode = { parent: path, step: out.length };
        pathByDigest.set(digest, toPayloadPath(elementPath));
        out.push(processValue(found.disclosure.value, elementPath));
      } else {
        out.push(typeof element === 'object' && element !== null ? processValue(element, { parent: path, step: out.length }) : element);
      }
    }
    return out;
  };

  const processObject = (object: Record<string, unknown>, path: PathNode, topLevel: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      if (key === '_sd') continue;
      if (key === '_sd_alg') {
        if (!topLevel) problems.push({ code: 'SD_ALG_NESTED', detail: '_sd_alg appears below the top level' });
        continue;
      }
      const value = object[key];
      // Scalars need no path: build the path node only for what is walked into.
      define(out, key, typeof value === 'object' && value !== null ? processValue(value, { parent: path, step: key }) : value);
    }
    const sd = object._sd;
    if (sd !== undefined) {
      if (!Array.isArray(sd)) {
        problems.push({ code: 'SD_DIGEST_NOT_STRING', detail: '_sd is not an array of strings' });
        return out;
      }
      for (const digest of sd) {
        if (typeof digest !== 'string') {
          problems.push({ code: 'SD_DIGEST_NOT_STRING', detail: 'an _sd entry is not a string' });
          continue;
        }
        if (!seeDigest(digest)) continue;
        const found = byDigest.get(digest);
        if (found === undefined) continue; // undisclosed or decoy
        used.add(digest);
        const name = found.disclosure.name;
        if (name === undefined) {
          problems.push({ code: 'DISCLOSURE_ARITY', detail: 'an array-element disclosure is referenced from _sd' });
          continue;
        }
        if (Object.prototype.hasOwnProperty.call(out, name)) {
          problems.push({ code: 'CLAIM_NAME_COLLISION', detail: 'a disclosed claim name already exists at its level' });
          continue;
        }
        const claimPath: PathNode = { parent: path, step: name };
        pathByDigest.set(digest, toPayloadPath(claimPath));
        define(out, name, processValue(found.disclosure.value, claimPath));
      }
    }
    return out;
  };

  const claims = processObject(payload, undefined, true);
  const unreferenced: DigestedDisclosure[] = [];
  for (const [digest, entry] of byDigest) {
    if (!used.has(digest)) {
      unreferenced.push(entry);
      problems.push({ code: 'DISCLOSURE_UNREFERENCED', detail: 'a disclosure is not referenced by the payload' });
    }
  }
  return { claims, pathByDigest, unreferenced, problems };
}

function isArrayDigestPlaceholder(value: unknown): value is { '...': unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '...';
}

/** A claim path as a parent chain: built for every value walked, materialised only for disclosed ones. */
type PathNode = { parent: PathNode; step: string | number } | undefined;

function toPayloadPath(node: PathNode): PayloadPath {
  const out: Array<string | number> = [];
  for (let n = node; n !== undefined; n = n.parent) out.push(n.step);
  return out.reverse();
}

/** Plain assignment, except for `__proto__`, whose setter would replace the prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
