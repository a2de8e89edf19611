import { randomBytes } from 'node:crypto';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { open, seal } from '../security/sealed-box.js';
import { createIssuerKeyStore, type KeySealer } from './issuer-key-store.js';

const DID = 'did:web:gijon.city.example';
const T0 = 1_790_000_000_000;
const DAY = 86_400_000;
const crypto = createNodeCrypto();

function sealerFor(key: Uint8Array): KeySealer {
  return { seal: ({ plaintext, aad }) => seal({ key, plaintext, aad }), open: ({ sealed, aad }) => open({ key, sealed, aad }) };
}

describeEachEngine('issuer key store', (database) => {
  let clock = T0;
  beforeEach(() => {
    clock = T0;
  });
  const setup = ({ sealingKey = new Uint8Array(randomBytes(32)), retiredKeyGraceMs }: { sealingKey?: Uint8Array; retiredKeyGraceMs?: number } = {}) => {
    const { db } = database();
    const keys = createIssuerKeyStore({ db, did: DID, crypto, sealer: sealerFor(sealingKey), now: () => clock, ...(retiredKeyGraceMs === undefined ? {} : { retiredKeyGraceMs }) });
    return { db, keys, sealingKey };
  };

  test('two processes starting at once end with one active key (migration 0003\'s unique index), both using it', async () => {
    const { db, sealingKey } = setup();
    const a = createIssuerKeyStore({ db, did: DID, crypto, sealer: sealerFor(sealingKey), now: () => clock });
    const b = createIssuerKeyStore({ db, did: DID, crypto, sealer: sealerFor(sealingKey), now: () => clock });
    const [ka, kb] = await Promise.all([a.ensureActiveKey(), b.ensureActiveKey()]);
    expect(ka.kid).toBe(kb.kid);
    const rows = await db.selectFrom('signing_keys').selectAll().where('state', '=', 'active').execute();
    expect(rows).toHaveLength(1);
    const rejection = await db
      .insertInto('signing_keys')
      .values({ kid: 'x', public_jwk: '{}', private_jwk_sealed: 'x', state: 'active', created_at: clock, retired_at: null })
      .execute()
      .then(() => 'inserted', (e: unknown) => String((e as { message?: unknown }).message));
    expect(rejection).toMatch(/unique|duplicate/i);
  });

  test('ensureActiveKey creates one key, named <did>#<RFC 7638 thumbprint>, and is idempotent', async () => {
    const { db, keys } = setup();
    expect(keys.did).toBe(DID);
    const first = await keys.ensureActiveKey();
    expect(first.state).toBe('active');
    expect(first.createdAt).toBe(T0);
    expect(first).not.toHaveProperty('retiredAt');
    expect(first.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) });
    expect(first.thumbprint).toBe(await calculateJwkThumbprint({ publicJwk: first.publicJwk, hash: crypto.hash }));
    expect(first.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.kid).toBe(`${DID}#${first.thumbprint}`);
    clock = T0 + 1_000;
    expect(await keys.ensureActiveKey()).toEqual(first);
    expect(await keys.ensureActiveKey()).toEqual(first);
    expect(await db.selectFrom('signing_keys').selectAll().execute()).toHaveLength(1);
    expect(await keys.publishedKeys()).toEqual([first]);
  });

  test('the private key is sealed at rest: the row holds neither the JWK nor its d', async () => {
    const { db, keys, sealingKey } = setup();
    const { kid } = await keys.ensureActiveKey();
    const { privateJwk } = await keys.activePrivateJwk();
    const row = await db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
    expect(row.private_jwk_sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(row.private_jwk_sealed).not.toContain(privateJwk.d);
    expect(row.private_jwk_sealed).not.toContain('"d"');
    expect(JSON.stringify(row)).not.toContain(privateJwk.d);
    expect(JSON.parse(row.public_jwk)).not.toHaveProperty('d');
    // It opens under the sealing key, bound to its kid.
    expect(JSON.parse(open({ key: sealingKey, sealed: row.private_jwk_sealed, aad: kid })).d).toBe(privateJwk.d);
    expect(() => open({ key: sealingKey, sealed: row.private_jwk_sealed, aad: `${DID}#other` })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  test('the active key signs; its private JWK matches the published public key', async () => {
    const { keys } = setup();
    const info = await keys.ensureActiveKey();
    const signingKey = await keys.activeSigningKey();
    expect(signingKey.kid).toBe(info.kid);
    expect(signingKey.alg).toBe('ES256');
    expect(signingKey.publicJwk).toEqual(info.publicJwk);
    const signature = signingKey.sign('header.payload');
    expect(crypto.verifySignature({ alg: 'ES256', publicJwk: info.publicJwk, signingInput: 'header.payload', signature })).toBe(true);
    expect(await keys.activeSigningKey()).toBe(signingKey); // opened once, cached
    const { kid, privateJwk } = await keys.activePrivateJwk();
    expect(kid).toBe(info.kid);
    expect(privateJwk).toMatchObject({ ...info.publicJwk, d: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  test('a wrong sealing key cannot open the private key', async () => {
    const { db, keys } = setup();
    await keys.ensureActiveKey();
    const other = createIssuerKeyStore({ db, did: DID, crypto, sealer: sealerFor(new Uint8Array(randomBytes(32))), now: () => clock });
    await expect(other.activeSigningKey()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'sealed value cannot be opened' });
    await expect(other.activePrivateJwk()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // The public side needs no sealing key.
    expect(await other.publishedKeys()).toHaveLength(1);
  });

  test('a sealed key moved to another row (another kid) does not open', async () => {
    const { db, keys } = setup();
    const first = await keys.ensureActiveKey();
    const { active: second } = await keys.rotate();
    const firstRow = await db.selectFrom('signing_keys').select('private_jwk_sealed').where('kid', '=', first.kid).executeTakeFirstOrThrow();
    await db.updateTable('signing_keys').set({ private_jwk_sealed: firstRow.private_jwk_sealed }).where('kid', '=', second.kid).execute();
    await expect(keys.activeSigningKey()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('with no key: activeSigningKey, activePrivateJwk and didDocument are CONFIG_INVALID', async () => {
    const { keys } = setup();
    expect(await keys.publishedKeys()).toEqual([]);
    await expect(keys.activeSigningKey()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(keys.activePrivateJwk()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(keys.didDocument()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  test('rotate retires the active key and makes a new one active; signing moves to it', async () => {
    const { db, keys } = setup();
    const old = await keys.ensureActiveKey();
    const oldSigner = await keys.activeSigningKey();
    clock = T0 + 10 * DAY;
    const { active, published } = await keys.rotate();
    expect(active.kid).not.toBe(old.kid);
    expect(active).toMatchObject({ state: 'active', createdAt: T0 + 10 * DAY });
    expect(published).toEqual([active, { ...old, state: 'retired', retiredAt: T0 + 10 * DAY }]);
    expect(await keys.ensureActiveKey()).toEqual(active);
    const signer = await keys.activeSigningKey();
    expect(signer).not.toBe(oldSigner);
    expect(signer.kid).toBe(active.kid);
    expect((await keys.activePrivateJwk()).kid).toBe(active.kid);
    const states = await db.selectFrom('signing_keys').select(['kid', 'state', 'retired_at']).orderBy('created_at').execute();
    expect(states).toEqual([
      { kid: old.kid, state: 'retired', retired_at: T0 + 10 * DAY },
      { kid: active.kid, state: 'active', retired_at: null },
    ]);
  });

  test('rotate with no key yet just creates the first', async () => {
    const { keys } = setup();
    const { active, published } = await keys.rotate();
    expect(published).toEqual([active]);
  });

  test('published keys: active first, then retired newest first; retired keys drop out after the grace period', async () => {
    const grace = 30 * DAY;
    const { keys } = setup({ retiredKeyGraceMs: grace });
    const k1 = await keys.ensureActiveKey();
    clock = T0 + DAY;
    const { active: k2 } = await keys.rotate(); // k1 retired at T0 + 1 day
    clock = T0 + 2 * DAY;
    const { active: k3 } = await keys.rotate(); // k2 retired at T0 + 2 days
    expect((await keys.publishedKeys()).map((k) => k.kid)).toEqual([k3.kid, k2.kid, k1.kid]);
    clock = T0 + DAY + grace; // k1's grace ends now: still published on the last day
    expect((await keys.publishedKeys()).map((k) => k.kid)).toEqual([k3.kid, k2.kid, k1.kid]);
    clock = T0 + DAY + grace + 1;
    expect((await keys.publishedKeys()).map((k) => k.kid)).toEqual([k3.kid, k2.kid]);
    clock = T0 + 2 * DAY + grace + 1;
    expect((await keys.publishedKeys()).map((k) => k.kid)).toEqual([k3.kid]);
    // The active key is published however old it is.
    clock = T0 + 10_000 * DAY;
    expect((await keys.publishedKeys()).map((k) => k.kid)).toEqual([k3.kid]);
    expect((await keys.didDocument()).verificationMethod.map((m) => m.id)).toEqual([k3.kid]);
  });

  test('the default grace period is 400 days', async () => {
    const { keys } = setup();
    const k1 = await keys.ensureActiveKey();
    await keys.rotate();
    clock = T0 + 400 * DAY;
    expect((await keys.publishedKeys()).map((k) => k.kid)).toContain(k1.kid);
    clock = T0 + 400 * DAY + 1;
    expect((await keys.publishedKeys()).map((k) => k.kid)).not.toContain(k1.kid);
  });

  test('the DID document lists every published key under its kid, public parts only', async () => {
    const { keys } = setup();
    const k1 = await keys.ensureActiveKey();
    clock = T0 + DAY;
    const { active: k2 } = await keys.rotate();
    const document = await keys.didDocument();
    expect(document.id).toBe(DID);
    expect(document.verificationMethod).toEqual([
      { id: k2.kid, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: k2.publicJwk },
      { id: k1.kid, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: k1.publicJwk },
    ]);
    expect(document.assertionMethod).toEqual([k2.kid, k1.kid]);
    expect(document.authentication).toEqual([k2.kid, k1.kid]);
    expect(JSON.stringify(document)).not.toMatch(/"d"/);
  });
});
