import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import express, { Router, type Express } from 'express';
import { startIssuerFixture, type IssuerFixture } from '../../testing/issuer-fixture.js';
import { REQUEST_SCHEMAS } from '../request-schemas.js';
import { buildIssuerOpenApi, ISSUER_OPERATIONS } from './issuer-openapi.js';

/**
 * The issuer's OpenAPI 3.1 document against the Express app it describes:
 * the document lists exactly the routes the app serves and the app serves
 * exactly the documented operations; the document is structurally valid
 * OpenAPI 3.1; every `$ref` resolves; and what it says about
 * authentication is what the routes do.
 */

/** What this test reads of an Express 5 (`router` 2.x) layer. */
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

/** Every `METHOD /path` (Express syntax, `:param`) the app routes, walking nested routers. */
function expressOperations(app: Express): string[] {
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
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return operations.sort();
}

/** `/a/{b}` → `/a/:b`. */
const toExpressPath = (path: string): string => path.replace(/\{([A-Za-z]+)\}/g, ':$1');

/**
 * A small hand schema of the OpenAPI 3.1 structure the issuer uses (the
 * official schema is not a dependency): required top-level fields, path
 * items of operations only, each operation with responses (each with a
 * description), parameters, request bodies with content, security.
 */
const OPENAPI_31_SUBSET = {
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
        requestBody: { type: 'object', required: ['content'], properties: { required: { type: 'boolean' }, content: { $ref: '#/$defs/content' } }, additionalProperties: false },
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
      properties: { name: { type: 'string', minLength: 1 }, in: { enum: ['query', 'header', 'path', 'cookie'] }, required: { type: 'boolean' }, schema: { type: 'object' } },
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

type OpenApiOperation = { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema?: Record<string, unknown> }> }; security?: Record<string, string[]>[]; operationId?: string };
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

