import { scryptSync, sign as nodeSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeCryptoSuite } from '../core/crypto/node-crypto.js';
import type { PublicJwk } from '../core/crypto/ports.js';
import { base64urlEncode } from '../core/encoding/base64url.js';
import { presentCredential } from '../core/presentation/present-credential.js';
import { createMemoryKeyHandles } from '../holder-wallet/keys/memory-key-handles.js';
import type { HolderKeyHandles } from '../holder-wallet/keys/holder-key-handles.js';
import { generateHolderKey } from '../holder-wallet/keys/web-crypto-holder-keys.js';
import { createFileStorage } from '../holder-wallet/node/file-storage.js';
import { prepareConsent, webHasher } from '../holder-wallet/presentation/consent.js';
import { presentWithConsent } from '../holder-wallet/presentation/present.js';
import { parsePresentationRequest } from '../holder-wallet/presentation/presentation-request.js';
import { createHolderKeyRecord, holderKeyForRecord } from '../holder-wallet/store/holder-key-record.js';
import { createMemoryStorage } from '../holder-wallet/store/memory-storage.js';
import { DEFAULT_WALLET_KDF, passphraseBytes, type ScryptParams } from '../holder-wallet/store/passphrase-key.js';
import { emptyWalletDocument, type StoredCredential, type StoredHolderKey, type WalletDocument } from '../holder-wallet/store/wallet-document.js';
import type { WalletStorage } from '../holder-wallet/store/wallet-storage.js';
import { createWalletStore, openWalletStore, type WalletStore } from '../holder-wallet/store/wallet-store.js';
import { CITY, issueEntitlementCopies, issueResidentCopies, type CityIssuer } from './city-issuer-copies.js';
import { latencies, median, type LatencyReport } from './measure.js';
import { AUDIENCE } from './wallet-presentation-sizes.js';

/** Copies per credential in the benchmark wallet (the issuer's default batch). */
export const COPIES_PER_CREDENTIAL = 10;
/** Timed presentations per row (after warm-up). */
const PRESENT_SAMPLES = 30;
/** Timed unlocks (each one scrypt N = 2^15 in JS, ~0.1–0.3 s). */
const UNLOCK_SAMPLES = 5;
const PASSPHRASE = 'correct horse battery staple';
/** The lowest accepted scrypt cost (N = 2^10), for stores whose unlock is not measured. */
const CHEAP_KDF: ScryptParams = Object.freeze({ N: 2 ** 10, r: 8, p: 1 });
/** The request answered: a resident's age_over_18 and municipality (dc+sd-jwt), as a pool terminal asks. */
const REQUESTED_CLAIMS = [['age_over_18'], ['municipality']];

/** Medians of the wallet path's parts, ms (they add up to about the whole). */
export interface WalletPathParts {
  /** `parsePresentationRequest` + `store.load()` (read, decrypt, parse and check the document). */
  parseAndLoadMs: number;
  /** `prepareConsent`: DCQL matching over every copy (decoding each, hashing its disclosures). */
  prepareConsentMs: number;
  /** `presentWithConsent`: load again, holder key, `presentCredential`, seal and write the document. */
  presentWithConsentMs: number;
}

/** Part (a): one presentation from a stored copy, by path; part (b): unlocking the store. */
export interface WalletTimingReport {
  wallet: { copies: number; credentials: string[]; sealedBytes: number; kdf: typeof DEFAULT_WALLET_KDF };
  request: { claims: string[][]; audience: string };
  present: Record<string, LatencyReport & { baselineName: string; parts?: WalletPathParts }>;
  /** Length of the presentation `presentWithConsent` returned (the QR text) for the request. */
  walletPresentationBytes: number;
  unlock: LatencyReport & { baselineName: string };
}

/**
 * Wallet timings, with holder keys on Web Crypto as the wallet makes them
 * and real copies from the city issuer's issuance: a wallet of
 * {@link COPIES_PER_CREDENTIAL} ResidentCredential copies and as many
 * entitlement copies for two services (pools, library), sealed with the
 * default KDF.
 *
 * (a) one presentation = parse the OpenID4VP request, `store.load()`,
 * `prepareConsent` (DCQL matching over every copy), `presentWithConsent`
 * (holder key from its record, core's `presentCredential`, copy marked spent
 * and history written in one sealed store write). The store is put back
 * untimed after each one, so every sample sees the same wallet. Rows: the
 * Node wallet (exportable keys in the sealed document, memory storage and
 * the atomic file storage), a device-bound key (a non-extractable handle, as
 * in the browser), and core's `presentCredential` alone; each against one
 * raw node:crypto ES256 sign timed in between.
 *
 * (b) unlock = `openWalletStore` with the default KDF (scrypt N = 2^15,
 * r = 8, p = 1 in JS) from the file storage, against node:crypto's native
 * scrypt with the same parameters.
 */
