import { MAX_PRESENTATION_BODY_BYTES } from '../presentation-body.js';

/** One operation of the terminal's local HTTP API. */
export interface TerminalOperation {
  method: 'get' | 'post';
  /** Express path. */
  path: string;
  summary: string;
  operationId: string;
  /** Query parameters. */
  query?: { name: string; required: boolean; description: string }[];
  /** Whether the operation takes the presentation body. */
  presentationBody?: boolean;
  /** Schema of the 200 answer (a component name). */
  answer: string;
}

/** Every operation, in the order they are documented. A test checks this list against the Express routes, both ways. */
export const TERMINAL_OPERATIONS: readonly TerminalOperation[] = [
  {
    method: 'get',
    path: '/request',
    summary: 'A new OpenID4VP request for a service, with a fresh nonce, and its QR',
    operationId: 'getRequest',
    query: [{ name: 'service', required: true, description: 'The service id (one of the policy file), once' }],
    answer: 'PresentationRequest',
  },
  {
    method: 'post',
    path: '/presentations/verify',
    summary: "Verifies a presentation offline against the snapshot and the service's policy. A rejected presentation is a 200 answer with ok: false and every failed check",
    operationId: 'postPresentationsVerify',
    query: [{ name: 'service', required: false, description: 'The service to check it for (else the one its request named, or the scanner-only service)' }],
    presentationBody: true,
    answer: 'Verdict',
  },
  { method: 'get', path: '/health', summary: 'Snapshot age and block, replay cache, counts per service and outcome: never claims or identifiers', operationId: 'getHealth', answer: 'Health' },
  { method: 'get', path: '/openapi.json', summary: 'This document', operationId: 'getOpenapiJson', answer: 'OpenApiDocument' },
];

const PROBLEM = {
  type: 'object',
  properties: { type: { type: 'string', format: 'uri' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' } },
  required: ['type', 'title', 'status', 'code'],
};

const FAILURE = { type: 'object', properties: { check: { type: 'string' }, code: { type: 'string' }, detail: { type: 'string' } }, required: ['check', 'code', 'detail'] };

/**
 * The terminal's OpenAPI 3.1 document (served at `GET /openapi.json`):
 * the local API of `create-terminal-app.ts`, for the terminal's own screen
 * and scanner. No security scheme: the API listens on loopback and carries
 * no credentials. Every error is an RFC 9457 problem.
 */
export function buildTerminalOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of TERMINAL_OPERATIONS) {
    const operation: Record<string, unknown> = {
      tags: ['Terminal'],
      summary: op.summary,
      operationId: op.operationId,
      ...(op.query === undefined ? {} : { parameters: op.query.map((q) => ({ name: q.name, in: 'query', required: q.required, description: q.description, schema: { type: 'string', minLength: 1 } })) }),
      ...(op.presentationBody === true
        ? {
            requestBody: {
              required: true,
              description: `The presentation, at most ${MAX_PRESENTATION_BODY_BYTES} bytes (refused before parsing)`,
              content: {
                'text/plain': { schema: { type: 'string', description: 'SD-JWT+KB, or a vp_token JSON text' } },
                'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The compact QR bytes' } },
                'application/json': { schema: { $ref: '#/components/schemas/PresentationBody' } },
              },
            },
          }
        : {}),
      responses: {
        '200': { description: 'Success', content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.answer}` } } } },
        default: { description: 'An RFC 9457 problem; `type` is stable per Urbis error code', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
    (paths[op.path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Urbis service-point terminal',
      version: '1.0.0',
      description: 'Local HTTP API of an offline verifier terminal (loopback only). Every answer is Cache-Control: no-store. The terminal screen is served as static files under /screen/.',
    },
    servers: [{ url: '/', description: 'the terminal itself (127.0.0.1:4100 by default)' }],
    paths,
    components: {
      schemas: {
        PresentationRequest: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            serviceId: { type: 'string' },
            link: { type: 'string', description: 'openid4vp:// request with a fresh nonce' },
            expiresAt: { type: 'integer', description: 'Epoch seconds' },
            qr: { type: 'object', properties: { version: { type: 'integer' }, level: { enum: ['L', 'M', 'Q', 'H'] }, svg: { type: 'string' } }, required: ['version', 'level', 'svg'] },
          },
          required: ['id', 'serviceId', 'link', 'expiresAt', 'qr'],
        },
        PresentationBody: {
          type: 'object',
          properties: { presentation: { type: 'string', minLength: 1 }, service: { type: 'string', minLength: 1 } },
          required: ['presentation'],
          additionalProperties: false,
        },
        Failure: FAILURE,
        Verdict: {
          type: 'object',
          properties: {
            ok: { type: 'boolean' },
            serviceId: { type: 'string' },
            flow: { type: 'string' },
            accepted: { type: 'string' },
            credentialType: { type: 'string' },
            claims: { type: 'object' },
            warnings: { type: 'array', items: { $ref: '#/components/schemas/Failure' } },
            failures: { type: 'array', items: { $ref: '#/components/schemas/Failure' } },
          },
          required: ['ok'],
        },
        Health: { type: 'object', properties: { status: { enum: ['ok', 'degraded'] } }, required: ['status'] },
        OpenApiDocument: { type: 'object', properties: { openapi: { type: 'string' } }, required: ['openapi'] },
        Problem: PROBLEM,
      },
    },
  };
}
