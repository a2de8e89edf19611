import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { UrbisError, isUrbisError } from '../errors/urbis-error.js';
import {
  credentialTypeByName,
  type ClaimsOf,
  type CredentialTypeName,
  type DisclosedClaimsOf,
  type JsonSchema,
} from './credential-types.js';

/**
 * Claim validation against the JSON Schemas of the Urbis credential types.
 *
 * Schemas are JSON Schema **draft 2020-12**, validated with Ajv 8
 * (`ajv/dist/2020`) in strict mode plus the `date` format from ajv-formats
 * (full mode: a real calendar day, so `2023-02-29` fails). Each schema is
 * compiled once, on first use, and reused.
 *
 * Two modes:
 * - `issuance`: the complete claim set as the issuer signs it; every claim
 *   required (`address.region` is the one optional claim).
 * - `presentation`: what a holder disclosed; every claim optional, address
 *   parts included, but types, patterns, formats, enums and lengths still
 *   checked and unknown claims still refused. Its schema is derived from the
 *   issuance schema by {@link presentationSchemaOf}, never written by hand.
 *
 * Note for the browser wallet: Ajv compiles schemas with `new Function`, so a
 * page with a strict Content-Security-Policy (no `unsafe-eval`) needs Ajv
 * standalone code generated at build time instead.
 */

/** `issuance`: all claims, as issued. `presentation`: a disclosed subset. */
export type ClaimsValidationMode = 'issuance' | 'presentation';

/**
 * One schema failure: where (`path`, a JSON Pointer into the claims, RFC 6901)
 * and which check (`keyword`, the JSON Schema keyword, e.g. `required`,
 * `pattern`, `format`, `additionalProperties`). Never the value.
 *
 * For `required` the path points at the missing claim. For
 * `additionalProperties` it points at the unknown claim when its name is a
 * plain identifier (`[A-Za-z0-9_-]{1,64}`), else at the object holding it, so
 * that arbitrary text sent as a claim name never reaches an error message.
 */
export interface SchemaIssue {
  path: string;
  keyword: string;
}

/** At most this many issues are kept on an error (and fewer named in its message). */
export const MAX_SCHEMA_ISSUES = 100;
const MAX_ISSUES_IN_MESSAGE = 10;

/** Keywords that only constrain which properties are present: dropped for presentations. */
const PRESENCE_KEYWORDS = ['required', 'dependentRequired', 'minProperties'] as const;
/** Keywords whose value is a subschema. */
const SUBSCHEMA_KEYWORDS = [
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
] as const;
/** Keywords whose value is an array of subschemas. */
const SUBSCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'] as const;

/**
 * Derives the presentation schema from an issuance schema: a deep copy with
 * every presence constraint (`required`, `dependentRequired`,
 * `minProperties`) removed at every level, and `$id` suffixed with
 * `/presentation`. The walk follows JSON Schema keywords, so a property that
 * happens to be *named* `required` is kept.
 *
 * @example
 * ```ts
 * const schema = presentationSchemaOf(credentialTypeByName('ResidentCredential').schema);
 * ```
 */
export function presentationSchemaOf(schema: JsonSchema): JsonSchema {
  const out = relax(schema) as Record<string, unknown>;
  if (typeof out.$id === 'string') out.$id = `${out.$id}/presentation`;
  if (typeof out.title === 'string') out.title = out.title.replace(/\(issuance\)$/, '(presentation)');
  return out;
}

