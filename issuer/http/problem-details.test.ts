import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import type { Oid4vciEndpointName } from '../oid4vci/oauth-error.js';
import { httpStatusOf, problemHandler } from './problem-details.js';
import { PROBLEM_TYPE_BASE, problemType } from '../../core/errors/problem-type.js';

const issuerDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every `UrbisError` code the issuer's own (non-test) sources throw. */
function codesThrownByIssuer(): UrbisErrorCode[] {
  const codes = new Set<UrbisErrorCode>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'testing') walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/new UrbisError\(\s*'([A-Z0-9_]+)'/g)) codes.add(match[1] as UrbisErrorCode);
      }
    }
  };
  walk(issuerDir);
  return [...codes].sort();
}

/** Codes meaning the server (or what it depends on) failed, not the request: 5xx. */
const SERVER_FAULTS: ReadonlySet<UrbisErrorCode> = new Set<UrbisErrorCode>([
  'CONFIG_INVALID',
  'DATABASE_UNAVAILABLE',
  'CHAIN_UNREACHABLE',
  'OUTBOX_UNAVAILABLE',
  'STATUS_INDICES_EXHAUSTED',
  'DOCUMENT_CORRUPTED',
]);

/** A fake Express response that records what the handler sends. */
function fakeResponse({ locals = {}, headersSent = false }: { locals?: Record<string, unknown>; headersSent?: boolean } = {}) {
  const sent: { status?: number; headers: Record<string, string>; type?: string; body?: string } = { headers: {} };
  const res = {
    headersSent,
    locals,
    status(code: number) {
      sent.status = code;
      return res;
    },
    set(headers: Record<string, string>) {
      Object.assign(sent.headers, headers);
      return res;
    },
    type(type: string) {
      sent.type = type;
      return res;
    },
    send(body: string) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, sent };
}

function handle(error: unknown, { endpoint, locals = {}, onInternalError }: { endpoint?: Oid4vciEndpointName; locals?: Record<string, unknown>; onInternalError?: (error: unknown) => void } = {}) {
  const { res, sent } = fakeResponse({ locals: { ...locals, ...(endpoint === undefined ? {} : { oid4vciEndpoint: endpoint }) } });
  const next = jest.fn();
  problemHandler(onInternalError === undefined ? {} : { onInternalError })(error, {} as Request, res, next as NextFunction);
  return { sent, body: sent.body === undefined ? undefined : (JSON.parse(sent.body) as Record<string, unknown>), next };
}

