import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { base64urlEncodeString, utf8Encode } from '../../core/encoding/base64url.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { StatusList } from '../../core/status/status-list.js';
import { createSnapshotView, verifyAndLoadSnapshot } from './load-snapshot.js';
import type { SnapshotContent } from './snapshot-content.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';
import { appendSignature, encodeSnapshotBody } from './snapshot-format.js';
import { signSnapshotBody } from './snapshot-signature.js';
import { createNodeCompression } from '../../core/status/node-compression.js';

const crypto = createNodeCrypto();
const compression = createNodeCompression();
const NOW = 1_790_000_000;
const CODES = ['SNAPSHOT_MALFORMED', 'SNAPSHOT_SIGNATURE_INVALID', 'SNAPSHOT_SIGNER_UNKNOWN', 'SNAPSHOT_TOO_LARGE'];

const signer = crypto.generateKeyPair();
const signingKey = crypto.signingKeyFromJwk({ privateJwk: signer.privateJwk });
const issuerKey = crypto.generateKeyPair();

async function sampleContent(): Promise<SnapshotContent> {
  const a = StatusList.create({ size: 131_072 });
  a.set(0, 1);
  a.set(77, 2);
  a.set(131_071, 1);
  const b = StatusList.create({ size: 200_000 });
  b.set(199_999, 2);
  const thumbprint = await calculateJwkThumbprint({ publicJwk: issuerKey.publicJwk, hash: crypto.hash });
  return {
    chainId: 7777,
    statusRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    trustedIssuerRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    sync: { blockNumber: 40, blockHash: `0x${'ab'.repeat(32)}`, blockTime: NOW - 100, syncedAt: NOW - 60 },
    issuers: [
      {
        did: 'did:web:city-a.example',
        keyThumbprints: [thumbprint, 'A'.repeat(43)],
        keys: [{ kid: 'did:web:city-a.example#key-1', thumbprint, publicJwk: issuerKey.publicJwk }],
        credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'],
        validFrom: NOW - 86_400,
        validUntil: NOW + 86_400 * 365,
        suspended: false,
      },
    ],
    lists: [
      { listId: 0, uri: 'https://city-a.example/status/0', sequence: 3, list: a },
      { listId: 5, uri: 'https://city-a.example/status/5', sequence: 1, list: b },
    ],
    journal: [{ blockNumber: 35, blockHash: `0x${'cd'.repeat(32)}`, undo: [{ listId: 0, sequence: 2, reread: false, entries: [77, 0] }] }],
  };
}

/** A body with a hand-written header and payloads, validly signed: for refusals after the signature. */
async function signedCraft(header: unknown, payloads: Uint8Array[] = []): Promise<Uint8Array> {
  const json = utf8Encode(typeof header === 'string' ? header : JSON.stringify(header));
  const payloadLength = payloads.reduce((n, p) => n + p.length, 0);
  const body = new Uint8Array(16 + json.length + payloadLength);
  const view = new DataView(body.buffer);
  body.set([0x55, 0x52, 0x42, 0x53], 0);
  view.setUint16(4, 1);
  view.setUint32(8, json.length);
  view.setUint32(12, payloadLength);
  body.set(json, 16);
  let offset = 16 + json.length;
  for (const p of payloads) {
    body.set(p, offset);
    offset += p.length;
  }
  return appendSignature(body, await signSnapshotBody({ body, signingKey, hash: crypto.hash, iat: NOW }));
}

async function expectCode(bytes: Uint8Array, code: string, trustedSigners = [signer.publicJwk]): Promise<void> {
  await expect(verifyAndLoadSnapshot({ bytes, trustedSigners, now: NOW })).rejects.toMatchObject({ code });
}