function relax(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return structuredClone(schema);
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if ((PRESENCE_KEYWORDS as readonly string[]).includes(keyword)) continue;
    if ((SUBSCHEMA_KEYWORDS as readonly string[]).includes(keyword)) {
      out[keyword] = relax(value);
    } else if ((SUBSCHEMA_ARRAY_KEYWORDS as readonly string[]).includes(keyword) && Array.isArray(value)) {
      out[keyword] = value.map(relax);
    } else if ((SUBSCHEMA_MAP_KEYWORDS as readonly string[]).includes(keyword) && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, relax(sub)]));
    } else {
      out[keyword] = structuredClone(value);
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let ajv: Ajv2020.default | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorFor(type: CredentialTypeName, mode: ClaimsValidationMode): ValidateFunction {
  const key = `${type}:${mode}`;
  let validate = validators.get(key);
  if (!validate) {
    if (!ajv) {
      // strict: unknown keywords, formats or ambiguous types in our own
      // schemas are bugs. messages: false, since messages are built here.
      ajv = new Ajv2020.default({ strict: true, allErrors: true, messages: false });
      addFormats.default(ajv, ['date']);
    }
    const { schema } = credentialTypeByName(type);
    validate = ajv.compile(mode === 'issuance' ? schema : presentationSchemaOf(schema));
    validators.set(key, validate);
  }
  return validate;
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function issueOf(error: ErrorObject): SchemaIssue {
  const params = error.params as Record<string, unknown>;
  let path = error.instancePath;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    // A name from our own schema.
    path += `/${escapePointerToken(params.missingProperty)}`;
  } else if (
    error.keyword === 'additionalProperties' &&
    typeof params.additionalProperty === 'string' &&
    SAFE_NAME.test(params.additionalProperty)
  ) {
    path += `/${params.additionalProperty}`;
  }
  return { path, keyword: error.keyword };
}

function issuesOf(errors: readonly ErrorObject[]): SchemaIssue[] {
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    const issue = issueOf(error);
    const key = `${issue.path}\u0000${issue.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
    if (issues.length === MAX_SCHEMA_ISSUES) break;
  }
  return issues;
}

/**
 * Validates the subject claims of an Urbis credential against its schema, and
 * returns them typed.
 *
 * Returns the same object it was given (no copy, no coercion, no defaults).
 *
 * @throws UrbisError `SCHEMA_INVALID` when the claims do not match. The message
 *   names the failing JSON Pointers and keywords only (no values, so no
 *   personal data); the same list is on the error, read it with
 *   {@link schemaIssuesOf}.
 * @throws UrbisError `CREDENTIAL_TYPE_UNKNOWN` for an unknown type name;
 *   `INVALID_ARGUMENT` for an unknown mode.
 *
 * @example
 * ```ts
 * const claims = validateClaims({ type: 'ResidentCredential', claims: disclosed, mode: 'presentation' });
 * if (claims.age_over_18 === true) { ... }
 * ```
 */
export function validateClaims<N extends CredentialTypeName>(args: {
  type: N;
  claims: unknown;
  mode: 'issuance';
}): ClaimsOf<N>;
export function validateClaims<N extends CredentialTypeName>(args: {
  type: N;
  claims: unknown;
  mode: 'presentation';
}): DisclosedClaimsOf<N>;
export function validateClaims<N extends CredentialTypeName>(args: {
  type: N;
  claims: unknown;
  mode: ClaimsValidationMode;
}): ClaimsOf<N> | DisclosedClaimsOf<N>;
export function validateClaims({
  type,
  claims,
  mode,
}: {
  type: CredentialTypeName;
  claims: unknown;
  mode: ClaimsValidationMode;
}): unknown {
  if (mode !== 'issuance' && mode !== 'presentation') {
    throw new UrbisError('INVALID_ARGUMENT', "mode must be 'issuance' or 'presentation'");
  }
  const definition = credentialTypeByName(type);
  const validate = validatorFor(definition.name, mode);
  if (validate(claims)) return claims;
  const issues = issuesOf(validate.errors ?? []);
  const listed = issues
    .slice(0, MAX_ISSUES_IN_MESSAGE)
    .map(({ path, keyword }) => `${path === '' ? '/' : path} ${keyword}`)
    .join(', ');
  const more = issues.length > MAX_ISSUES_IN_MESSAGE ? ` and ${issues.length - MAX_ISSUES_IN_MESSAGE} more` : '';
  throw new UrbisError(
    'SCHEMA_INVALID',
    `${definition.name} claims do not match the ${mode} schema: ${listed}${more}`,
    { cause: { issues } },
  );
}

/**
 * The structured schema issues of a `SCHEMA_INVALID` error thrown by
 * {@link validateClaims}, or `undefined` for any other error.
 *
 * @example
 * ```ts
 * try { validateClaims({ type, claims, mode: 'issuance' }) } catch (e) {
 *   for (const { path, keyword } of schemaIssuesOf(e) ?? []) log.warn('claim check failed', path, keyword);
 * }
 * ```
 */
export function schemaIssuesOf(error: unknown): SchemaIssue[] | undefined {
  if (!isUrbisError(error, 'SCHEMA_INVALID')) return undefined;
  const cause = error.cause;
  if (!isObject(cause) || !Array.isArray(cause.issues)) return undefined;
  return cause.issues.filter(
    (i): i is SchemaIssue => isObject(i) && typeof i.path === 'string' && typeof i.keyword === 'string',
  );
}
