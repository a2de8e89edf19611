import type { Kysely } from 'kysely';
import type { PrivateJwk, PublicJwk } from '../../core/crypto/ports.js';
import type { NodeCryptoSuite, NodeSigningKey } from '../../core/crypto/node-crypto.js';
import { buildDidWebDocument } from '../../core/did/did-web-document.js';
import type { DidDocument } from '../../core/did/did-document.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { toPrivateP256Jwk, toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import type { IssuerDatabase } from '../db/database-schema.js';

/** Seals the private keys at rest under a key from configuration (never stored in the database). */
export interface KeySealer {
  seal(args: { plaintext: string; aad: string }): string;
  open(args: { sealed: string; aad: string }): string;
}

/** Called with a new key before it becomes active (to list it in the federation registry). */
export type BeforeActivate = (key: { kid: string; thumbprint: string; thumbprints: string[] }) => Promise<void>;

/** One of the issuer's keys, public part. */
export interface IssuerKeyInfo {
  kid: string;
  thumbprint: string;
  publicJwk: PublicJwk;
  state: 'active' | 'retired';
  createdAt: number;
  retiredAt?: number;
}

/**
 * The issuer's ES256 signing keys. Exactly one is active (it signs new
 * credentials); rotation makes a new one active and retires the old, which
 * stays in the DID document (and in the federation registry) until
 * `retiredKeyGraceMs` has passed, so the credentials it signed still verify.
 * A key's id is `<did>#<RFC 7638 thumbprint>`, the id Urbis' did:web
 * documents and terminal snapshots give it.
 */
export function createIssuerKeyStore({
  db,
  did,
  crypto,
  sealer,
  now = Date.now,
  retiredKeyGraceMs = 400 * 86_400_000,
}: {
  db: Kysely<IssuerDatabase>;
  did: string;
  crypto: NodeCryptoSuite;
  sealer: KeySealer;
  now?: () => number;
  /** How long a retired key stays published: at least the longest credential validity. Default 400 days. */
  retiredKeyGraceMs?: number;
}) {
  let activeCache: { kid: string; key: NodeSigningKey } | undefined;

  async function createKey({ retireActive, beforeActivate }: { retireActive: boolean; beforeActivate?: BeforeActivate }): Promise<IssuerKeyInfo> {
    const pair = await crypto.generateKeyPair();
    const publicJwk = toPublicP256Jwk(pair.publicJwk);
    const thumbprint = await calculateJwkThumbprint({ publicJwk, hash: crypto.hash });
    const kid = `${did}#${thumbprint}`;
    if (beforeActivate !== undefined) {
      const current = (await store.publishedKeys()).map((k) => k.thumbprint);
      await beforeActivate({ kid, thumbprint, thumbprints: [thumbprint, ...current] });
    }
    const createdAt = now();
    // One transaction: retire the active key (rotation) and insert the new one. The partial unique index
    // (migration 0003) refuses a second active key if another process got there first.
    await db.transaction().execute(async (tx) => {
      if (retireActive) await tx.updateTable('signing_keys').set({ state: 'retired', retired_at: createdAt }).where('state', '=', 'active').execute();
      await tx
        .insertInto('signing_keys')
        .values({ kid, public_jwk: JSON.stringify(publicJwk), private_jwk_sealed: sealer.seal({ plaintext: JSON.stringify(pair.privateJwk), aad: kid }), state: 'active', created_at: createdAt, retired_at: null })
        .execute();
    });
    return { kid, thumbprint, publicJwk, state: 'active', createdAt };
  }

  const store = {
    did,
    /** All keys still published (active first, then retired within the grace period). */
    async publishedKeys(): Promise<IssuerKeyInfo[]> {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
      const horizon = now() - retiredKeyGraceMs;
      return rows
        .filter((r) => r.state === 'active' || (r.retired_at ?? 0) >= horizon)
        .sort((a, b) => (a.state === b.state ? b.created_at - a.created_at : a.state === 'active' ? -1 : 1))
        .map((r) => ({
          kid: r.kid,
          thumbprint: r.kid.slice(r.kid.indexOf('#') + 1),
          publicJwk: JSON.parse(r.public_jwk) as PublicJwk,
          state: r.state,
          createdAt: r.created_at,
          ...(r.retired_at === null ? {} : { retiredAt: r.retired_at }),
        }));
    },
    /** Creates the first key when there is none; returns the active key's info. */
    async ensureActiveKey(): Promise<IssuerKeyInfo> {
      const active = (await store.publishedKeys()).find((k) => k.state === 'active');
      if (active !== undefined) return active;
      try {
        return await createKey({ retireActive: false });
      } catch (error) {
        // Another process created the first key meanwhile (the unique index refused ours): use it.
        const raced = (await store.publishedKeys()).find((k) => k.state === 'active');
        if (raced !== undefined) return raced;
        throw error;
      }
    },
    /** The active signing key (private key opened once and cached). */
    async activeSigningKey(): Promise<NodeSigningKey> {
      const row = await db.selectFrom('signing_keys').selectAll().where('state', '=', 'active').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      if (row === undefined) throw new UrbisError('CONFIG_INVALID', 'the issuer has no active signing key');
      if (activeCache?.kid === row.kid) return activeCache.key;
      const privateJwk = toPrivateP256Jwk(JSON.parse(sealer.open({ sealed: row.private_jwk_sealed, aad: row.kid })) as PrivateJwk);
      const key = crypto.signingKeyFromJwk({ privateJwk, kid: row.kid });
      activeCache = { kid: row.kid, key };
      return key;
    },
    /** The active private JWK (for the JWT VC agent, which keeps its own copy in memory). */
    async activePrivateJwk(): Promise<{ kid: string; privateJwk: PrivateJwk }> {
      const row = await db.selectFrom('signing_keys').selectAll().where('state', '=', 'active').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      if (row === undefined) throw new UrbisError('CONFIG_INVALID', 'the issuer has no active signing key');
      return { kid: row.kid, privateJwk: toPrivateP256Jwk(JSON.parse(sealer.open({ sealed: row.private_jwk_sealed, aad: row.kid }))) };
    },
    /**
     * Makes a new key active and retires the current one. Returns the new key and the published set after
     * rotation. `beforeActivate` runs first with the new key's thumbprint and every thumbprint to publish
     * (the new key's and those still published): the federation registry is told before the key signs
     * anything, and if it fails, nothing changes here.
     */
    async rotate({ beforeActivate }: { beforeActivate?: BeforeActivate } = {}): Promise<{ active: IssuerKeyInfo; published: IssuerKeyInfo[] }> {
      activeCache = undefined;
      const active = await createKey({ retireActive: true, ...(beforeActivate === undefined ? {} : { beforeActivate }) });
      return { active, published: await store.publishedKeys() };
    },
    /** The did:web document listing the published keys. */
    async didDocument(): Promise<DidDocument> {
      const keys = await store.publishedKeys();
      if (keys.length === 0) throw new UrbisError('CONFIG_INVALID', 'the issuer has no signing key');
      return buildDidWebDocument({ did, keys: keys.map((k) => ({ publicJwk: k.publicJwk, id: k.thumbprint })), hash: crypto.hash });
    },
  };
  return store;
}

/** The issuer's key store. */
export type IssuerKeyStore = ReturnType<typeof createIssuerKeyStore>;
