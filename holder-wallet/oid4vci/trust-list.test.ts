import { isUrbisError } from '../../core/errors/urbis-error.js';
import { createTrustList } from './trust-list.js';

const GIJON = { issuerUrl: 'https://sede.gijon.es', name: 'Ayuntamiento de Gijón' };

describe('the wallet trust list', () => {
  test('finds issuers by exact credential issuer identifier', () => {
    const list = createTrustList({ issuers: [GIJON] });
    expect(list.find({ issuerUrl: 'https://sede.gijon.es' })).toEqual(GIJON);
    expect(list.requireTrusted({ issuerUrl: 'https://sede.gijon.es' })).toEqual(GIJON);
    // Identifiers are compared as strings (OID4VCI §12.2.1): no normalisation.
    for (const issuerUrl of ['https://sede.gijon.es/', 'https://SEDE.gijon.es', 'https://sede.gijon.es:443', 'http://sede.gijon.es']) {
      expect(list.find({ issuerUrl })).toBeUndefined();
    }
  });

  test('refuses an untrusted issuer with ISSUER_UNTRUSTED', () => {
    const list = createTrustList({ issuers: [GIJON] });
    let error: unknown;
    try {
      list.requireTrusted({ issuerUrl: 'https://evil.example' });
    } catch (e) {
      error = e;
    }
    expect(isUrbisError(error, 'ISSUER_UNTRUSTED')).toBe(true);
  });

  test('addTrustedIssuer adds after the citizen agreed, and replaces an entry', () => {
    const list = createTrustList();
    expect(() => list.requireTrusted({ issuerUrl: GIJON.issuerUrl })).toThrow();
    expect(list.addTrustedIssuer({ issuerUrl: GIJON.issuerUrl, name: '  Ayuntamiento de Gijón ' })).toEqual(GIJON);
    expect(list.requireTrusted({ issuerUrl: GIJON.issuerUrl })).toEqual(GIJON);
    list.addTrustedIssuer({ issuerUrl: 'http://127.0.0.1:4000', name: 'Local test city' });
    list.addTrustedIssuer({ issuerUrl: GIJON.issuerUrl, name: 'Gijón', issuerIds: ['did:web:gijon.city.example', 'did:web:gijon.city.example'] });
    expect(list.entries()).toEqual([
      { issuerUrl: 'http://127.0.0.1:4000', name: 'Local test city' },
      { issuerUrl: GIJON.issuerUrl, name: 'Gijón', issuerIds: ['did:web:gijon.city.example'] },
    ]);
    expect(list.removeTrustedIssuer({ issuerUrl: 'http://127.0.0.1:4000' })).toBe(true);
    expect(list.removeTrustedIssuer({ issuerUrl: 'http://127.0.0.1:4000' })).toBe(false);
    expect(list.entries()).toHaveLength(1);
  });

  test.each([
    ['a plain http issuer that is not loopback', { issuerUrl: 'http://sede.gijon.es', name: 'x' }],
    ['an identifier with a query', { issuerUrl: 'https://sede.gijon.es?a=1', name: 'x' }],
    ['an identifier with a fragment', { issuerUrl: 'https://sede.gijon.es#a', name: 'x' }],
    ['not a URL', { issuerUrl: 'sede.gijon.es', name: 'x' }],
    ['an empty name', { issuerUrl: GIJON.issuerUrl, name: '   ' }],
    ['an over-long name', { issuerUrl: GIJON.issuerUrl, name: 'x'.repeat(201) }],
    ['empty issuer ids', { issuerUrl: GIJON.issuerUrl, name: 'x', issuerIds: [''] }],
  ])('addTrustedIssuer refuses %s with INVALID_ARGUMENT', (_name, entry) => {
    const list = createTrustList();
    let error: unknown;
    try {
      list.addTrustedIssuer(entry);
    } catch (e) {
      error = e;
    }
    expect(isUrbisError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(list.entries()).toEqual([]);
  });

  test('entries are copies: changing them changes nothing in the list', () => {
    const list = createTrustList({ issuers: [{ ...GIJON, issuerIds: ['did:web:a'] }] });
    const [entry] = list.entries();
    entry!.name = 'Evil';
    entry!.issuerIds!.push('did:web:evil');
    expect(list.find({ issuerUrl: GIJON.issuerUrl })).toEqual({ ...GIJON, issuerIds: ['did:web:a'] });
  });
});
