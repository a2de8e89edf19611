import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { LOCAL_SNAPSHOT_KID_PREFIX, openLocalSnapshotKey } from './local-snapshot-key.js';

describe('the terminal snapshot key', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'urbis-terminal-key-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is created once (mode 0600, kid from its thumbprint) and reopened unchanged', async () => {
    const path = join(dir, 'nested', 'key.json');
    const first = await openLocalSnapshotKey({ path });
    const again = await openLocalSnapshotKey({ path, create: false });
    expect(again.publicJwk).toEqual(first.publicJwk);
    expect(first.kid).toBe(`${LOCAL_SNAPSHOT_KID_PREFIX}${await calculateJwkThumbprint({ publicJwk: first.publicJwk, hash: createNodeCrypto().hash })}`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(first.alg).toBe('ES256');
  });

  it('refuses a missing file without create (SNAPSHOT_MISSING) and a file that is not a private P-256 JWK (KEY_INVALID)', async () => {
    await expect(openLocalSnapshotKey({ path: join(dir, 'absent.json'), create: false })).rejects.toMatchObject({ code: 'SNAPSHOT_MISSING' });
    const bad = join(dir, 'bad.json');
    for (const text of ['not json', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }), JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', d: 'AAAA' })]) {
      await writeFile(bad, text);
      await expect(openLocalSnapshotKey({ path: bad })).rejects.toMatchObject({ code: 'KEY_INVALID' });
    }
    await expect(openLocalSnapshotKey({ path: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
