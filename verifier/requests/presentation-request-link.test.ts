import { describe, expect, it } from '@jest/globals';
import { MAX_REQUEST_LINK_LENGTH, presentationRequestLink } from './presentation-request-link.js';

const dcqlQuery = { credentials: [{ id: 'resident_dc', format: 'dc+sd-jwt' as const, meta: { vct_values: ['urn:urbis:vct:resident:1'] }, claims: [{ path: ['age_over_18'], values: [true] }] }] };

describe('presentationRequestLink', () => {
  it('encodes the four parameters, in order, the DCQL query as compact JSON', () => {
    const link = presentationRequestLink({ clientId: 'urbis:terminal:t1', nonce: 'n-0123456789abcdef', dcqlQuery });
    expect(link).toBe(
      'openid4vp://?client_id=urbis:terminal:t1&nonce=n-0123456789abcdef&response_type=vp_token&dcql_query=' +
        '%7B%22credentials%22:%5B%7B%22id%22:%22resident_dc%22,%22format%22:%22dc%2Bsd-jwt%22,%22meta%22:%7B%22vct_values%22:%5B%22urn:urbis:vct:resident:1%22%5D%7D,' +
        '%22claims%22:%5B%7B%22path%22:%5B%22age_over_18%22%5D,%22values%22:%5Btrue%5D%7D%5D%7D%5D%7D',
    );
    const url = new URL(link);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'urbis:terminal:t1', nonce: 'n-0123456789abcdef', response_type: 'vp_token', dcql_query: JSON.stringify(dcqlQuery) });
    expect(presentationRequestLink({ clientId: 'urbis:terminal:t1', nonce: 'n-0123456789abcdef', dcqlQuery: JSON.stringify(dcqlQuery) })).toBe(link);
  });

  it('keeps the characters that would change form decoding encoded', () => {
    const tricky = { credentials: [{ id: 'x_dc', format: 'dc+sd-jwt' as const, meta: { vct_values: ['a&b=c+d#e%f;g h'] } }] };
    const link = presentationRequestLink({ clientId: 'urbis:terminal:t1', nonce: 'n-0123456789abcdef', dcqlQuery: tricky });
    expect(JSON.parse(new URL(link).searchParams.get('dcql_query')!)).toEqual(tricky);
    expect(link).not.toMatch(/[ #;+]|&b|=c/);
  });

  it('refuses a link longer than the wallet takes', () => {
    expect(() => presentationRequestLink({ clientId: 'urbis:terminal:t1', nonce: 'x'.repeat(MAX_REQUEST_LINK_LENGTH), dcqlQuery })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
