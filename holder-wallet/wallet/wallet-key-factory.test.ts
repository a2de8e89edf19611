import { describe, expect, it } from '@jest/globals';
import { createMemoryKeyHandles } from '../keys/memory-key-handles.js';
import { walletKeyFactory } from './wallet-key-factory.js';

describe('walletKeyFactory', () => {
  it('makes a distinct key per call with its record: exportable keys carry their private part, device keys leave a handle', async () => {
    const exportable = walletKeyFactory({ keyStorage: 'exportable', createdAt: 1 });
    const a = await exportable.newHolderKey();
    const b = await exportable.newHolderKey();
    expect(a.publicJwk).not.toEqual(b.publicJwk);
    expect(exportable.recordFor(a.publicJwk)).toMatchObject({ exportable: true, privateJwk: expect.objectContaining({ d: expect.any(String) }), createdAt: 1 });

    const handles = createMemoryKeyHandles();
    const device = walletKeyFactory({ keyStorage: 'device', handles, createdAt: 1 });
    const c = await device.newHolderKey();
    const record = device.recordFor(c.publicJwk);
    expect(record).toMatchObject({ exportable: false });
    expect(record).not.toHaveProperty('privateJwk');
    expect(await handles.get(record.id)).toBeDefined();
  });

  it('forgets the handles of keys whose copies never came', async () => {
    const handles = createMemoryKeyHandles();
    const device = walletKeyFactory({ keyStorage: 'device', handles, createdAt: 1 });
    const kept = device.recordFor((await device.newHolderKey()).publicJwk);
    const lost = device.recordFor((await device.newHolderKey()).publicJwk);
    await device.discardUnused(new Set([kept.id]));
    expect(await handles.get(kept.id)).toBeDefined();
    expect(await handles.get(lost.id)).toBeUndefined();
  });

  it('refuses device keys without handles, an unknown storage, and a key it did not make (INVALID_ARGUMENT)', async () => {
    expect(() => walletKeyFactory({ keyStorage: 'device', createdAt: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => walletKeyFactory({ keyStorage: 'cloud' as never, createdAt: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const other = await walletKeyFactory({ keyStorage: 'exportable', createdAt: 1 }).newHolderKey();
    expect(() => walletKeyFactory({ keyStorage: 'exportable', createdAt: 1 }).recordFor(other.publicJwk)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
