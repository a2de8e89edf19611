import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import { createTerminalFixture, type TerminalFixture } from '../../testing/terminal-fixture.js';
import { createTerminalApp } from '../create-terminal-app.js';
import { startTerminalServer, type TerminalServer } from '../start-terminal-server.js';
import { buildTerminalOpenApi, TERMINAL_OPERATIONS } from './terminal-openapi.js';

/**
 * The terminal's OpenAPI 3.1 document against the Express app it describes
 * (same approach as `issuer/http/openapi/issuer-openapi.test.ts`): the
 * document lists exactly the routes the app serves and nothing else, it is
 * structurally valid OpenAPI 3.1, every `$ref` resolves, and real answers
 * match the schemas it names.
 */

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle: { stack?: RouterLayer[] };
}

/** Every `METHOD /path` the app routes. The terminal mounts no sub-router; one would fail this walk loudly. */
function expressOperations(app: Express): string[] {
  const operations: string[] = [];
  for (const layer of (app as unknown as { router: { stack: RouterLayer[] } }).router.stack) {
    if (Array.isArray(layer.handle.stack)) throw new Error('the terminal app mounts a router: walk it (see issuer-openapi.test.ts mountPathOf)');
    if (layer.route === undefined) continue;
    if (typeof layer.route.path !== 'string') throw new Error('a route has a non-string path: document it by hand');
    for (const [method, on] of Object.entries(layer.route.methods)) if (on === true) operations.push(`${method.toUpperCase()} ${layer.route.path}`);
  }
  return operations.sort();
}

/** The parts of OpenAPI 3.1 this document uses, as a JSON Schema (the official schema is not a dependency). */
const OPENAPI_31_SUBSET = {
  type: 'object',
  required: ['openapi', 'info', 'paths', 'components'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.[0-9]+$' },
    info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 }, description: { type: 'string' } }, additionalProperties: false },
    servers: { type: 'array', minItems: 1, items: { type: 'object', required: ['url'], properties: { url: { type: 'string', minLength: 1 }, description: { type: 'string' } }, additionalProperties: false } },
    paths: { type: 'object', minProperties: 1, propertyNames: { pattern: '^/' }, additionalProperties: { $ref: '#/$defs/pathItem' } },
    components: { type: 'object', properties: { schemas: { type: 'object', additionalProperties: { type: 'object' } } }, additionalProperties: false },
  },
  additionalProperties: false,
  $defs: {
    pathItem: { type: 'object', minProperties: 1, patternProperties: { '^(get|put|post|delete|options|head|patch|trace)$': { $ref: '#/$defs/operation' } }, additionalProperties: false },
    operation: {
      type: 'object',
      required: ['responses', 'operationId'],
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        summary: { type: 'string' },
        operationId: { type: 'string', pattern: '^[A-Za-z0-9_]+$' },
        parameters: {
          type: 'array',
          items: { type: 'object', required: ['name', 'in'], properties: { name: { type: 'string', minLength: 1 }, in: { enum: ['query', 'header', 'path', 'cookie'] }, required: { type: 'boolean' }, description: { type: 'string' }, schema: { type: 'object' } }, additionalProperties: false },
        },
        requestBody: { type: 'object', required: ['content'], properties: { required: { type: 'boolean' }, description: { type: 'string' }, content: { $ref: '#/$defs/content' } }, additionalProperties: false },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5][0-9X]{2}|default)$' },
          additionalProperties: { type: 'object', required: ['description'], properties: { description: { type: 'string' }, content: { $ref: '#/$defs/content' } }, additionalProperties: false },
        },
      },
      additionalProperties: false,
    },
    content: { type: 'object', minProperties: 1, propertyNames: { pattern: '^[a-z]+/[a-z0-9.+-]+$' }, additionalProperties: { type: 'object', properties: { schema: { type: 'object' } }, additionalProperties: false } },
  },
} as const;