describe('problemType', () => {
  test('is the stable base URI plus the code in kebab case', () => {
    expect(problemType('RESOURCE_NOT_FOUND')).toBe('https://urbis.city/problems/resource-not-found');
    expect(problemType('INTERNAL')).toBe(`${PROBLEM_TYPE_BASE}internal`);
    expect(problemType('PRE_AUTH_CODE_REPLAYED')).toBe('https://urbis.city/problems/pre-auth-code-replayed');
  });

  test('is a distinct absolute URI for every code the issuer throws', () => {
    const codes = codesThrownByIssuer();
    const types = codes.map(problemType);
    expect(new Set(types).size).toBe(codes.length);
    for (const type of types) {
      expect(type).toMatch(/^https:\/\/urbis\.city\/problems\/[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(() => new URL(type)).not.toThrow();
    }
  });
});

describe('httpStatusOf', () => {
  test('the scan finds the codes of the HTTP layer (it reads the real sources)', () => {
    expect(codesThrownByIssuer()).toEqual(expect.arrayContaining(['BODY_INVALID', 'RATE_LIMITED', 'TX_CODE_INVALID', 'DOCUMENT_TOO_LARGE', 'FORBIDDEN', 'OFFER_EXPIRED']));
  });

  test('every code the issuer throws maps to a 4xx or 5xx; 5xx only for server faults', () => {
    const wrong = codesThrownByIssuer()
      .map((code) => ({ code, status: httpStatusOf(code) }))
      .filter(({ code, status }) => !(SERVER_FAULTS.has(code) ? status >= 500 && status <= 599 : status >= 400 && status <= 499));
    expect(wrong).toEqual([]);
  });

  test.each<[UrbisErrorCode, number]>([
    ['BODY_INVALID', 400],
    ['REFRESH_TOKEN_INVALID', 400],
    ['CONSENT_MISSING', 400],
    ['SERVICE_UNKNOWN', 400],
    ['AUTH_REQUIRED', 401],
    ['AUTH_FAILED', 401],
    ['SESSION_INVALID', 401],
    ['ACCESS_TOKEN_INVALID', 401],
    ['FORBIDDEN', 403],
    ['RESOURCE_NOT_FOUND', 404],
    ['OFFER_NOT_FOUND', 404],
    ['STATE_CONFLICT', 409],
    ['OFFER_EXPIRED', 410],
    ['INPUT_TOO_LARGE', 413],
    ['DOCUMENT_TOO_LARGE', 413],
    ['CONTENT_TYPE_UNSUPPORTED', 415],
    ['DOCUMENT_TYPE_UNSUPPORTED', 415],
    ['RATE_LIMITED', 429],
    ['DOCUMENT_CORRUPTED', 500],
    ['CONFIG_INVALID', 500],
    ['DATABASE_UNAVAILABLE', 503],
    ['CHAIN_UNREACHABLE', 503],
    ['STATUS_INDICES_EXHAUSTED', 503],
  ])('%s → %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  test('a code with no entry (a verifier code that should never reach the issuer API) is a 500', () => {
    expect(httpStatusOf('KB_REPLAYED')).toBe(500);
  });
});

describe('problemHandler', () => {
  test('an UrbisError becomes an RFC 9457 problem: type, title, status, code and the (personal-data-free) message as detail', () => {
    const { sent, body, next } = handle(new UrbisError('SERVICE_UNKNOWN', 'service casino is not in the catalogue'));
    expect(sent.status).toBe(400);
    expect(sent.type).toBe('application/problem+json');
    expect(body).toEqual({ type: 'https://urbis.city/problems/service-unknown', title: 'service unknown', status: 400, code: 'SERVICE_UNKNOWN', detail: 'service casino is not in the catalogue' });
    expect(next).not.toHaveBeenCalled();
  });

  test('any other error is a bare 500 without its message, and goes to the operator hook', () => {
    const onInternalError = jest.fn();
    const error = new TypeError("Cannot read properties of undefined (reading 'email'): covadonga@example.org");
    const { sent, body } = handle(error, { onInternalError });
    expect(sent.status).toBe(500);
    expect(sent.type).toBe('application/problem+json');
    expect(body).toEqual({ type: 'https://urbis.city/problems/internal', title: 'Internal error', status: 500, code: 'INTERNAL' });
    expect(sent.body).not.toContain('covadonga');
    expect(sent.body).not.toContain('TypeError');
    expect(onInternalError).toHaveBeenCalledWith(error);
  });

  test('a thrown non-Error (a string, undefined) is a bare 500 too', () => {
    for (const thrown of ['SQLITE_BUSY: database is locked at /srv/urbis/issuer.sqlite', undefined, { message: 'x' }]) {
      const { sent, body } = handle(thrown);
      expect(sent.status).toBe(500);
      expect(body).toEqual({ type: problemType('INTERNAL'), title: 'Internal error', status: 500, code: 'INTERNAL' });
    }
  });

  test('a client error is not reported to the operator hook', () => {
    const onInternalError = jest.fn();
    for (const code of ['BODY_INVALID', 'AUTH_FAILED', 'RATE_LIMITED', 'TX_CODE_INVALID'] as const) handle(new UrbisError(code, 'x'), { onInternalError });
    expect(onInternalError).not.toHaveBeenCalled();
  });

  test('every UrbisError answered with a 5xx is reported to the operator hook (a server fault must not go unseen)', () => {
    const unreported = [...SERVER_FAULTS]
      .filter((code) => code !== 'SIGNATURE_INVALID')
      .filter((code) => {
        const onInternalError = jest.fn();
        handle(new UrbisError(code, 'x'), { onInternalError });
        return onInternalError.mock.calls.length !== 1;
      });
    expect(unreported).toEqual([]);
  });

  test('when headers were already sent, the error goes to Express (next) and nothing is written', () => {
    const { res, sent } = fakeResponse({ headersSent: true });
    const next = jest.fn();
    const error = new UrbisError('BODY_INVALID', 'x');
    problemHandler()(error, {} as Request, res, next as NextFunction);
    expect(next).toHaveBeenCalledWith(error);
    expect(sent).toEqual({ headers: {} });
  });

  test('RATE_LIMITED carries Retry-After from res.locals.retryAfterSeconds, and none without it', () => {
    expect(handle(new UrbisError('RATE_LIMITED', 'x'), { locals: { retryAfterSeconds: 42 } }).sent).toMatchObject({ status: 429, headers: { 'Retry-After': '42' } });
    expect(handle(new UrbisError('RATE_LIMITED', 'x')).sent.headers).toEqual({});
    // On an OID4VCI endpoint too: rate limiting has no OAuth error, it stays a 429 (RFC 6585).
    const token = handle(new UrbisError('RATE_LIMITED', 'x'), { endpoint: 'token', locals: { retryAfterSeconds: 7 } });
    expect(token.sent).toMatchObject({ status: 429, headers: { 'Retry-After': '7' } });
    expect(token.body?.['error']).toBeUndefined();
  });

  describe('on the OID4VCI endpoints: the OAuth error members', () => {
    test.each<[Oid4vciEndpointName, UrbisErrorCode, number, string]>([
      ['token', 'TX_CODE_INVALID', 400, 'invalid_grant'],
      ['token', 'PRE_AUTH_CODE_REPLAYED', 400, 'invalid_grant'],
      ['token', 'OFFER_EXPIRED', 400, 'invalid_grant'],
      ['token', 'REFRESH_TOKEN_INVALID', 400, 'invalid_grant'],
      ['token', 'BODY_INVALID', 400, 'invalid_request'],
      ['token', 'CONTENT_TYPE_UNSUPPORTED', 400, 'invalid_request'],
      ['credential', 'BODY_INVALID', 400, 'invalid_credential_request'],
      ['credential', 'PROOF_NONCE_INVALID', 400, 'invalid_nonce'],
      ['credential', 'PROOF_AUD_INVALID', 400, 'invalid_proof'],
      ['credential', 'BATCH_SIZE_INVALID', 400, 'invalid_credential_request'],
      ['credential', 'CREDENTIAL_CONFIGURATION_UNKNOWN', 400, 'unknown_credential_configuration'],
      ['credential', 'PROCESSING_RESTRICTED', 400, 'credential_request_denied'],
      ['deferred_credential', 'TRANSACTION_ID_INVALID', 400, 'invalid_transaction_id'],
    ])('%s: %s → %i %s, with Cache-Control: no-store and the status in the body', (endpoint, code, status, error) => {
      const { sent, body } = handle(new UrbisError(code, 'a "quoted" message\\ with ünicode'), { endpoint });
      expect(sent.status).toBe(status);
      expect(sent.headers['Cache-Control']).toBe('no-store');
      expect(body).toMatchObject({ type: problemType(code), code, status, error });
      // error_description holds only the characters RFC 6749 §5.2 allows.
      expect(String(body?.['error_description'])).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]*$/);
    });

    test('ACCESS_TOKEN_INVALID is 401 with WWW-Authenticate: Bearer error="invalid_token"', () => {
      for (const endpoint of ['credential', 'deferred_credential'] as const) {
        const { sent, body } = handle(new UrbisError('ACCESS_TOKEN_INVALID', 'the access token is unknown or expired'), { endpoint });
        expect(sent.status).toBe(401);
        expect(sent.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
        expect(body).toMatchObject({ status: 401, code: 'ACCESS_TOKEN_INVALID', error: 'invalid_token' });
      }
    });

    test('a code without OAuth meaning keeps its own status and gets no error member', () => {
      const { sent, body } = handle(new UrbisError('INPUT_TOO_LARGE', 'the request body is too large'), { endpoint: 'credential' });
      expect(sent.status).toBe(413);
      expect(body?.['error']).toBeUndefined();
    });

    test('outside the OID4VCI endpoints there is no OAuth member, and OFFER_EXPIRED keeps 410', () => {
      const { sent, body } = handle(new UrbisError('OFFER_EXPIRED', 'the credential offer has expired'));
      expect(sent.status).toBe(410);
      expect(body?.['error']).toBeUndefined();
      expect(sent.headers).toEqual({});
    });
  });
});