export async function measureWalletTiming({ crypto, issuer, nowMs }: { crypto: NodeCryptoSuite; issuer: CityIssuer; nowMs: number }): Promise<WalletTimingReport> {
  const now = Math.floor(nowMs / 1000);
  const directory = mkdtempSync(join(tmpdir(), 'urbis-wallet-bench-'));
  try {
    const exportable = await buildWallet({ issuer, crypto, nowMs, keyStorage: 'exportable' });
    const handles = createMemoryKeyHandles();
    const device = await buildWallet({ issuer, crypto, nowMs, keyStorage: 'device', handles });

    // scrypt runs only when a store is created or unlocked; load and save use the derived key. So the memory
    // stores are sealed at the lowest cost (setup time), the file store (also unlocked in part b) at the default.
    const memory = await sealedStore({ document: exportable, storage: createMemoryStorage(), kdf: CHEAP_KDF });
    const deviceStore = await sealedStore({ document: device, storage: createMemoryStorage(), kdf: CHEAP_KDF });
    const fileStorage = createFileStorage({ path: join(directory, 'wallet.urbw') });
    const fileStore = await sealedStore({ document: exportable, storage: fileStorage, kdf: DEFAULT_WALLET_KDF });

    // The baseline: one raw node:crypto ES256 sign, on an input the size of a signed credential.
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = Buffer.from('x'.repeat(1200));
    const rawSign = (): Buffer => nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const signBaseline = 'node:crypto ES256 sign (one)';

    let walletPresentationBytes = 0;
    const links: string[] = [];
    const walletRow = async ({
      store,
      storage,
      initial,
      keyHandles,
    }: {
      store: WalletStore;
      storage: WalletStorage;
      initial: Uint8Array;
      keyHandles?: HolderKeyHandles;
    }): Promise<LatencyReport & { parts: WalletPathParts }> => {
      const parts = { parseAndLoadMs: [] as number[], prepareConsentMs: [] as number[], presentWithConsentMs: [] as number[] };
      const report = await latencies({
        samples: PRESENT_SAMPLES,
        every: 5,
        prepare: async (i) => {
          await storage.write(initial); // every sample sees the same wallet: nothing spent, no history
          links[i] = requestLink({ nonce: base64urlEncode(crypto.randomBytes(16)) });
        },
        subject: async (i) => {
          const t0 = performance.now();
          const request = parsePresentationRequest(links[i]!);
          const document = await store.load();
          const t1 = performance.now();
          const consent = await prepareConsent({ request, document });
          const t2 = performance.now();
          const { text } = await presentWithConsent({ consent, store, now, ...(keyHandles === undefined ? {} : { handles: keyHandles }) });
          parts.parseAndLoadMs.push(t1 - t0);
          parts.prepareConsentMs.push(t2 - t1);
          parts.presentWithConsentMs.push(performance.now() - t2);
          walletPresentationBytes = text.length;
        },
        baseline: rawSign,
      });
      const part = (values: number[]): number => Number(median(values).toFixed(3));
      return { ...report, parts: { parseAndLoadMs: part(parts.parseAndLoadMs), prepareConsentMs: part(parts.prepareConsentMs), presentWithConsentMs: part(parts.presentWithConsentMs) } };
    };

    const present: WalletTimingReport['present'] = {};
    present['wallet: request → consent → presentation, memory storage, key from the sealed record (Node)'] = { ...(await walletRow(memory)), baselineName: signBaseline };
    present['wallet: the same, atomic file storage (write + fsync + rename)'] = { ...(await walletRow(fileStore)), baselineName: signBaseline };
    present['wallet: the same, memory storage, device-bound key (non-extractable handle, as in a browser)'] = { ...(await walletRow({ ...deviceStore, keyHandles: handles })), baselineName: signBaseline };

    // core's presentCredential alone, on the first resident copy.
    const copy = exportable.credentials.find((c) => c.credentialType === 'ResidentCredential')!;
    const record = exportable.keys.find((k) => k.id === copy.holderKeyId)!;
    const webKey = (await holderKeyForRecord({ record })).signingKey;
    const nodeKey = crypto.signingKeyFromJwk({ privateJwk: record.privateJwk! });
    const coreRow = (holderKey: typeof webKey, hash: typeof webHasher): Promise<LatencyReport> =>
      latencies({
        samples: PRESENT_SAMPLES * 5,
        every: 50,
        subject: () => presentCredential({ credential: copy.credential, claims: REQUESTED_CLAIMS, nonce: base64urlEncode(crypto.randomBytes(16)), audience: AUDIENCE, holderKey, hash, now }),
        baseline: rawSign,
      });
    present['core presentCredential alone: Web Crypto key (imported) and SHA-256'] = { ...(await coreRow(webKey, webHasher)), baselineName: signBaseline };
    present['core presentCredential alone: node:crypto key and SHA-256'] = { ...(await coreRow(nodeKey, crypto.hash)), baselineName: signBaseline };

    // (b) Unlock from the file, against native scrypt with the same cost.
    const salt = crypto.randomBytes(16);
    const { N, r, p } = DEFAULT_WALLET_KDF;
    const unlock = await latencies({
      samples: UNLOCK_SAMPLES,
      warmup: 1,
      every: 1,
      baselineOpsPerRound: 1,
      subject: () => openWalletStore({ storage: fileStorage, passphrase: PASSPHRASE }),
      baseline: () => scryptSync(passphraseBytes(PASSPHRASE), salt, 48, { N, r, p, maxmem: 256 * N * r }),
    });

    return {
      wallet: {
        copies: exportable.credentials.length,
        credentials: ['ResidentCredential dc+sd-jwt', 'ServiceEntitlementCredential pools', 'ServiceEntitlementCredential library'].map((c) => `${COPIES_PER_CREDENTIAL} × ${c}`),
        sealedBytes: fileStore.initial.length,
        kdf: DEFAULT_WALLET_KDF,
      },
      request: { claims: REQUESTED_CLAIMS, audience: AUDIENCE },
      present,
      walletPresentationBytes,
      unlock: { ...unlock, baselineName: `node:crypto scrypt (native), N = 2^${Math.log2(N)}, r = ${r}, p = ${p}` },
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** An OpenID4VP request by value for {@link REQUESTED_CLAIMS} of a resident dc+sd-jwt. */
function requestLink({ nonce }: { nonce: string }): string {
  const query = {
    credentials: [{ id: 'resident', format: 'dc+sd-jwt', meta: { vct_values: ['urn:urbis:vct:resident:1'] }, claims: REQUESTED_CLAIMS.map((path) => ({ path })) }],
  };
  return `openid4vp://?${new URLSearchParams({ client_id: AUDIENCE, nonce, response_type: 'vp_token', dcql_query: JSON.stringify(query) }).toString()}`;
}

/** A store over `storage` holding `document`, sealed with the default KDF, and its sealed bytes (to put back). */
async function sealedStore({
  document,
  storage,
  kdf,
}: {
  document: WalletDocument;
  storage: WalletStorage;
  kdf: ScryptParams;
}): Promise<{ store: WalletStore; storage: WalletStorage; initial: Uint8Array }> {
  const store = await createWalletStore({ storage, passphrase: PASSPHRASE, document, kdf });
  return { store, storage, initial: (await storage.read())! };
}

/** The benchmark wallet's document: the city's copies, each with its own Web Crypto holder key. */
async function buildWallet({
  issuer,
  crypto,
  nowMs,
  keyStorage,
  handles,
}: {
  issuer: CityIssuer;
  crypto: NodeCryptoSuite;
  nowMs: number;
  keyStorage: 'exportable' | 'device';
  handles?: HolderKeyHandles;
}): Promise<WalletDocument> {
  const document = emptyWalletDocument();
  const now = Math.floor(nowMs / 1000);
  document.trustedIssuers.push({ issuerUrl: CITY.issuerUrl, name: 'Ayuntamiento de Gijón', issuerIds: [CITY.did], addedAt: now, addedBy: 'preset' });
  const newKeys = async (): Promise<{ records: StoredHolderKey[]; publicJwks: PublicJwk[] }> => {
    const records: StoredHolderKey[] = [];
    const publicJwks: PublicJwk[] = [];
    for (let i = 0; i < COPIES_PER_CREDENTIAL; i++) {
      const holderKey = await generateHolderKey({ extractable: keyStorage === 'exportable' });
      records.push(await createHolderKeyRecord({ holderKey, createdAt: now, ...(keyStorage === 'device' ? { handles: handles! } : {}) }));
      publicJwks.push(holderKey.publicJwk);
    }
    return { records, publicJwks };
  };
  const add = (credentials: string[], records: StoredHolderKey[], meta: Pick<StoredCredential, 'credentialType' | 'configurationId'> & { serviceId?: string }): void => {
    const batchId = base64urlEncode(crypto.randomBytes(12));
    credentials.forEach((credential, i) => {
      document.credentials.push({
        id: base64urlEncode(crypto.randomBytes(12)),
        credential,
        format: 'dc+sd-jwt',
        issuerId: CITY.did,
        holderKeyId: records[i]!.id,
        batchId,
        issuerUrl: CITY.issuerUrl,
        receivedAt: now - 100 + document.credentials.length,
        ...meta,
      });
    });
    document.keys.push(...records);
  };
  const resident = await newKeys();
  add(await issueResidentCopies({ issuer, format: 'dc+sd-jwt', holderKeys: resident.publicJwks, nowMs, crypto }), resident.records, {
    credentialType: 'ResidentCredential',
    configurationId: 'resident.dc+sd-jwt',
  });
  for (const serviceId of ['pools', 'library']) {
    const keys = await newKeys();
    add(await issueEntitlementCopies({ issuer, serviceId, holderKeys: keys.publicJwks, nowMs, crypto }), keys.records, {
      credentialType: 'ServiceEntitlementCredential',
      configurationId: `entitlement.${serviceId}.dc+sd-jwt`,
      serviceId,
    });
  }
  return document;
}
