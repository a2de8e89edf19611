import type { ClaimPath } from '../../core/credentials/credential-types.js';
import type { Hasher } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { decodeSdJwt, type DecodedSdJwt } from '../../core/sd-jwt/decode-sd-jwt.js';
import type { StoredCredential } from '../store/wallet-document.js';

/**
 * The subset of DCQL (OpenID4VP 1.0 §6) the wallet answers. Supported:
 * - `credentials[]`: `id`, `format` (`dc+sd-jwt` | `vc+sd-jwt`), `meta`
 *   (`vct_values` for `dc+sd-jwt`, `type_values` for `vc+sd-jwt`),
 *   `claims[]` (`id`, `path` of strings, `values` of strings, numbers,
 *   booleans), `multiple: false`, `require_cryptographic_holder_binding: true`
 *   (every Urbis presentation is key-bound);
 * - `credential_sets[]`: `options`, `required` (default `true`).
 *
 * Everything else is refused with `BODY_INVALID`, naming it: `claim_sets`,
 * `trusted_authorities`, `multiple: true`, `require_cryptographic_holder_binding: false`,
 * `null` or index path components, other formats, and any member this
 * code does not know (failing closed: an unknown member could restrict the
 * answer, and ignoring it could disclose more than the verifier asked for).
 */

/** The credential formats a DCQL query may ask for. */
export type DcqlFormat = 'dc+sd-jwt' | 'vc+sd-jwt';

/** One requested claim: `path` from the root of the credential payload (for `vc+sd-jwt`, e.g. `['credentialSubject', 'age_over_18']`). */
export interface DcqlClaimsQuery {
  id?: string;
  path: string[];
  /** The claim must equal one of these. */
  values?: (string | number | boolean)[];
}

/** One requested credential. */
export interface DcqlCredentialQuery {
  id: string;
  format: DcqlFormat;
  meta?: { vct_values?: string[]; type_values?: string[][] };
  /** Absent: no selectively disclosable claim is asked for. */
  claims?: DcqlClaimsQuery[];
}

/** Alternatives of credential query ids (OpenID4VP 1.0 §6.2). */
export interface DcqlCredentialSet {
  options: string[][];
  required: boolean;
}

/** A parsed, validated DCQL query. */
export interface DcqlQuery {
  credentials: DcqlCredentialQuery[];
  credential_sets?: DcqlCredentialSet[];
}

/** Bounds on a query (a QR carries it; nothing real needs more). */
export const DCQL_LIMITS = Object.freeze({ credentials: 16, claims: 32, pathDepth: 8, values: 32, credentialSets: 16, options: 16, stringLength: 256 });

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const FORMATS: readonly string[] = ['dc+sd-jwt', 'vc+sd-jwt'] satisfies DcqlFormat[];

/**
 * Validates a DCQL query (the parsed JSON value of `dcql_query`) and
 * returns it normalised (`credential_sets[].required` filled in).
 *
 * @throws UrbisError `BODY_INVALID` naming the first problem (malformed, or not supported).
 *
 * @example
 * ```ts
 * const query = parseDcqlQuery({ credentials: [{ id: 'age', format: 'dc+sd-jwt', meta: { vct_values: ['urn:urbis:vct:resident:1'] }, claims: [{ path: ['age_over_18'] }] }] });
 * ```
 */
