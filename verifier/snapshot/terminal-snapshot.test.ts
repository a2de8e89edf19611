import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { SigningKey } from '../../core/crypto/ports.js';
import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { kitSnapshotContent } from './testing/kit-snapshot-content.js';
import { createCredentialKit } from '../../core/test-kit/credential-kit.js';
import { createMemoryReplayCache } from '../../core/trust/replay-cache.js';
import { createPresentationVerifier } from '../../core/verification/create-presentation-verifier.js';
import type { PresentationVerificationResult } from '../../core/verification/verification-result.js';
import type { SnapshotContent } from '../../registry/snapshot/snapshot-content.js';
import { encodeSnapshot } from '../../registry/snapshot/snapshot-codec.js';
import { openLocalSnapshotKey } from './local-snapshot-key.js';
import { openTerminalSnapshot, type TerminalSnapshot } from './terminal-snapshot.js';
import { blockGlobalFetch, createOfflineNetwork } from './testing/offline-network.js';

const crypto = createNodeCrypto();
const NOW = 1_790_000_000;
const clock = () => NOW;
const kit = createCredentialKit({ now: NOW });
const REVOKED_INDEX = 900;
const VALID_INDEX = 901;

const federation = crypto.generateKeyPair();
const federationKey = crypto.signingKeyFromJwk({ privateJwk: federation.privateJwk, kid: 'federation-snapshots' });
const trustedSigners = new Map([['federation-snapshots', federation.publicJwk]]);
const stranger = crypto.signingKeyFromJwk({ privateJwk: crypto.generateKeyPair().privateJwk, kid: 'federation-snapshots' });

/** A snapshot holding the kit's issuer and its status list (REVOKED_INDEX revoked), at `block`. */
const content = (block: number, syncedAt = NOW - 60): Promise<SnapshotContent> => kitSnapshotContent({ kit, block, syncedAt, statuses: { [REVOKED_INDEX]: 1 } });

const signed = async (block: number, signingKey: SigningKey = federationKey, syncedAt?: number) => encodeSnapshot({ content: await content(block, syncedAt), signingKey, iat: NOW });

