import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { didWebFromUrl, didWebToUrl } from './did-web-url.js';

interface DidWebVector {
  name: string;
  source: string;
  did: string;
  url: string;
}

const { vectors } = JSON.parse(readFileSync(new URL('./fixtures/did-web-vectors.json', import.meta.url), 'utf8')) as {
  vectors: DidWebVector[];
};

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const tld = fc.stringMatching(/^[a-z]{2,6}$/);
const host = fc.tuple(fc.array(label, { minLength: 0, maxLength: 3 }), tld).map(([labels, top]) => [...labels, top].join('.'));
const port = fc.option(fc.integer({ min: 1, max: 65535 }).filter((p) => p !== 443), { nil: undefined });
/** Path segments of DID idchars, percent-encoded octets included; never dot segments or a lone .well-known. */
const segment = fc
  .array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]$/), fc.stringMatching(/^%[0-9A-F]{2}$/)), { minLength: 1, maxLength: 8 })
  .map((chars) => chars.join(''))
  .filter((s) => !/^(?:\.|%2E){1,2}$/i.test(s) && !/%2F|%5C/i.test(s));
const path = fc.array(segment, { minLength: 0, maxLength: 4 }).filter((p) => !(p.length === 1 && p[0] === '.well-known'));

describe('did:web identifiers and URLs', () => {
  for (const vector of vectors) {
    it(`${vector.source}: ${vector.name}`, () => {
      expect(didWebToUrl(vector.did)).toBe(vector.url);
      expect(didWebFromUrl(vector.url)).toBe(vector.did);
    });
  }

  it('didWebFromUrl takes a base URL (with or without a trailing slash) or the document URL', () => {
    expect(didWebFromUrl('https://city.example:8443/path')).toBe('did:web:city.example%3A8443:path');
    expect(didWebFromUrl('https://city.example:8443/path/')).toBe('did:web:city.example%3A8443:path');
    expect(didWebFromUrl('https://city.example')).toBe('did:web:city.example');
    expect(didWebFromUrl('https://city.example/')).toBe('did:web:city.example');
    expect(didWebFromUrl('https://city.example/.well-known')).toBe('did:web:city.example');
    expect(didWebFromUrl('https://city.example/.well-known/did.json')).toBe('did:web:city.example');
    expect(didWebFromUrl('https://city.example/issuers/mairie/did.json')).toBe('did:web:city.example:issuers:mairie');
  });

  it('didWebFromUrl normalises the host (lower case, punycode, default port dropped) and percent-encodes non-idchars', () => {
    expect(didWebFromUrl('https://City.EXAMPLE:443/A')).toBe('did:web:city.example:A');
    expect(didWebFromUrl('https://bücher.example/')).toBe('did:web:xn--bcher-kva.example');
    expect(didWebFromUrl('https://city.example/~alice/a:b')).toBe('did:web:city.example:%7Ealice:a%3Ab');
    expect(didWebFromUrl('https://city.example/caf%C3%A9/é')).toBe('did:web:city.example:caf%C3%A9:%C3%A9');
    expect(didWebToUrl('did:web:city.example:%7Ealice:a%3Ab')).toBe('https://city.example/%7Ealice/a%3Ab/did.json');
  });

  it('didWebFromUrl refuses what cannot be a did:web location with INVALID_ARGUMENT', () => {
    for (const bad of [
      'not a url',
      'http://city.example/',
      'ftp://city.example/',
      'https://user:pw@city.example/',
      'https://city.example/?q=1',
      'https://city.example/?',
      'https://city.example/#k',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://city.example./',
      'https://city.example/a//b',
      'https://city.example/did.json',
      'https://city.example/a%2Fb',
    ]) {
      expect(() => didWebFromUrl(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => didWebFromUrl(`https://city.example/${'a'.repeat(3000)}`)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });

  it('didWebToUrl refuses non-canonical or unsafe did:web DIDs with DID_INVALID', () => {
    for (const bad of [
      'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169',
      'did:web:City.example',
      'did:web:city.example%3a8443',
      'did:web:city.example%3A',
      'did:web:city.example%3A443',
      'did:web:city.example%3A0',
      'did:web:city.example%3A65536',
      'did:web:city.example%3A80%3A81',
      'did:web:127.0.0.1',
      'did:web:city.123',
      'did:web:-city.example',
      'did:web:city..example',
      'did:web:city.example::a',
      'did:web:city.example:..',
      'did:web:city.example:a:%2E%2e:b',
      'did:web:city.example:.',
      'did:web:city.example:a%2Fb',
      'did:web:city.example:a%5Cb',
      'did:web:city.example:.well-known',
      'did:web:city%20example',
      'did:web:city.example#key-1',
    ]) {
      expect(() => didWebToUrl(bad)).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
    }
  });

  it('property: didWebToUrl ∘ didWebFromUrl is the document URL of the base URL, and back', () => {
    fc.assert(
      // A base URL ending in /did.json would be read as a document URL.
      fc.property(host, port, path.filter((p) => p.at(-1) !== 'did.json'), (h, p, segments) => {
        const origin = `https://${h}${p === undefined ? '' : `:${p}`}`;
        const base = segments.length === 0 ? origin : `${origin}/${segments.join('/')}`;
        const did = didWebFromUrl(base);
        const url = didWebToUrl(did);
        expect(url).toBe(segments.length === 0 ? `${origin}/.well-known/did.json` : `${base}/did.json`);
        expect(didWebFromUrl(url)).toBe(did);
        expect(new URL(url).href).toBe(url);
      }),
      { numRuns: 300 },
    );
  });

  it('property: didWebFromUrl ∘ didWebToUrl is the identity on canonical did:web DIDs', () => {
    fc.assert(
      fc.property(host, port, path, (h, p, segments) => {
        const did = ['did:web:' + h + (p === undefined ? '' : `%3A${p}`), ...segments].join(':');
        expect(didWebFromUrl(didWebToUrl(did))).toBe(did);
      }),
      { numRuns: 300 },
    );
  });
});
