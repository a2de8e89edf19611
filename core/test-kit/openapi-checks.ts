import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Checks shared by the tests of the issuer's and the terminal's OpenAPI
 * documents (`issuer/http/openapi/`, `verifier/http/openapi/`): the route
 * walk of an Express 5 app, a JSON Schema of the OpenAPI 3.1 subset both
 * documents use, and `$ref` helpers. Test support only; structural types,
 * so nothing here imports Express.
 */

/** What the walk reads of an Express 5 (`router` 2.x) layer. */
interface RouterLayer {
  name: string;
  /** The path given to `use()` / `route()` (router 2.2+; Express 5 layers have no `regexp` or path string otherwise). */
  rawPath?: unknown;
  /** True for `use(fn)` / `use('/', fn)`: mounted at the root. */
  slash?: boolean;
  /** One path-to-regexp `match` function per path. */
  matchers?: ((path: string) => false | { path: string })[];
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle: { stack?: RouterLayer[] };
}

/**
 * The mount path of a router layer (`app.use('/front-office', router)` →
 * `/front-office`; `app.use(router)` → ``).
 *
 * Express 5 moved to path-to-regexp 8: layers keep no `regexp` to read a
 * mount path back from (the Express 4 trick), only `matchers` (opaque
 * match functions) and, since router 2.2, `rawPath`, the path as given. We
 * read `rawPath` and then prove it with the layer's own matcher: a mount
 * (prefix) matcher must match `<rawPath>/probe` and consume exactly
 * `rawPath`. A router that stopped keeping `rawPath`, or a mount path that
 * is not a plain string (a pattern, an array), fails the test loudly instead
 * of routes going missing from the comparison.
 */
function mountPathOf(layer: RouterLayer): string {
  if (layer.slash === true) return '';
  const raw = layer.rawPath;
  if (typeof raw !== 'string' || !raw.startsWith('/') || /[:*?()[\]{}]/.test(raw)) {
    throw new Error(`router layer ${layer.name} has no plain string mount path (rawPath ${JSON.stringify(raw)}): update mountPathOf for this router version`);
  }
  const match = layer.matchers?.[0]?.(`${raw}/probe`);
  if (match === undefined || match === false || match.path !== raw) throw new Error(`the matcher of the router mounted at ${raw} does not agree with its rawPath`);
  return raw;
}

/**
 * Every `METHOD /path` (Express syntax, `:param`) an Express 5 app routes,
 * walking nested routers, sorted.
 *
 * @example
 * ```ts
 * expect(expressOperations(app)).toEqual(documentedOperations);
 * ```
 */
export function expressOperations(app: unknown): string[] {
  const operations: string[] = [];
  const walk = (stack: readonly RouterLayer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route !== undefined) {
        const { path, methods } = layer.route;
        if (typeof path !== 'string') throw new Error(`a route under ${prefix || '/'} has a non-string path: document it by hand`);
        for (const [method, on] of Object.entries(methods)) {
          if (on === true) operations.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${prefix}${path}`);
        }
      } else if (Array.isArray(layer.handle.stack)) {
        walk(layer.handle.stack, prefix + mountPathOf(layer));
      }
    }
  };
  walk((app as { router: { stack: RouterLayer[] } }).router.stack, '');
  return operations.sort();
}

/** `/a/{b}` → `/a/:b`. */
export const toExpressPath = (path: string): string => path.replace(/\{([A-Za-z]+)\}/g, ':$1');

/**
 * A small hand schema of the OpenAPI 3.1 structure the Urbis documents use
 * (the official schema is not a dependency): required top-level fields, path
 * items of operations only, each operation with responses (each with a
 * description), parameters (a path parameter is required), request bodies
 * with content, security.
 */
export const OPENAPI_31_SUBSET = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['openapi', 'info', 'paths', 'components'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.[0-9]+$' },
    info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 }, description: { type: 'string' } }, additionalProperties: false },
    servers: { type: 'array', minItems: 1, items: { type: 'object', required: ['url'], properties: { url: { type: 'string', minLength: 1 }, description: { type: 'string' } }, additionalProperties: false } },
    paths: { type: 'object', minProperties: 1, propertyNames: { pattern: '^/' }, additionalProperties: { $ref: '#/$defs/pathItem' } },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: { type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] }, scheme: { type: 'string' }, description: { type: 'string' } },
            if: { properties: { type: { const: 'http' } } },
            then: { required: ['scheme'], properties: { scheme: { type: 'string', minLength: 1 } } },
          },
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
  $defs: {
    pathItem: {
      type: 'object',
      minProperties: 1,
      patternProperties: { '^(get|put|post|delete|options|head|patch|trace)$': { $ref: '#/$defs/operation' } },
      additionalProperties: false,
    },
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        summary: { type: 'string' },
        operationId: { type: 'string', pattern: '^[A-Za-z0-9_]+$' },
        parameters: { type: 'array', items: { $ref: '#/$defs/parameter' } },
        requestBody: { type: 'object', required: ['content'], properties: { required: { type: 'boolean' }, description: { type: 'string' }, content: { $ref: '#/$defs/content' } }, additionalProperties: false },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5][0-9X]{2}|default)$' },
          additionalProperties: { type: 'object', required: ['description'], properties: { description: { type: 'string' }, content: { $ref: '#/$defs/content' } }, additionalProperties: false },
        },
        security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
      },
      additionalProperties: false,
    },
    parameter: {
      type: 'object',
      required: ['name', 'in'],
      properties: { name: { type: 'string', minLength: 1 }, in: { enum: ['query', 'header', 'path', 'cookie'] }, required: { type: 'boolean' }, description: { type: 'string' }, schema: { type: 'object' } },
      additionalProperties: false,
      if: { properties: { in: { const: 'path' } } },
      then: { required: ['required'], properties: { required: { const: true } } },
    },
    content: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[a-z]+/[a-z0-9.+-]+$' },
      additionalProperties: { type: 'object', properties: { schema: { type: 'object' } }, additionalProperties: false },
    },
  },
} as const;

/** Every `$ref` value anywhere in `value`, with where it is (a JSON pointer). */
export function refsIn(value: unknown, at = ''): { at: string; ref: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refsIn(v, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`)));
}

/** Resolves a local JSON pointer reference (`#/a/b`) in `document`, or `undefined`. */
export function resolveRef(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const token of ref.slice(2).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** A strict Ajv (draft 2020-12) with formats, as the documents' tests use. */
export function newStrictAjv(): Ajv2020.default {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}