/** Flips one byte inside the signed body (the list payloads): the digest no longer matches. */
function tampered(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  const at = copy.length - 300;
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

async function place(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

const statusAt = (snapshot: TerminalSnapshot, index: number) => snapshot.ports.status.statusOf({ format: 'token-status-list', uri: kit.statusListUri, index });
const codes = (result: PresentationVerificationResult): UrbisErrorCode[] => (result.ok ? [] : result.failures.map((f) => f.code));

describe('terminal snapshot: load, replace, keep, restart (no chain)', () => {
  let dir: string;
  let n = 0;
  const fresh = () => join(dir, `t${++n}`, 'terminal.snapshot');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'urbis-terminal-snapshot-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a good file at start: current view, live ports, health', async () => {
    const path = fresh();
    await place(path, await signed(40));
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, clock });
    expect(snapshot.current()?.syncPoint.blockNumber).toBe(40);
    expect(statusAt(snapshot, REVOKED_INDEX)).toBe(1);
    expect(statusAt(snapshot, VALID_INDEX)).toBe(0);
    expect(snapshot.ports.status.syncedAt).toBe(NOW - 60);
    expect(snapshot.ports.trust(kit.issuer.id)?.keys[0]?.kid).toBe(kit.issuer.kid);
    expect(snapshot.health()).toEqual({
      loaded: true,
      ageSeconds: 60,
      syncedAt: NOW - 60,
      block: 40,
      chainId: 7777,
      signedBy: 'federation',
      issuers: 1,
      lists: 1,
      entries: 131_072,
      lastSync: null,
      lastLoad: { at: NOW, ok: true, from: 'startup' },
    });
    expect(snapshot.health(NOW + 40).ageSeconds).toBe(100);
  });

  it('no file yet: starts without a snapshot (SNAPSHOT_MISSING); the ports fail closed; sync has nothing to sync from; a load makes it usable and is saved', async () => {
    const path = fresh();
    const offline = createOfflineNetwork();
    const localSigner = await openLocalSnapshotKey({ path: join(dir, `key-${n}.json`) });
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, localSigner, network: offline, clock });
    expect(snapshot.current()).toBeUndefined();
    expect(snapshot.health()).toMatchObject({ loaded: false, ageSeconds: null, block: null, signedBy: null, issuers: 0, lists: 0, entries: 0, loadProblem: 'SNAPSHOT_MISSING' });
    expect(() => statusAt(snapshot, VALID_INDEX)).toThrow(expect.objectContaining({ code: 'STATUS_UNKNOWN' }));
    expect(snapshot.ports.trust(kit.issuer.id)).toBeUndefined();
    expect(snapshot.ports.status.syncedAt).toBe(0);
    expect(await snapshot.sync()).toMatchObject({ ok: false, code: 'SNAPSHOT_MISSING' });
    expect(snapshot.health().lastSync).toEqual({ at: NOW, ok: false, code: 'SNAPSHOT_MISSING' });
    expect(offline.attempts).toEqual([]);

    const bytes = await signed(41);
    await snapshot.load({ bytes });
    expect(snapshot.health()).toMatchObject({ loaded: true, block: 41, lastLoad: { ok: true, from: 'bytes' } });
    expect(snapshot.health().loadProblem).toBeUndefined();
    expect(new Uint8Array(await readFile(path))).toEqual(bytes);
  });

  it.each([
    ['malformed (truncated)', async () => (await signed(40)).subarray(0, 500), 'SNAPSHOT_MALFORMED'],
    ['not a snapshot at all', async () => new TextEncoder().encode('{"hello":"world"}'), 'SNAPSHOT_MALFORMED'],
    ['altered after signing', async () => tampered(await signed(40)), 'SNAPSHOT_SIGNATURE_INVALID'],
    ['signed by a key the terminal does not accept', async () => signed(40, crypto.signingKeyFromJwk({ privateJwk: crypto.generateKeyPair().privateJwk, kid: 'someone-else' })), 'SNAPSHOT_SIGNER_UNKNOWN'],
    ['signed under the federation kid by another key', async () => signed(40, stranger), 'SNAPSHOT_SIGNATURE_INVALID'],
  ] as const)('a file %s at start: no snapshot, and the code says why', async (_name, make, code) => {
    const path = fresh();
    await place(path, await make());
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, clock });
    expect(snapshot.current()).toBeUndefined();
    expect(snapshot.health()).toMatchObject({ loaded: false, loadProblem: code, lastLoad: { ok: false, code, from: 'startup' } });
  });

  it('load: malformed bytes and a bad signature are refused with their code; the previous snapshot is kept, in memory and on disk', async () => {
    const path = fresh();
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, clock });
    const good = await signed(50);
    const held = await snapshot.load({ bytes: good });
    const newer = await signed(60);

    await expect(snapshot.load({ bytes: newer.subarray(0, newer.length - 10) })).rejects.toMatchObject({ code: 'SNAPSHOT_MALFORMED' });
    expect(snapshot.current()).toBe(held);
    expect(snapshot.health()).toMatchObject({ loaded: true, block: 50, loadProblem: 'SNAPSHOT_MALFORMED', lastLoad: { ok: false, code: 'SNAPSHOT_MALFORMED', from: 'bytes' } });

    await expect(snapshot.load({ bytes: tampered(newer) })).rejects.toMatchObject({ code: 'SNAPSHOT_SIGNATURE_INVALID' });
    await expect(snapshot.load({ bytes: await signed(60, stranger) })).rejects.toMatchObject({ code: 'SNAPSHOT_SIGNATURE_INVALID' });
    expect(snapshot.current()).toBe(held);
    expect(statusAt(snapshot, REVOKED_INDEX)).toBe(1);
    expect(snapshot.health().loadProblem).toBe('SNAPSHOT_SIGNATURE_INVALID');
    expect(new Uint8Array(await readFile(path))).toEqual(good);

    // A good one afterwards clears the problem.
    await snapshot.load({ bytes: newer });
    expect(snapshot.health()).toMatchObject({ block: 60, lastLoad: { ok: true } });
    expect(snapshot.health().loadProblem).toBeUndefined();
  });

  it('load: an older snapshot of the same registries is a rollback (SNAPSHOT_STALE) unless allowOlder; the terminal key is never accepted by load', async () => {
    const path = fresh();
    const localSigner = crypto.signingKeyFromJwk({ privateJwk: crypto.generateKeyPair().privateJwk, kid: 'terminal-own' });
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, localSigner, clock });
    const held = await snapshot.load({ bytes: await signed(70) });
    await expect(snapshot.load({ bytes: await signed(69) })).rejects.toMatchObject({ code: 'SNAPSHOT_STALE' });
    expect(snapshot.current()).toBe(held);
    await snapshot.load({ bytes: await signed(70, federationKey, NOW - 10) }); // same block, later sync time: fine
    expect(snapshot.health().syncedAt).toBe(NOW - 10);
    await snapshot.load({ bytes: await signed(69), allowOlder: true });
    expect(snapshot.health().block).toBe(69);

    await expect(snapshot.load({ bytes: await signed(80, localSigner) })).rejects.toMatchObject({ code: 'SNAPSHOT_SIGNER_UNKNOWN' });
    expect(snapshot.health().block).toBe(69);
  });

  it('replaceFrom a file (USB); a missing file is SNAPSHOT_MISSING; a restart resumes from the saved file', async () => {
    const path = fresh();
    const usb = join(dir, 'usb.snapshot');
    await writeFile(usb, await signed(90));
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, clock });
    await expect(snapshot.replaceFrom({ path: join(dir, 'nothing-here.snapshot') })).rejects.toMatchObject({ code: 'SNAPSHOT_MISSING' });
    expect(snapshot.health()).toMatchObject({ loaded: false, loadProblem: 'SNAPSHOT_MISSING', lastLoad: { from: 'file' } });
    await snapshot.replaceFrom({ path: usb });
    expect(snapshot.health()).toMatchObject({ loaded: true, block: 90, lastLoad: { ok: true, from: 'file' } });

    const restarted = await openTerminalSnapshot({ path, trustedSigners, clock: () => NOW + 5 });
    expect(restarted.health()).toMatchObject({ loaded: true, block: 90, ageSeconds: 65, signedBy: 'federation', lastLoad: { ok: true, from: 'startup' } });
    expect(statusAt(restarted, REVOKED_INDEX)).toBe(1);
  });

  it('refuses a file above the size limit before reading it (SNAPSHOT_TOO_LARGE)', async () => {
    const path = fresh();
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, clock, limits: { maxSnapshotBytes: 1_000 } });
    const usb = join(dir, 'big.snapshot');
    await writeFile(usb, await signed(95));
    await expect(snapshot.replaceFrom({ path: usb })).rejects.toMatchObject({ code: 'SNAPSHOT_TOO_LARGE' });
    await expect(snapshot.load({ bytes: await signed(95) })).rejects.toMatchObject({ code: 'SNAPSHOT_TOO_LARGE' });
  });

  it('a save that fails keeps the new snapshot in memory and reports persistProblem', async () => {
    const blocker = join(dir, 'a-file-not-a-directory');
    await writeFile(blocker, 'x');
    const path = join(blocker, 'terminal.snapshot');
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, clock });
    expect(snapshot.health()).toMatchObject({ loaded: false, loadProblem: 'SNAPSHOT_STORAGE_FAILED' });
    await snapshot.load({ bytes: await signed(100) });
    expect(snapshot.health()).toMatchObject({ loaded: true, block: 100, persistProblem: 'SNAPSHOT_STORAGE_FAILED' });
    expect(statusAt(snapshot, REVOKED_INDEX)).toBe(1);
  });

  it('the own file: accepted when signed by the terminal key (only with that key configured); a kid clash with a federation signer is refused', async () => {
    const path = fresh();
    const keyPath = join(dir, `own-key-${n}.json`);
    const localSigner = await openLocalSnapshotKey({ path: keyPath });
    await place(path, await signed(110, localSigner));

    const withKey = await openTerminalSnapshot({ path, trustedSigners, localSigner: await openLocalSnapshotKey({ path: keyPath }), clock });
    expect(withKey.health()).toMatchObject({ loaded: true, block: 110, signedBy: 'terminal' });
    const withKeyList = await openTerminalSnapshot({ path, trustedSigners: [federation.publicJwk], localSigner, clock });
    expect(withKeyList.health()).toMatchObject({ loaded: true, signedBy: 'terminal' });
    const withoutKey = await openTerminalSnapshot({ path, trustedSigners, clock });
    expect(withoutKey.health()).toMatchObject({ loaded: false, loadProblem: 'SNAPSHOT_SIGNER_UNKNOWN' });
    const otherTerminal = await openTerminalSnapshot({ path, trustedSigners, localSigner: await openLocalSnapshotKey({ path: join(dir, `other-key-${n}.json`) }), clock });
    expect(otherTerminal.health()).toMatchObject({ loaded: false, loadProblem: 'SNAPSHOT_SIGNER_UNKNOWN' });

    const clashing = crypto.signingKeyFromJwk({ privateJwk: crypto.generateKeyPair().privateJwk, kid: 'federation-snapshots' });
    await expect(openTerminalSnapshot({ path, trustedSigners, localSigner: clashing, clock })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('changes run one at a time, in call order: concurrent loads end with the last good one', async () => {
    const path = fresh();
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, clock });
    const last = await signed(142);
    const outcomes = await Promise.allSettled([snapshot.load({ bytes: await signed(140) }), snapshot.load({ bytes: tampered(await signed(141)) }), snapshot.load({ bytes: last }), snapshot.load({ bytes: await signed(139) })]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(snapshot.health()).toMatchObject({ block: 142, loadProblem: 'SNAPSHOT_STALE' });
    expect(new Uint8Array(await readFile(path))).toEqual(last);
  });

  it('sync needs a network adapter and the terminal key (INVALID_ARGUMENT, nothing recorded)', async () => {
    const path = fresh();
    const snapshot = await openTerminalSnapshot({ path, trustedSigners, clock });
    await snapshot.load({ bytes: await signed(120) });
    await expect(snapshot.sync()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(snapshot.sync({ network: createOfflineNetwork() })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(snapshot.health().lastSync).toBeNull();
  });
});

describe('terminal snapshot offline: the network adapter throws on any call', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'urbis-terminal-offline-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('start, load, verification and health make no network call; a sync fails with CHAIN_UNREACHABLE and keeps the snapshot', async () => {
    const offline = createOfflineNetwork({ chainId: 7777 });
    const blocked = blockGlobalFetch();
    try {
      const path = join(dir, 'terminal.snapshot');
      const localSigner = await openLocalSnapshotKey({ path: join(dir, 'key.json') });
      const snapshot = await openTerminalSnapshot({ path, trustedSigners, localSigner, network: offline, clock });
      const verify = createPresentationVerifier({ crypto, trust: snapshot.ports.trust, status: snapshot.ports.status, replayCache: createMemoryReplayCache() });
      const holder = kit.newHolder();
      const present = async (statusIndex: number) =>
        kit.present({ credential: await kit.issue({ format: 'dc+sd-jwt', holder, statusIndex }), holder, claims: [['age_over_18']] });
      const keyBinding = { nonce: 'nonce-3f9a1c', audience: kit.audience };

      // No snapshot yet: fail closed, with the status, trust and age checks all refusing.
      const without = await verify({ presentation: await present(VALID_INDEX), keyBinding, now: NOW });
      expect(without.ok).toBe(false);
      expect(codes(without)).toEqual(expect.arrayContaining(['ISSUER_UNTRUSTED', 'STATUS_UNKNOWN', 'SNAPSHOT_STALE']));

      await snapshot.load({ bytes: await signed(130) });
      const accepted = await verify({ presentation: await present(VALID_INDEX), keyBinding, now: NOW });
      expect(accepted).toMatchObject({ ok: true, statusRef: { index: VALID_INDEX } });
      const revoked = await verify({ presentation: await present(REVOKED_INDEX), keyBinding, now: NOW });
      expect(codes(revoked)).toEqual(['STATUS_REVOKED']);
      const stale = await verify({ presentation: await present(VALID_INDEX), keyBinding, now: NOW + 86_400 });
      expect(codes(stale)).toContain('SNAPSHOT_STALE');
      snapshot.health();
      expect(offline.attempts).toEqual([]);
      expect(blocked.attempts).toEqual([]);

      const before = snapshot.current();
      const fileBefore = await readFile(path);
      const failed = await snapshot.sync();
      expect(failed).toMatchObject({ ok: false, code: 'CHAIN_UNREACHABLE' });
      expect(offline.attempts.length).toBeGreaterThan(0);
      expect(offline.attempts.every((a) => a.via === 'json-rpc')).toBe(true);
      expect(snapshot.current()).toBe(before);
      expect(snapshot.health()).toMatchObject({ loaded: true, block: 130, syncedAt: NOW - 60, lastSync: { at: NOW, ok: false, code: 'CHAIN_UNREACHABLE' } });
      expect(await readFile(path)).toEqual(fileBefore);
      expect(await offline.fetch('https://city-a.example/.well-known/did.json').catch((e: unknown) => e)).toMatchObject({ code: 'CHAIN_UNREACHABLE' });
    } finally {
      blocked.restore();
      offline.provider.destroy();
    }
  });
});