/** Every `$ref` value anywhere in `value`, with where it is. */
function refsIn(value: unknown, at = ''): { at: string; ref: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refsIn(v, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`)));
}

/** Resolves a local JSON pointer reference (`#/a/b`), or `undefined`. */
function resolveRef(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const token of ref.slice(2).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function newAjv(): Ajv2020.default {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

describe('issuer OpenAPI document', () => {
  let city: IssuerFixture;
  let served: OpenApiDocument;

  beforeAll(async () => {
    city = await startIssuerFixture();
    const res = await city.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    served = res.body as OpenApiDocument;
  });
  afterAll(async () => {
    await city?.close();
  });

  test('GET /openapi.json serves the document built from ISSUER_OPERATIONS, for the configured issuer URL', () => {
    expect(served).toEqual(buildIssuerOpenApi({ serverUrl: city.config.issuerUrl }));
  });

  test('the route walk itself: nested routers, mount paths and methods of a small Express 5 app', () => {
    const app = express();
    const inner = Router();
    inner.get('/c/:id', (_req, res) => void res.end());
    const outer = Router();
    outer.use('/b', inner);
    outer.post('/', (_req, res) => void res.end());
    app.use((_req, _res, next) => next());
    app.use('/a', outer);
    app.use(Router().put('/d', (_req, res) => void res.end()).delete('/d', (_req, res) => void res.end()));
    expect(expressOperations(app)).toEqual(['DELETE /d', 'GET /a/b/c/:id', 'POST /a/', 'PUT /d']);
    const patterned = express();
    patterned.use('/x/:tenant', Router().get('/y', (_req, res) => void res.end()));
    expect(() => expressOperations(patterned)).toThrow(/no plain string mount path/);
  });

  test('the routes are found where the app mounts them (the walk sees the root, /front-office and /back-office)', () => {
    const operations = expressOperations(city.issuer.app);
    expect(operations).toEqual(expect.arrayContaining(['POST /oid4vci/token', 'GET /health', 'POST /front-office/enrolments', 'POST /back-office/login']));
    expect(new Set(operations).size).toBe(operations.length); // no route registered twice
  });

  test('ISSUER_OPERATIONS lists exactly the Express routes, and the Express routes are exactly ISSUER_OPERATIONS', () => {
    const routed = expressOperations(city.issuer.app);
    const documented = ISSUER_OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`).sort();
    expect(new Set(documented).size).toBe(documented.length);
    expect({ undocumented: routed.filter((op) => !documented.includes(op)), unrouted: documented.filter((op) => !routed.includes(op)) }).toEqual({ undocumented: [], unrouted: [] });
  });

  test("the served document's paths are exactly the Express routes ({param} ↔ :param)", () => {
    const inDocument = Object.entries(served.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${toExpressPath(path)}`))
      .sort();
    expect(inDocument).toEqual(expressOperations(city.issuer.app));
  });

  test('the document is structurally valid OpenAPI 3.1 (hand schema of the parts the issuer uses)', () => {
    const validate = newAjv().compile(OPENAPI_31_SUBSET);
    expect(validate(served) ? [] : validate.errors).toEqual([]);
  });

  test('every operation has a success response, the problem response, a unique operationId, and its path parameters declared', () => {
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(served.paths)) {
      const templated = [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const responses = (operation as { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }).responses;
        expect({ where, success: Object.keys(responses).some((status) => /^2\d\d$/.test(status)) }).toEqual({ where, success: true });
        expect({ where, problem: responses['default']?.content?.['application/problem+json']?.schema?.$ref }).toEqual({ where, problem: '#/components/schemas/Problem' });
        expect({ where, parameters: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort() }).toEqual({ where, parameters: templated });
        expect(operation.operationId).toBeDefined();
        expect(operationIds.has(operation.operationId!)).toBe(false);
        operationIds.add(operation.operationId!);
      }
    }
    expect(operationIds.size).toBe(ISSUER_OPERATIONS.length);
  });

  test('every requestBody $ref points at a request schema in components, and every $ref in the document resolves', () => {
    const bodyRefs: string[] = [];
    for (const item of Object.values(served.paths)) {
      for (const operation of Object.values(item)) {
        for (const media of Object.values(operation.requestBody?.content ?? {})) {
          const ref = media.schema?.['$ref'];
          if (typeof ref === 'string') bodyRefs.push(ref);
        }
      }
    }
    expect(bodyRefs.length).toBeGreaterThan(20);
    for (const ref of bodyRefs) {
      expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z]+$/);
      const name = ref.slice('#/components/schemas/'.length);
      expect({ ref, isRequestSchema: Object.prototype.hasOwnProperty.call(REQUEST_SCHEMAS, name) }).toEqual({ ref, isRequestSchema: true });
      expect(resolveRef(served, ref)).toEqual(REQUEST_SCHEMAS[name as keyof typeof REQUEST_SCHEMAS]);
    }
    for (const { at, ref } of refsIn(served)) expect({ at, ref, resolves: resolveRef(served, ref) !== undefined }).toEqual({ at, ref, resolves: true });
  });

  test('every security requirement names a declared security scheme', () => {
    for (const item of Object.values(served.paths)) {
      for (const operation of Object.values(item)) {
        for (const requirement of operation.security ?? []) {
          for (const scheme of Object.keys(requirement)) expect(Object.keys(served.components.securitySchemes)).toContain(scheme);
        }
      }
    }
  });

  test('every component schema is a valid JSON Schema 2020-12 (the dialect of OpenAPI 3.1), and real problems match Problem', async () => {
    const ajv = newAjv();
    for (const [name, schema] of Object.entries(served.components.schemas)) {
      expect(() => ajv.compile(schema as object)).not.toThrow();
      expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    }
    const problem = ajv.compile(served.components.schemas['Problem'] as object);
    for (const answer of [await city.request('GET', '/no-such-route'), await city.request('POST', '/oid4vci/token', { body: 'grant_type=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })]) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(problem(answer.body) ? [] : problem.errors).toEqual([]);
    }
  });

  test('what the document says about authentication is what the routes do: no credentials, 401', async () => {
    // Minimal bodies that pass the schema check, which runs before the access token is read.
    const validBodies: Partial<Record<string, unknown>> = {
      CredentialRequest: { credential_configuration_id: 'resident.dc+sd-jwt', proofs: { jwt: ['x'] } },
      DeferredCredentialRequest: { transaction_id: 'x' },
    };
    const expectedCode = { citizen: 'AUTH_REQUIRED', staff: 'AUTH_REQUIRED', 'access-token': 'ACCESS_TOKEN_INVALID' } as const;
    for (const op of ISSUER_OPERATIONS) {
      const path = op.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'reference' ? 'GIJ-AAAA-AAAA' : `probe-${name}`));
      const body = op.body !== undefined && 'schema' in op.body ? validBodies[op.body.schema] : undefined;
      const res = await city.request(op.method.toUpperCase(), path, body === undefined ? {} : { json: body });
      const where = `${op.method.toUpperCase()} ${op.path}`;
      if (op.auth === undefined) {
        expect({ where, code: (res.body as { code?: string } | undefined)?.code }).not.toEqual({ where, code: expect.stringMatching(/^(AUTH_REQUIRED|SESSION_INVALID|ACCESS_TOKEN_INVALID)$/) });
      } else {
        expect({ where, status: res.status, code: (res.body as { code?: string }).code }).toEqual({ where, status: 401, code: expectedCode[op.auth] });
      }
    }
  });
});
