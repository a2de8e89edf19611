import express, { Router } from 'express';
import { expressOperations, newStrictAjv, OPENAPI_31_SUBSET, refsIn, resolveRef, toExpressPath } from '../../../core/test-kit/openapi-checks.js';
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

type OpenApiOperation = { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema?: Record<string, unknown> }> }; security?: Record<string, string[]>[]; operationId?: string };
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

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
    const validate = newStrictAjv().compile(OPENAPI_31_SUBSET);
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
    const ajv = newStrictAjv();
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
