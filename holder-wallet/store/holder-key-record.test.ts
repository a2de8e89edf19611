import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { createMemoryKeyHandles } from '../keys/memory-key-handles.js';
import { generateHolderKey } from '../keys/web-crypto-holder-keys.js';
import { TEST_NOW } from '../testing/wallet-fixtures.js';
import { createHolderKeyRecord, holderKeyForRecord } from './holder-key-record.js';

const INPUT = 'eyJhbGciOiJFUzI1NiJ9.e30';
const node = createNodeCrypto();

describe('holder key records', () => {
  it('an extractable key becomes an exportable record with its private JWK; the record signs again after import', async () => {
    const holderKey = await generateHolderKey({ extractable: true });
    const record = await createHolderKeyRecord({ holderKey, createdAt: TEST_NOW });
    expect(record).toMatchObject({ exportable: true, publicJwk: holderKey.publicJwk, createdAt: TEST_NOW });
    expect(record.id).toBe(await calculateJwkThumbprint({ publicJwk: holderKey.publicJwk, hash: node.hash }));
    expect(record.privateJwk).toMatchObject({ x: holderKey.publicJwk.x, y: holderKey.publicJwk.y });
    const again = await holderKeyForRecord({ record });
    expect(again.extractable).toBe(false);
    expect(node.verifySignature({ alg: 'ES256', publicJwk: record.publicJwk, signingInput: INPUT, signature: await again.signingKey.sign(INPUT) })).toBe(true);
  });

  it('a non-extractable key becomes a record without private part; its handle lives in the platform key store', async () => {
    const handles = createMemoryKeyHandles();
    const holderKey = await generateHolderKey({ extractable: false });
    const record = await createHolderKeyRecord({ holderKey, createdAt: TEST_NOW, handles });
    expect(record.exportable).toBe(false);
    expect(record).not.toHaveProperty('privateJwk');
    expect(await handles.get(record.id)).toBe(holderKey.cryptoKey);
    const again = await holderKeyForRecord({ record, handles });
    expect(node.verifySignature({ alg: 'ES256', publicJwk: record.publicJwk, signingInput: INPUT, signature: await again.signingKey.sign(INPUT) })).toBe(true);
    // On another device (no handle): the key is not there.
    await expect(holderKeyForRecord({ record, handles: createMemoryKeyHandles() })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(holderKeyForRecord({ record })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await handles.delete(record.id);
    expect(await handles.get(record.id)).toBeUndefined();
  });

  it('refuses a non-extractable key with nowhere to keep its handle', async () => {
    await expect(createHolderKeyRecord({ holderKey: await generateHolderKey(), createdAt: TEST_NOW })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
