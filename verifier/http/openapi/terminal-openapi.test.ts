import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expressOperations, newStrictAjv, OPENAPI_31_SUBSET, refsIn, resolveRef } from '../../../core/test-kit/openapi-checks.js';
import { createTerminalFixture, type TerminalFixture } from '../../testing/terminal-fixture.js';
import { createTerminalApp } from '../create-terminal-app.js';
import { startTerminalServer, type TerminalServer } from '../start-terminal-server.js';
import { buildTerminalOpenApi, TERMINAL_OPERATIONS } from './terminal-openapi.js';

/**
 * The terminal's OpenAPI 3.1 document against the Express app it describes
 * (the checks shared with the issuer's: `core/test-kit/openapi-checks.ts`): the
 * document lists exactly the routes the app serves and nothing else, it is
 * structurally valid OpenAPI 3.1, every `$ref` resolves, and real answers
 * match the schemas it names.
 */

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
    const validate = newStrictAjv().compile(OPENAPI_31_SUBSET);
    expect(validate(served) ? [] : validate.errors).toEqual([]);
    const ids = Object.values(served.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(TERMINAL_OPERATIONS.length);
    for (const item of Object.values(served.paths)) {
      for (const op of Object.values(item)) {
        expect(Object.keys(op.responses).sort()).toEqual(['200', 'default']);
        expect(op.responses['default']!.content?.['application/problem+json']?.schema?.$ref).toBe('#/components/schemas/Problem');
      }
    }
    for (const { at, ref } of refsIn(served)) expect({ at, ref, resolves: ref.startsWith('#/components/schemas/') && resolveRef(served, ref) !== undefined }).toEqual({ at, ref, resolves: true });
    const ajv = newStrictAjv();
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