export function parseDcqlQuery(value: unknown): DcqlQuery {
  const fail = (detail: string): never => {
    throw new UrbisError('BODY_INVALID', `the DCQL query is invalid: ${detail}`);
  };
  const record = (v: unknown, at: string, allowed: readonly string[], refused: Record<string, string> = {}): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`${at} is not an object`);
    for (const key of Object.keys(v)) {
      if (refused[key] !== undefined) fail(`${at}.${key} is not supported (${refused[key]})`);
      if (!allowed.includes(key)) fail(`${at}.${key} is not supported`);
    }
    return v as Record<string, unknown>;
  };
  const list = (v: unknown, at: string, max: number): unknown[] => {
    if (!Array.isArray(v) || v.length === 0) return fail(`${at} is not a non-empty array`);
    if (v.length > max) fail(`${at} has more than ${max} entries`);
    return v;
  };
  const text = (v: unknown, at: string): string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > DCQL_LIMITS.stringLength) return fail(`${at} is not a non-empty string`);
    return v;
  };
  const id = (v: unknown, at: string): string => {
    if (typeof v !== 'string' || !ID.test(v)) return fail(`${at} is not an id (letters, digits, _ and -)`);
    return v;
  };

  const top = record(value, 'query', ['credentials', 'credential_sets']);
  const ids = new Set<string>();
  const credentials = list(top.credentials, 'credentials', DCQL_LIMITS.credentials).map((c, i): DcqlCredentialQuery => {
    const at = `credentials[${i}]`;
    const q = record(c, at, ['id', 'format', 'meta', 'claims', 'multiple', 'require_cryptographic_holder_binding'], {
      claim_sets: 'claim_sets',
      trusted_authorities: 'trusted_authorities',
    });
    const queryId = id(q.id, `${at}.id`);
    if (ids.has(queryId)) fail(`${at}.id is a duplicate`);
    ids.add(queryId);
    if (typeof q.format !== 'string' || !FORMATS.includes(q.format)) fail(`${at}.format is not supported (dc+sd-jwt or vc+sd-jwt)`);
    const format = q.format as DcqlFormat;
    if (q.multiple !== undefined && q.multiple !== false) fail(`${at}.multiple is not supported (one presentation per query)`);
    if (q.require_cryptographic_holder_binding !== undefined && q.require_cryptographic_holder_binding !== true) {
      fail(`${at}.require_cryptographic_holder_binding: false is not supported (Urbis presentations are always key-bound)`);
    }
    const out: DcqlCredentialQuery = { id: queryId, format };
    if (q.meta !== undefined) {
      const meta = record(q.meta, `${at}.meta`, format === 'dc+sd-jwt' ? ['vct_values'] : ['type_values']);
      out.meta = {};
      if (meta.vct_values !== undefined) {
        out.meta.vct_values = list(meta.vct_values, `${at}.meta.vct_values`, DCQL_LIMITS.values).map((v, j) => text(v, `${at}.meta.vct_values[${j}]`));
      }
      if (meta.type_values !== undefined) {
        out.meta.type_values = list(meta.type_values, `${at}.meta.type_values`, DCQL_LIMITS.values).map((types, j) =>
          list(types, `${at}.meta.type_values[${j}]`, DCQL_LIMITS.values).map((v, k) => text(v, `${at}.meta.type_values[${j}][${k}]`)),
        );
      }
    }
    if (q.claims !== undefined) {
      const claimIds = new Set<string>();
      out.claims = list(q.claims, `${at}.claims`, DCQL_LIMITS.claims).map((cl, j): DcqlClaimsQuery => {
        const cat = `${at}.claims[${j}]`;
        const claim = record(cl, cat, ['id', 'path', 'values']);
        const path = list(claim.path, `${cat}.path`, DCQL_LIMITS.pathDepth).map((step, k) => {
          if (step === null || typeof step === 'number') fail(`${cat}.path[${k}] is not supported (array elements: ask for the whole array)`);
          return text(step, `${cat}.path[${k}]`);
        });
        const result: DcqlClaimsQuery = { path };
        if (claim.id !== undefined) {
          result.id = id(claim.id, `${cat}.id`);
          if (claimIds.has(result.id)) fail(`${cat}.id is a duplicate`);
          claimIds.add(result.id);
        }
        if (claim.values !== undefined) {
          result.values = list(claim.values, `${cat}.values`, DCQL_LIMITS.values).map((v, k) => {
            if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
            return fail(`${cat}.values[${k}] is not a string, number or boolean`);
          });
        }
        return result;
      });
    }
    return out;
  });
  const result: DcqlQuery = { credentials };
  if (top.credential_sets !== undefined) {
    result.credential_sets = list(top.credential_sets, 'credential_sets', DCQL_LIMITS.credentialSets).map((s, i): DcqlCredentialSet => {
      const at = `credential_sets[${i}]`;
      const set = record(s, at, ['options', 'required']);
      if (set.required !== undefined && typeof set.required !== 'boolean') fail(`${at}.required is not a boolean`);
      const options = list(set.options, `${at}.options`, DCQL_LIMITS.options).map((option, j) =>
        list(option, `${at}.options[${j}]`, DCQL_LIMITS.credentials).map((ref, k) => {
          const refId = id(ref, `${at}.options[${j}][${k}]`);
          if (!ids.has(refId)) fail(`${at}.options[${j}][${k}] names no credential query`);
          return refId;
        }),
      );
      return { options, required: set.required !== false };
    });
  }
  return result;
}

/**
 * Which credential queries to answer, given which ones the wallet can
 * answer (OpenID4VP 1.0 §6.4.2). Without `credential_sets`, every query is
 * required. With them: for each required set, the first option the wallet
 * can satisfy; optional sets are left out (the least disclosure). Queries
 * no set names are not answered.
 *
 * @returns the query ids to answer, in query order, or `undefined` when a required set (or query) cannot be satisfied.
 */
