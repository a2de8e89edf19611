import { describe, expect, it } from '@jest/globals';
import { MAX_DID_LENGTH, isDidUrlFragment, parseDid, splitDidUrl } from './did-syntax.js';

describe('parseDid (DID Core §3.1)', () => {
  it('splits method and method-specific id', () => {
    expect(parseDid('did:web:city.example%3A8443:path')).toEqual({
      did: 'did:web:city.example%3A8443:path',
      method: 'web',
      methodSpecificId: 'city.example%3A8443:path',
    });
    expect(parseDid('did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169').method).toBe('key');
    expect(parseDid('did:example:a::b').methodSpecificId).toBe('a::b');
  });

  it('rejects what is not DID syntax with DID_INVALID', () => {
    for (const bad of [
      '',
      'did:',
      'did:web',
      'did:web:',
      'did:web:a:',
      'DID:web:a',
      'did:Web:a',
      'did:we-b:a',
      'did:web:a b',
      'did:web:a/b',
      'did:web:a?b',
      'did:web:a#b',
      'did:web:a%2',
      'did:web:a%zz',
      'urn:web:a',
      ' did:web:a',
    ]) {
      expect(() => parseDid(bad)).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
    }
    for (const notString of [undefined, null, 42, {}, ['did:web:a']]) {
      expect(() => parseDid(notString)).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
    }
  });

  it('refuses over-long input with INPUT_TOO_LARGE before matching', () => {
    expect(() => parseDid(`did:web:${'a'.repeat(MAX_DID_LENGTH)}`)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });

  it('does not echo the DID in its messages', () => {
    const did = 'did:jwk:eyJub3QiOiJhIGtleSJ9 ';
    expect(() => parseDid(did)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('eyJub3Qi') }));
  });
});

describe('splitDidUrl (DID Core §3.2)', () => {
  it('splits a DID URL into DID and fragment', () => {
    expect(splitDidUrl('did:web:city.example#key-1')).toEqual({ did: 'did:web:city.example', fragment: 'key-1' });
    expect(splitDidUrl('did:jwk:eyJ9#0')).toEqual({ did: 'did:jwk:eyJ9', fragment: '0' });
    expect(splitDidUrl('did:web:city.example')).toEqual({ did: 'did:web:city.example' });
  });

  it('rejects paths, queries, empty or malformed fragments with DID_INVALID', () => {
    for (const bad of ['did:web:a/path#k', 'did:web:a?q=1#k', 'did:web:a#', 'did:web:a#k#l', 'did:web:a#k y', 'did:web:a#%zz', '#k', 42]) {
      expect(() => splitDidUrl(bad)).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
    }
    expect(() => splitDidUrl(`did:web:a#${'k'.repeat(MAX_DID_LENGTH)}`)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });

  it('isDidUrlFragment accepts RFC 3986 §3.5 fragments', () => {
    expect(isDidUrlFragment('key-1')).toBe(true);
    expect(isDidUrlFragment('G_96kD3GBXg7fuqEEJsKY1YHracLxBDq7pdwv2DgxdM')).toBe(true);
    expect(isDidUrlFragment('a:b/c?d=%20')).toBe(true);
    expect(isDidUrlFragment('')).toBe(false);
    expect(isDidUrlFragment('a#b')).toBe(false);
    expect(isDidUrlFragment('é')).toBe(false);
  });
});
