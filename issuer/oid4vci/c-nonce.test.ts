import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { createCNonce } from './c-nonce.js';

describe('c_nonce (OID4VCI 1.0 §7.2)', () => {
  it('is 256 random bits, base64url, fresh every time', () => {
    const { randomBytes } = createNodeCrypto();
    const nonces = new Set(Array.from({ length: 100 }, () => createCNonce({ randomBytes })));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
