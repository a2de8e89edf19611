import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { credentialTypeByName, type ClaimPath, type CredentialTypeName, type ServiceTier } from '../../core/credentials/credential-types.js';
import { DEFAULT_VERIFICATION_LIMITS } from '../../core/verification/verification-policy.js';
import type { SdJwtCredentialFormat } from '../../core/verification/verification-result.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { pathText } from './claim-value.js';
import { dcqlQueryFor } from './dcql-query-for.js';
import schema from './service-policies.schema.json' with { type: 'json' };
import {
  POLICY_FORMATS,
  type AcceptedCredential,
  type AcceptedIssuers,
  type AgePredicate,
  type ClaimRequirement,
  type ServiceNames,
  type ServicePolicies,
  type ServicePolicy,
  type StaleSnapshotMode,
} from './service-policy.js';

/** A policy file larger than this (characters of JSON) is refused before parsing. */
export const MAX_POLICY_FILE_CHARS = 1024 * 1024;

/**
 * The DCQL query of one policy, as JSON, must fit in this many characters:
 * the request QR carries it (the wallet refuses request links above 8 KiB,
 * and URL encoding grows JSON by up to a third).
 */
export const MAX_DCQL_QUERY_CHARS = 4096;

/** Claims a policy may ask for but never compare with a value: a policy file never names a person. */
const IDENTIFYING_CLAIMS: readonly string[] = ['given_name', 'family_name', 'pseudonym', 'address.street_address'];

/** The policy file as the schema describes it (before defaults). */
interface PolicyFile {
  version: 1;
  policies: {
    serviceId: string;
    names?: ServiceNames;
    accept: {
      id?: string;
      type: CredentialTypeName;
      formats?: SdJwtCredentialFormat[];
      issuers?: AcceptedIssuers;
      tiers?: ServiceTier[];
      predicates?: AgePredicate[];
      claims?: { path: string[]; values?: (string | number | boolean)[] }[];
    }[];
    formats?: SdJwtCredentialFormat[];
    issuers?: AcceptedIssuers;
    maxSnapshotAgeSeconds?: number;
    staleSnapshot?: StaleSnapshotMode;
    clockSkewSeconds?: number;
    kbMaxAgeSeconds?: number;
    kbMaxFutureSeconds?: number;
    paperAccepted?: boolean;
  }[];
}

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // strict: an unknown keyword in our own schema is a bug. messages: false, since messages are built here without values.
  validate ??= new Ajv2020.default({ strict: true, allowUnionTypes: true, allErrors: false, messages: false }).compile(schema);
  return validate;
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `/policies/0/accept/1` → `policies[0].accept[1]`. */
function memberOf(instancePath: string): string {
  let out = '';
  for (const token of instancePath.split('/').slice(1)) {
    const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(name) ? `[${name}]` : out === '' ? name : `.${name}`;
  }
  return out;
}