export function selectCredentialQueries({ query, canAnswer }: { query: DcqlQuery; canAnswer: (queryId: string) => boolean }): string[] | undefined {
  if (query.credential_sets === undefined) {
    return query.credentials.every((c) => canAnswer(c.id)) ? query.credentials.map((c) => c.id) : undefined;
  }
  const chosen = new Set<string>();
  for (const set of query.credential_sets) {
    if (!set.required) continue;
    const option = set.options.find((ids) => ids.every(canAnswer));
    if (option === undefined) return undefined;
    for (const queryId of option) chosen.add(queryId);
  }
  return query.credentials.map((c) => c.id).filter((queryId) => chosen.has(queryId));
}

/** A copy that answers a credential query. */
export interface CredentialMatch {
  /** Claims to disclose selectively, relative to the subject (what `presentCredential` and the history take). */
  disclose: ClaimPath[];
  /** The decoded copy (for the UI: which values will be shown). */
  decoded: DecodedSdJwt;
}

/**
 * Whether a stored copy answers a credential query, and if so which
 * claims it must disclose: exactly the requested paths that are
 * selectively disclosable (a requested claim that is always in the clear,
 * like `vct` or `iss`, needs no disclosure); with no `claims`, none.
 * Spent or not is not looked at here.
 *
 * @returns `undefined` when the copy does not match (format, `vct`/`type`,
 *   a requested claim missing, a value not among `values`).
 * @throws UrbisError from decoding a damaged copy.
 */
export async function matchCredentialQuery({
  query,
  copy,
  hash,
}: {
  query: DcqlCredentialQuery;
  copy: Pick<StoredCredential, 'credential' | 'format'>;
  hash: Hasher;
}): Promise<CredentialMatch | undefined> {
  if (copy.format !== query.format) return undefined;
  // `typ`, `vct` and `type` are never selectively disclosable (DESIGN §2): look at them before hashing any disclosure.
  const tilde = copy.credential.indexOf('~');
  const issuerJws = decodeCompactJws(tilde < 0 ? copy.credential : copy.credential.slice(0, tilde));
  if (issuerJws.header.typ !== query.format) return undefined;
  if (query.meta?.vct_values !== undefined && !query.meta.vct_values.includes(issuerJws.payload.vct as string)) return undefined;
  if (query.meta?.type_values !== undefined) {
    const types = Array.isArray(issuerJws.payload.type) ? (issuerJws.payload.type as unknown[]) : [];
    if (!query.meta.type_values.some((wanted) => wanted.every((t) => types.includes(t)))) return undefined;
  }
  const decoded = await decodeSdJwt({ compact: copy.credential, hash });
  if (decoded.issuerJws.header.typ !== query.format) return undefined;
  const claims = decoded.processed.claims as Record<string, unknown>;
  if (query.meta?.vct_values !== undefined && !query.meta.vct_values.includes(claims.vct as string)) return undefined;
  if (query.meta?.type_values !== undefined) {
    const types = Array.isArray(claims.type) ? (claims.type as unknown[]) : [];
    if (!query.meta.type_values.some((wanted) => wanted.every((t) => types.includes(t)))) return undefined;
  }
  const disclosablePaths = [...decoded.processed.pathByDigest.values()];
  const disclose: ClaimPath[] = [];
  for (const { path, values } of query.claims ?? []) {
    const found = valueAt(claims, path);
    if (!found.exists) return undefined;
    if (values !== undefined && !values.some((v) => v === found.value)) return undefined;
    const selective = disclosablePaths.some((p) => isPrefix(p, path) || isPrefix(path, p));
    if (!selective) continue;
    if (query.format === 'vc+sd-jwt') {
      // presentCredential takes subject-relative paths; only subject claims are selectively disclosable (DESIGN §2).
      if (path[0] !== 'credentialSubject' || path.length < 2) return undefined;
      disclose.push(path.slice(1));
    } else {
      disclose.push([...path]);
    }
  }
  return { disclose, decoded };
}

function valueAt(root: unknown, path: readonly string[]): { exists: boolean; value?: unknown } {
  let node: unknown = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, step)) return { exists: false };
    node = (node as Record<string, unknown>)[step];
  }
  return { exists: true, value: node };
}

function isPrefix(prefix: readonly (string | number)[], path: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((step, i) => step === path[i]);
}