/** Every `$ref` value anywhere in `value`. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => refsIn(v));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
}

function newAjv(): Ajv2020.default {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

type Document = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>; components: { schemas: Record<string, object> } };

describe('terminal OpenAPI document', () => {
  let fixture: TerminalFixture;
  let server: TerminalServer;
  let served: Document;

  beforeAll(async () => {
    fixture = await createTerminalFixture();
    server = await startTerminalServer({ terminal: fixture.terminal });
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    served = (await response.json()) as Document;
  });
  afterAll(async () => {
    await server?.close();
    await fixture?.close();
  });

  it('GET /openapi.json serves buildTerminalOpenApi()', () => {
    expect(served).toEqual(buildTerminalOpenApi());
  });

  it('TERMINAL_OPERATIONS, the served paths and the Express routes are the same set', () => {
    const routed = expressOperations(createTerminalApp({ terminal: fixture.terminal }));
    expect(routed).toEqual(expect.arrayContaining(['GET /request', 'POST /presentations/verify', 'GET /health']));
    const documented = TERMINAL_OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`).sort();
    const inDocument = Object.entries(served.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)).sort();
    expect({ undocumented: routed.filter((op) => !documented.includes(op)), unrouted: documented.filter((op) => !routed.includes(op)) }).toEqual({ undocumented: [], unrouted: [] });
    expect(inDocument).toEqual(routed);
  });

  it('the route walk sees a route added to the app (so a new undocumented route fails the test above)', () => {
    const app = createTerminalApp({ terminal: fixture.terminal });
    const before = expressOperations(app);
    app.get('/extra', (_req, res) => void res.end());
    expect(expressOperations(app)).toEqual([...before, 'GET /extra'].sort());
  });

  it('is structurally valid OpenAPI 3.1; unique operation ids; a 200 and the problem response everywhere; every $ref resolves', () => {
    const validate = newAjv().compile(OPENAPI_31_SUBSET);
    expect(validate(served) ? [] : validate.errors).toEqual([]);
    const ids = Object.values(served.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(TERMINAL_OPERATIONS.length);
    for (const item of Object.values(served.paths)) {
      for (const op of Object.values(item)) {
        expect(Object.keys(op.responses).sort()).toEqual(['200', 'default']);
        expect(op.responses['default']!.content?.['application/problem+json']?.schema?.$ref).toBe('#/components/schemas/Problem');
      }
    }
    for (const ref of refsIn(served)) expect({ ref, resolves: ref.startsWith('#/components/schemas/') && served.components.schemas[ref.slice(21)] !== undefined }).toEqual({ ref, resolves: true });
    const ajv = newAjv();
    for (const schema of Object.values(served.components.schemas)) expect(() => ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\/[A-Za-z]+"/g, '"#"')) as object)).not.toThrow();
  });

  it('real answers match the schemas the document names: request, health, a verdict, a problem', async () => {
    // The whole document as one schema resource, so that references between components resolve (strict off: OpenAPI keywords are not JSON Schema ones).
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...served, $id: 'urbis-terminal' } as object);
    const check = (name: string, body: unknown) => {
      const validate = ajv.compile({ $ref: `urbis-terminal#/components/schemas/${name}` });
      expect({ name, errors: validate(body) ? [] : validate.errors }).toEqual({ name, errors: [] });
      return validate;
    };
    check('PresentationRequest', await (await fetch(`${server.url}/request?service=pools`)).json());
    check('Health', await (await fetch(`${server.url}/health`)).json());
    const rejected = await (await fetch(`${server.url}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'not-a-presentation' })).json();
    expect(rejected).toMatchObject({ ok: false, failures: [expect.objectContaining({ code: expect.any(String) })] });
    const verdict = check('Verdict', rejected);
    expect(verdict({ ok: false, failures: [{ code: 'X' }] })).toBe(false); // a failure without its check and detail does not match
    const problem = await fetch(`${server.url}/request`);
    expect(problem.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    check('Problem', await problem.json());
  });
});
