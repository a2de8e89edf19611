import { describe, expect, it } from '@jest/globals';
import { base64urlEncodeString } from '../../core/encoding/base64url.js';
import { createCredentialKit } from '../../core/test-kit/credential-kit.js';
import { keyBindingNonceOf } from './key-binding-nonce.js';

describe('keyBindingNonceOf', () => {
  it("reads the KB-JWT's nonce of a real presentation", async () => {
    const kit = createCredentialKit();
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder });
    const presentation = await kit.present({ credential, holder, claims: [['age_over_18']], nonce: 'AbCdEfGhIjKlMnOpQrStUv' });
    expect(keyBindingNonceOf({ presentation })).toBe('AbCdEfGhIjKlMnOpQrStUv');
    // Without key binding, or above the size bound: nothing.
    expect(keyBindingNonceOf({ presentation: credential })).toBeUndefined();
    expect(keyBindingNonceOf({ presentation, maxBytes: 100 })).toBeUndefined();
  });

  const jwt = (payload: unknown) => `${base64urlEncodeString('{"alg":"ES256","typ":"kb+jwt"}')}.${base64urlEncodeString(JSON.stringify(payload))}.AAAA`;
  it.each<[string, unknown]>([
    ['not a string', { nonce: 'x' }],
    ['empty', ''],
    ['no tilde', 'abc.def.ghi'],
    ['a garbled KB-JWT', 'a.b.c~%%%.%%%.%%%'],
    ['a KB-JWT without nonce', `a.b.c~${jwt({ aud: 'x' })}`],
    ['a nonce that is not a string', `a.b.c~${jwt({ nonce: 12_345_678_901_234 })}`],
    ['a short nonce', `a.b.c~${jwt({ nonce: 'short' })}`],
    ['a huge nonce', `a.b.c~${jwt({ nonce: 'x'.repeat(300) })}`],
  ])('returns undefined for %s', (_name, presentation) => {
    expect(keyBindingNonceOf({ presentation })).toBeUndefined();
  });
});
