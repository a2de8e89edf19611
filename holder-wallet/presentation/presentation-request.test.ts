import { describe, expect, it } from '@jest/globals';
import { parsePresentationRequest, scannerBinding } from './presentation-request.js';
import { requestLink, residentQuery } from '../testing/test-wallet.js';

const dcql = JSON.stringify({ credentials: [residentQuery()] });
const base = { client_id: 'urn:urbis:terminal:gijon-pool-1', nonce: 'n-0123456789abcdef', response_type: 'vp_token', dcql_query: dcql };

describe('OpenID4VP 1.0 request by value', () => {
  it('parses a terminal QR', () => {
    const request = parsePresentationRequest(requestLink({ ...base, state: 's1' }));
    expect(request).toMatchObject({ clientId: base.client_id, nonce: base.nonce, responseType: 'vp_token', state: 's1' });
    expect(request.dcqlQuery.credentials[0]!.claims).toEqual([{ path: ['age_over_18'] }]);
    const posted = parsePresentationRequest(requestLink({ ...base, response_mode: 'direct_post', response_uri: 'https://pool.gijon.example/vp' }));
    expect(posted).toMatchObject({ responseMode: 'direct_post', responseUri: 'https://pool.gijon.example/vp' });
  });

  const without = (name: keyof typeof base) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== name));
  it.each<[string, string]>([
    ['not a link', 'hello'],
    ['another scheme', requestLink(base).replace('openid4vp:', 'https:')],
    ['no client_id', requestLink(without('client_id'))],
    ['no nonce', requestLink(without('nonce'))],
    ['short nonce', requestLink({ ...base, nonce: '0123456789abcde' })],
    ['no dcql_query', requestLink(without('dcql_query'))],
    ['dcql_query not JSON', requestLink({ ...base, dcql_query: '{nope' })],
    ['dcql_query invalid', requestLink({ ...base, dcql_query: '{"credentials":[]}' })],
    ['response_type code', requestLink({ ...base, response_type: 'code' })],
    ['no response_type', requestLink(without('response_type'))],
    ['request_uri', requestLink({ ...base, request_uri: 'https://x.example/r' })],
    ['presentation_definition', requestLink({ ...base, presentation_definition: '{}' })],
    ['unknown parameter', requestLink({ ...base, foo: 'bar' })],
    ['repeated parameter', `${requestLink(base)}&nonce=n-0123456789abcdef`],
    ['direct_post without response_uri', requestLink({ ...base, response_mode: 'direct_post' })],
    ['http response_uri', requestLink({ ...base, response_mode: 'direct_post', response_uri: 'http://x.example/vp' })],
    ['unsupported response_mode', requestLink({ ...base, response_mode: 'dc_api' })],
    ['too long', requestLink({ ...base, state: 'x'.repeat(9000) })],
  ])('refuses %s with BODY_INVALID', (_name, link) => {
    expect(() => parsePresentationRequest(link)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });
});

describe('scanner-only binding', () => {
  it('binds to the terminal id with a fresh random nonce each time', () => {
    const query = { credentials: [residentQuery()] };
    const a = scannerBinding({ terminalId: 'urbis:terminal:gijon-pool-1', dcqlQuery: query });
    const b = scannerBinding({ terminalId: 'urbis:terminal:gijon-pool-1', dcqlQuery: query });
    expect(a.audience).toBe('urbis:terminal:gijon-pool-1');
    expect(a.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.nonce).not.toBe(b.nonce);
  });

  it.each(['', 'terminal-1', 'https://evil.example', 'urbis:terminal:', 'urbis:terminal:a b'])('refuses the terminal id %j', (terminalId) => {
    expect(() => scannerBinding({ terminalId, dcqlQuery: { credentials: [residentQuery()] } })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });

  it('refuses an invalid query', () => {
    expect(() => scannerBinding({ terminalId: 'urbis:terminal:x', dcqlQuery: {} })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });
});