describe('snapshot format: encode, sign, verify and load', () => {
  it('round-trips every field, and the loaded snapshot answers through the core ports', async () => {
    const content = await sampleContent();
    const bytes = await encodeSnapshot({ content, signingKey, iat: NOW });
    expect([...bytes.subarray(0, 6)]).toEqual([0x55, 0x52, 0x42, 0x53, 0, 1]);
    const loaded = await verifyAndLoadSnapshot({ bytes, trustedSigners: [signer.publicJwk], now: NOW });
    expect(loaded.content.lists.map((l) => l.list.toBytes())).toEqual(content.lists.map((l) => l.list.toBytes()));
    expect({ ...loaded.content, lists: loaded.content.lists.map(({ list: _, ...rest }) => rest) }).toEqual({
      ...content,
      lists: content.lists.map(({ list: _, ...rest }) => rest),
    });
    expect(loaded.syncPoint).toEqual(content.sync);
    expect(loaded.ageSeconds).toBe(60);
    expect(loaded.ageAt(NOW + 40)).toBe(100);
    expect(loaded.signer.kid).toBe(await calculateJwkThumbprint({ publicJwk: signer.publicJwk, hash: crypto.hash }));

    const { status, trustedIssuers } = loaded;
    expect(status.syncedAt).toBe(NOW - 60);
    expect(status.statusOf({ format: 'token-status-list', uri: 'https://city-a.example/status/0', index: 77 })).toBe(2);
    expect(status.statusOf({ format: 'bitstring-status-list', uri: 'https://city-a.example/status/0', index: 131_071 })).toBe(1);
    expect(status.statusOf({ format: 'token-status-list', uri: 'https://city-a.example/status/5', index: 199_999 })).toBe(2);
    expect(() => status.statusOf({ format: 'token-status-list', uri: 'https://elsewhere.example/1', index: 1 })).toThrow(expect.objectContaining({ code: 'STATUS_UNKNOWN' }));
    expect(() => status.statusOf({ format: 'token-status-list', uri: 'https://city-a.example/status/5', index: 200_000 })).toThrow(
      expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }),
    );
    expect(trustedIssuers('did:web:city-a.example')).toEqual({
      id: 'did:web:city-a.example',
      keys: [{ kid: 'did:web:city-a.example#key-1', publicJwk: issuerKey.publicJwk }],
      credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'],
      validFrom: NOW - 86_400,
      validUntil: NOW + 86_400 * 365,
      suspended: false,
    });
    expect(trustedIssuers('did:web:unknown.example')).toBeUndefined();
  });

  it('10 lists of 1,000,000 entries with 1% marked stay far below 10 MB', async () => {
    const content = await sampleContent();
    content.lists = Array.from({ length: 10 }, (_, i) => {
      const list = StatusList.create({ size: 1_000_000 });
      for (let k = 0; k < 10_000; k++) list.set((k * 104_729 + i * 7) % 1_000_000, 1 + (k % 2));
      return { listId: i, uri: `https://city-a.example/status/${i}`, sequence: 0, list };
    });
    content.journal = [];
    const bytes = await encodeSnapshot({ content, signingKey, iat: NOW });
    expect(bytes.length).toBeLessThan(10_000_000);
    const loaded = await verifyAndLoadSnapshot({ bytes, trustedSigners: [signer.publicJwk], now: NOW });
    expect(loaded.content.lists[9]!.list.toBytes()).toEqual(content.lists[9]!.list.toBytes());
  });

  it('signers: by thumbprint, by the JWK kid, or a kid → key map; anything else → SNAPSHOT_SIGNER_UNKNOWN', async () => {
    const named = crypto.signingKeyFromJwk({ privateJwk: signer.privateJwk, kid: 'federation-snapshots-2026' });
    const bytes = await encodeSnapshot({ content: await sampleContent(), signingKey: named, iat: NOW });
    await expect(verifyAndLoadSnapshot({ bytes, trustedSigners: [{ ...signer.publicJwk, kid: 'federation-snapshots-2026' }] })).resolves.toMatchObject({
      signer: { kid: 'federation-snapshots-2026' },
    });
    await expect(verifyAndLoadSnapshot({ bytes, trustedSigners: new Map([['federation-snapshots-2026', signer.publicJwk]]) })).resolves.toBeDefined();
    await expectCode(bytes, 'SNAPSHOT_SIGNER_UNKNOWN'); // the key is known, but under its thumbprint, not this kid
    await expectCode(bytes, 'SNAPSHOT_SIGNER_UNKNOWN', []);
    const stranger = crypto.generateKeyPair();
    await expectCode(await encodeSnapshot({ content: await sampleContent(), signingKey: crypto.signingKeyFromJwk({ privateJwk: stranger.privateJwk }), iat: NOW }), 'SNAPSHOT_SIGNER_UNKNOWN');
  });

  it("a stranger's signature under a trusted kid → SNAPSHOT_SIGNATURE_INVALID", async () => {
    const stranger = crypto.generateKeyPair();
    const kid = await calculateJwkThumbprint({ publicJwk: signer.publicJwk, hash: crypto.hash });
    const forged = await encodeSnapshot({ content: await sampleContent(), signingKey: crypto.signingKeyFromJwk({ privateJwk: stranger.privateJwk, kid }), iat: NOW });
    await expectCode(forged, 'SNAPSHOT_SIGNATURE_INVALID');
  });

  it('a changed body, or a genuine trailer moved onto another body → SNAPSHOT_SIGNATURE_INVALID', async () => {
    const content = await sampleContent();
    const bytes = await encodeSnapshot({ content, signingKey, iat: NOW });
    const flipped = bytes.slice();
    flipped[40] = flipped[40]! ^ 0x01;
    await expectCode(flipped, 'SNAPSHOT_SIGNATURE_INVALID');

    const other = await encodeSnapshot({ content: { ...content, sync: { ...content.sync, syncedAt: NOW } }, signingKey, iat: NOW });
    const body = encodeSnapshotBody({ content, compression });
    const otherTrailer = other.subarray(encodeSnapshotBody({ content: { ...content, sync: { ...content.sync, syncedAt: NOW } }, compression }).length);
    const spliced = new Uint8Array(body.length + otherTrailer.length);
    spliced.set(body, 0);
    spliced.set(otherTrailer, body.length);
    await expectCode(spliced, 'SNAPSHOT_SIGNATURE_INVALID');
  });

  it('alg none or HS256 in the trailer → SNAPSHOT_SIGNATURE_INVALID', async () => {
    const body = encodeSnapshotBody({ content: await sampleContent(), compression });
    for (const alg of ['none', 'HS256']) {
      const jws = `${base64urlEncodeString(JSON.stringify({ alg, typ: 'urbis-snapshot+jwt', kid: 'x' }))}.${base64urlEncodeString('{"sha256":"x"}')}.${alg === 'none' ? '' : 'AAAA'}`;
      await expectCode(appendSignature(body, jws), 'SNAPSHOT_SIGNATURE_INVALID');
    }
  });

  it('truncated, trailing bytes, wrong magic, unknown version or flags → SNAPSHOT_MALFORMED; oversize → SNAPSHOT_TOO_LARGE', async () => {
    const bytes = await encodeSnapshot({ content: await sampleContent(), signingKey, iat: NOW });
    await expectCode(bytes.subarray(0, bytes.length - 1), 'SNAPSHOT_MALFORMED');
    await expectCode(bytes.subarray(0, 10), 'SNAPSHOT_MALFORMED');
    await expectCode(new Uint8Array(0), 'SNAPSHOT_MALFORMED');
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    await expectCode(longer, 'SNAPSHOT_MALFORMED');
    for (const [offset, value] of [
      [0, 0x56],
      [5, 2],
      [7, 1],
    ] as const) {
      const changed = bytes.slice();
      changed[offset] = value;
      await expectCode(changed, 'SNAPSHOT_MALFORMED');
    }
    await expect(verifyAndLoadSnapshot({ bytes, trustedSigners: [signer.publicJwk], limits: { maxSnapshotBytes: bytes.length - 1 } })).rejects.toMatchObject({
      code: 'SNAPSHOT_TOO_LARGE',
    });
    await expect(verifyAndLoadSnapshot({ bytes: 'not bytes' as never, trustedSigners: [signer.publicJwk] })).rejects.toMatchObject({ code: 'SNAPSHOT_MALFORMED' });
  });

  it('validly signed but malformed inside: bad JSON, bad shape, duplicate URIs, a list that inflates past its size (bomb) or short of it, lists above the total limit', async () => {
    const content = await sampleContent();
    const good = JSON.parse(new TextDecoder().decode(encodeSnapshotBody({ content: { ...content, lists: [], journal: [] }, compression }).subarray(16))) as Record<string, unknown>;
    const list = (size: number, length: number, uri = 'https://x.example/1') => ({ listId: 1, uri, size, bits: 2, sequence: 0, length });
    const raw = deflateSync(new Uint8Array(32_768));
    await expectCode(await signedCraft('{not json'), 'SNAPSHOT_MALFORMED');
    await expectCode(await signedCraft({ ...good, chainId: 'x' }), 'SNAPSHOT_MALFORMED');
    await expectCode(await signedCraft({ ...good, sync: { ...(good.sync as object), blockHash: '0x12' } }), 'SNAPSHOT_MALFORMED');
    await expectCode(await signedCraft({ ...good, lists: [list(131_072, raw.length), { ...list(131_072, raw.length), listId: 2 }] }, [raw, raw]), 'SNAPSHOT_MALFORMED');
    // The control: 32,768 bytes are exactly 131,072 entries.
    await expect(verifyAndLoadSnapshot({ bytes: await signedCraft({ ...good, lists: [list(131_072, raw.length)] }, [raw]), trustedSigners: [signer.publicJwk] })).resolves.toBeDefined();
    const bomb = deflateSync(new Uint8Array(5_000_000));
    await expectCode(await signedCraft({ ...good, lists: [list(131_072, bomb.length)] }, [bomb]), 'SNAPSHOT_MALFORMED');
    const short = deflateSync(new Uint8Array(1_000));
    await expectCode(await signedCraft({ ...good, lists: [list(131_072, short.length)] }, [short]), 'SNAPSHOT_MALFORMED');
    await expectCode(await signedCraft({ ...good, lists: [list(131_072, raw.length + 1)] }, [raw]), 'SNAPSHOT_MALFORMED');
    await expectCode(await signedCraft({ ...good, lists: [{ ...list(131_072, raw.length), bits: 1 }] }, [raw]), 'SNAPSHOT_MALFORMED');
    await expect(
      verifyAndLoadSnapshot({
        bytes: await signedCraft({ ...good, lists: [list(131_072, raw.length)] }, [raw]),
        trustedSigners: [signer.publicJwk],
        limits: { maxTotalListBytes: 1_000 },
      }),
    ).rejects.toMatchObject({ code: 'SNAPSHOT_TOO_LARGE' });
  });

  it('decodeSnapshot reads a file without verifying it (for tools)', async () => {
    const bytes = await encodeSnapshot({ content: await sampleContent(), signingKey, iat: NOW });
    const decoded = decodeSnapshot({ bytes });
    expect(decoded.signature.header).toMatchObject({ alg: 'ES256', typ: 'urbis-snapshot+jwt' });
    expect(decoded.signature.payload).toMatchObject({ iat: NOW, sha256: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(decoded.content.lists.map((l) => l.listId)).toEqual([0, 5]);
  });

  it('fuzz: random truncations and byte flips are refused with a snapshot code, never a crash (fast-check)', async () => {
    const bytes = await encodeSnapshot({ content: await sampleContent(), signingKey, iat: NOW });
    const refusedWithACode = async (mutated: Uint8Array): Promise<boolean> => {
      try {
        await verifyAndLoadSnapshot({ bytes: mutated, trustedSigners: [signer.publicJwk], now: NOW });
        return false;
      } catch (error) {
        return CODES.includes((error as { code?: string }).code ?? '');
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (length) => refusedWithACode(bytes.subarray(0, length))),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (flips) => {
          const mutated = bytes.slice();
          for (const [at, xor] of flips) mutated[at] = mutated[at]! ^ xor;
          if (mutated.every((b, i) => b === bytes[i])) return true; // two flips cancelled out
          return refusedWithACode(mutated);
        },
      ),
      { numRuns: 500 },
    );
    // Flips concentrated in the framing and the trailer, where the parser does the most.
    const trailerStart = bytes.length - 200;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 15 }), fc.integer({ min: trailerStart, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (a, b, xor) => {
        const mutated = bytes.slice();
        mutated[a] = mutated[a]! ^ xor;
        mutated[b] = mutated[b]! ^ xor;
        return refusedWithACode(mutated);
      }),
      { numRuns: 300 },
    );
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (random) => refusedWithACode(random)), { numRuns: 200 });
  });

  it('createSnapshotView works on content in memory (after a sync, before signing)', async () => {
    const view = createSnapshotView(await sampleContent());
    expect(view.status.statusOf({ format: 'token-status-list', uri: 'https://city-a.example/status/0', index: 0 })).toBe(1);
    expect(view.ageAt(NOW)).toBe(60);
    expect(view.ageAt(NOW - 1_000)).toBe(0);
  });
});