function schemaProblem(errors: readonly ErrorObject[]): string {
  // Of an anyOf, the branches' own errors confuse more than they tell: name the member.
  const error = errors.find((e) => e.keyword === 'anyOf') ?? errors[0];
  if (error === undefined) return 'the policy file is invalid';
  const member = memberOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const at = (name: string): string => (member === '' ? name : `${member}.${name}`);
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') return `${at(params.missingProperty)} is missing`;
  if (error.keyword === 'additionalProperties') {
    const name = params.additionalProperty;
    return typeof name === 'string' && SAFE_NAME.test(name) ? `${at(name)} is not a known member` : `${member || 'the policy file'} has an unknown member`;
  }
  return `${member || 'the policy file'} is invalid (${error.keyword})`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const samePath = (a: ClaimPath, b: ClaimPath): boolean => a.length === b.length && a.every((step, i) => step === b[i]);

/**
 * Parses and validates a terminal's service policy file: the JSON Schema
 * `service-policies.schema.json` (Ajv 8, draft 2020-12, strict), then the
 * rules a schema cannot say, then fills in defaults.
 *
 * File shape: `{ "version": 1, "policies": [{ "serviceId", "names"?, "accept": [...],
 * "formats"?, "issuers"?, "maxSnapshotAgeSeconds"?, "staleSnapshot"?, "clockSkewSeconds"?,
 * "kbMaxAgeSeconds"?, "kbMaxFutureSeconds"?, "paperAccepted"? }] }`; each `accept`
 * entry is `{ "id"?, "type", "formats"?, "issuers"?, "tiers"?, "predicates"?, "claims"? }`.
 * A policy's `formats` and `issuers` are the defaults of its alternatives.
 *
 * Defaults: alternative `id` `entitlement` / `resident` by type; formats
 * `['vc+sd-jwt', 'dc+sd-jwt']`; issuers `federation`; `maxSnapshotAgeSeconds`
 * core's 86,400; `staleSnapshot` `fail`; `paperAccepted` `false`. Claim
 * values that are strings are stored in Unicode NFC.
 *
 * Rules beyond the schema: unique `serviceId`s and alternative ids; `tiers`
 * only on `ServiceEntitlementCredential`, `predicates` only on
 * `ResidentCredential`; each claim path a selectively disclosable claim of
 * the type, asked once; never `birthdate` (ask for a predicate), age
 * predicates only as `predicates`, `service_id` never (implied by
 * `serviceId`), `tier` not when `tiers` is given; `values` never on an
 * object claim nor on an identifying one (names, pseudonym, street); the
 * policy's DCQL query within {@link MAX_DCQL_QUERY_CHARS}.
 *
 * @param file - the file's text, or its parsed JSON value.
 * @returns the policies by `serviceId`, in file order, deeply frozen.
 * @throws UrbisError `CONFIG_INVALID` naming the first member at fault
 *   (`policies[2].accept[0].claims[1].path is not a claim of ResidentCredential`),
 *   never its value.
 *
 * @example
 * ```ts
 * const policies = parseServicePolicies(await readFile('policies.json', 'utf8'));
 * const pools = policies.get('pools');
 * ```
 */
export function parseServicePolicies(file: unknown): ServicePolicies {
  const fail = (detail: string): never => {
    throw new UrbisError('CONFIG_INVALID', `service policies: ${detail}`);
  };
  let value = file;
  if (typeof file === 'string') {
    if (file.length > MAX_POLICY_FILE_CHARS) fail(`the policy file is larger than ${MAX_POLICY_FILE_CHARS} characters`);
    try {
      value = JSON.parse(file);
    } catch {
      fail('the policy file is not JSON');
    }
  }
  const check = validator();
  if (!check(value)) fail(schemaProblem(check.errors ?? []));
  const parsed = value as PolicyFile;

  const policies = new Map<string, ServicePolicy>();
  parsed.policies.forEach((entry, i) => {
    const at = `policies[${i}]`;
    if (policies.has(entry.serviceId)) fail(`${at}.serviceId is a duplicate`);
    const ids = new Set<string>();
    const accepts = entry.accept.map((alt, j): AcceptedCredential => {
      const aat = `${at}.accept[${j}]`;
      const id = alt.id ?? (alt.type === 'ServiceEntitlementCredential' ? 'entitlement' : 'resident');
      if (ids.has(id)) fail(`${aat}.id is a duplicate (give each alternative its own id)`);
      ids.add(id);
      if (alt.tiers !== undefined && alt.type !== 'ServiceEntitlementCredential') fail(`${aat}.tiers is only for ServiceEntitlementCredential`);
      if (alt.predicates !== undefined && alt.type !== 'ResidentCredential') fail(`${aat}.predicates is only for ResidentCredential`);
      const known = credentialTypeByName(alt.type).disclosableClaimPaths;
      const claims: ClaimRequirement[] = [];
      (alt.claims ?? []).forEach((claim, k) => {
        const cat = `${aat}.claims[${k}]`;
        const { path } = claim;
        const text = pathText(path);
        if (!known.some((p) => samePath(p, path))) fail(`${cat}.path is not a claim of ${alt.type}`);
        if (text === 'birthdate') fail(`${cat}.path asks for the birthdate: ask for an age predicate instead`);
        if (text === 'age_over_18' || text === 'age_over_65') fail(`${cat}.path is an age predicate: list it in predicates`);
        if (text === 'service_id') fail(`${cat}.path is implied by serviceId`);
        if (text === 'tier' && alt.tiers !== undefined) fail(`${cat}.path is implied by tiers`);
        if (claims.some((c) => samePath(c.path, path))) fail(`${cat}.path is asked for twice`);
        if (claim.values !== undefined) {
          if (known.some((p) => p.length > path.length && samePath(p.slice(0, path.length), path))) fail(`${cat}.values: an object claim cannot be compared`);
          if (IDENTIFYING_CLAIMS.includes(text)) fail(`${cat}.values: a policy never compares an identifying claim`);
        }
        claims.push(
          claim.values === undefined
            ? { path: [...path] }
            : { path: [...path], values: claim.values.map((v) => (typeof v === 'string' ? v.normalize('NFC') : v)) },
        );
      });
      const accepted: AcceptedCredential = {
        id,
        type: alt.type,
        formats: [...(alt.formats ?? entry.formats ?? POLICY_FORMATS)],
        issuers: copyIssuers(alt.issuers ?? entry.issuers ?? 'federation'),
        predicates: [...(alt.predicates ?? [])],
        claims,
      };
      if (alt.tiers !== undefined) accepted.tiers = [...alt.tiers];
      return accepted;
    });
    if (entry.paperAccepted === true && !accepts.some((a) => a.type === 'ServiceEntitlementCredential')) {
      fail(`${at}.paperAccepted needs a ServiceEntitlementCredential alternative (a paper pass is checked as one)`);
    }
    const policy: ServicePolicy = {
      serviceId: entry.serviceId,
      names: { ...entry.names },
      accepts,
      maxSnapshotAgeSeconds: entry.maxSnapshotAgeSeconds ?? DEFAULT_VERIFICATION_LIMITS.snapshotMaxAgeSeconds ?? 86_400,
      staleSnapshot: entry.staleSnapshot ?? 'fail',
      paperAccepted: entry.paperAccepted ?? false,
    };
    if (entry.clockSkewSeconds !== undefined) policy.clockSkewSeconds = entry.clockSkewSeconds;
    if (entry.kbMaxAgeSeconds !== undefined) policy.kbMaxAgeSeconds = entry.kbMaxAgeSeconds;
    if (entry.kbMaxFutureSeconds !== undefined) policy.kbMaxFutureSeconds = entry.kbMaxFutureSeconds;
    if (JSON.stringify(dcqlQueryFor(policy)).length > MAX_DCQL_QUERY_CHARS) {
      fail(`${at} asks for more than a request QR carries (its DCQL query is over ${MAX_DCQL_QUERY_CHARS} characters)`);
    }
    policies.set(policy.serviceId, deepFreeze(policy));
  });
  return policies;
}

function copyIssuers(issuers: AcceptedIssuers): AcceptedIssuers {
  return issuers === 'federation' ? 'federation' : [...issuers];
}
