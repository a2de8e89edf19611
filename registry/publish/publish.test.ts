import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { decodeBitstringStatusList } from '../../core/status/bitstring-status-list.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import { verifyStatusListToken } from '../../core/status/status-list-jwt.js';
import type { StatusList } from '../../core/status/status-list.js';
import { decodeTokenStatusList } from '../../core/status/token-status-list.js';
import type { StatusDelta } from '../chain/status-deltas.js';
import type { StatusRegistryClient } from '../chain/status-registry-client.js';
import { applyStatusBatch } from '../snapshot/chain-fixtures.js';
import { headBlock } from '../chain/head-block.js';
import { startDeployedRegistries, type DeployedRegistries } from '../testing/deployed-registries.js';
import { publishBitstringStatusListCredential, verifyBitstringStatusListCredentialJwt } from './publish-bitstring-status-list.js';
import { publishListFromChain } from './publish-from-chain.js';
import { publishTokenStatusList } from './publish-token-status-list.js';
import { readListFromChain } from './read-list-from-chain.js';

const crypto = createNodeCrypto();
const compression = createNodeCompression();
const ISSUER = 'did:web:city-a.example';
const NOW = 1_790_000_000;

/** Every entry of a list that is not valid, as index → value. */
function nonZeroEntries(list: StatusList): Map<number, number> {
  const out = new Map<number, number>();
  const bytes = list.asBytes();
  for (let b = 0; b < bytes.length; b++) {
    if (bytes[b] === 0) continue;
    for (let k = 0; k < 4; k++) {
      const index = b * 4 + k;
      if (index < list.size && list.get(index) !== 0) out.set(index, list.get(index));
    }
  }
  return out;
}

describe('published status forms, derived from chain state (real hardhat node)', () => {
  let registries: DeployedRegistries;
  let writer: StatusRegistryClient;
  const keys = crypto.generateKeyPair();
  const signingKey = crypto.signingKeyFromJwk({ privateJwk: keys.privateJwk, kid: `${ISSUER}#status-1` });
  /** What every list should hold: index → value. */
  const model = new Map<number, Map<number, number>>();
  let small: number; // 132,072 entries: not a whole number of words
  let large: number; // 1,000,000 entries: two readWords chunks
  let blockBeforeLastBatch: number;

  const apply = async (listId: number, deltas: StatusDelta[]): Promise<void> => {
    await applyStatusBatch({ writer, provider: registries.chain.provider, listId, deltas });
    const entries = model.get(listId)!;
    for (const { index, value } of deltas) {
      if (value === 0) entries.delete(index);
      else entries.set(index, value);
    }
  };

  beforeAll(async () => {
    registries = await startDeployedRegistries();
    const owner = await registries.signers[3]!.getAddress();
    small = await registries.status.createList({ owner, size: 132_072 });
    large = await registries.status.createList({ owner, size: 1_000_000 });
    model.set(small, new Map());
    model.set(large, new Map());
    writer = registries.status.connect(registries.signers[3]!);
    await apply(small, [
      { index: 0, value: 1 },
      { index: 127, value: 2 },
      { index: 128, value: 1 },
      { index: 94_567, value: 2 },
      { index: 132_071, value: 1 },
    ]);
    await apply(small, [
      { index: 94_567, value: 0 }, // suspension lifted
      { index: 127, value: 1 }, // suspended → revoked
      { index: 5_000, value: 2 },
    ]);
    const random = Array.from({ length: 300 }, (_, i) => ({ index: (i * 7_919 + 13) % 1_000_000, value: (1 + (i % 2)) as 1 | 2 }));
    await apply(large, [{ index: 524_287, value: 1 }, { index: 524_288, value: 2 }, { index: 999_999, value: 1 }, ...random]);
    blockBeforeLastBatch = await headBlock(registries.chain.provider);
    await apply(large, [{ index: 1, value: 2 }, { index: 524_288, value: 1 }]);
  }, 120_000);

  afterAll(async () => {
    await registries?.stop();
  });

  it('readListFromChain rebuilds every list from state, in chunks, at one block', async () => {
    for (const listId of [small, large]) {
      const state = await readListFromChain({ client: registries.status, provider: registries.chain.provider, listId });
      expect(state.list.size).toBe(listId === small ? 132_072 : 1_000_000);
      expect(state.list.byteLength).toBe(state.list.size / 4);
      expect(nonZeroEntries(state.list)).toEqual(model.get(listId));
      expect(state.sequence).toBe(listId === small ? 2 : 2);
    }
  });

  it('a read pinned to an earlier block gives the list as it was then', async () => {
    const before = await readListFromChain({ client: registries.status, provider: registries.chain.provider, listId: large, blockTag: blockBeforeLastBatch });
    expect(before.blockNumber).toBe(blockBeforeLastBatch);
    expect(before.sequence).toBe(1);
    expect(before.list.get(1)).toBe(0);
    expect(before.list.get(524_288)).toBe(2);
  });

  it('an unknown list → STATUS_LIST_UNKNOWN', async () => {
    await expect(readListFromChain({ client: registries.status, provider: registries.chain.provider, listId: 99 })).rejects.toMatchObject({
      code: 'STATUS_LIST_UNKNOWN',
    });
  });

  it('statuslist+jwt: verified and decoded by core, and read by @sd-jwt/jwt-status-list, gives every changed index', async () => {
    const uri = 'https://city-a.example/status/small';
    const { list } = await readListFromChain({ client: registries.status, provider: registries.chain.provider, listId: small });
    const jwt = await publishTokenStatusList({ list, uri, iss: ISSUER, signingKey, iat: NOW, ttl: 300 });

    const { header, payload } = await verifyStatusListToken({ jwt, expectedSub: uri, expectedIss: ISSUER, publicJwk: keys.publicJwk, verifySignature: crypto.verifySignature, now: NOW });
    expect(header).toMatchObject({ typ: 'statuslist+jwt', alg: 'ES256', kid: `${ISSUER}#status-1` });
    expect(payload).toMatchObject({ sub: uri, iss: ISSUER, iat: NOW, ttl: 300, status_list: { bits: 2 } });
    const decoded = decodeTokenStatusList({ statusList: payload.status_list, compression });
    expect(nonZeroEntries(decoded)).toEqual(model.get(small));

    const reference = getListFromStatusListJWT(jwt);
    expect(reference.getBitsPerStatus()).toBe(2);
    for (const [index, value] of model.get(small)!) expect(reference.getStatus(index)).toBe(value);
    for (const index of [1, 2, 126, 129, 94_567, 132_070]) expect(reference.getStatus(index)).toBe(0);

    // An independent JOSE implementation accepts the signature.
    const verified = await compactVerify(jwt, await importJWK(keys.publicJwk, 'ES256'));
    expect(verified.protectedHeader.alg).toBe('ES256');
  });

  it('vc+jwt Bitstring Status List credential: verified and decoded (message purpose, 2 bits), every changed index', async () => {
    const uri = 'https://city-a.example/status/large';
    const { list } = await readListFromChain({ client: registries.status, provider: registries.chain.provider, listId: large });
    const { credential, jwt } = await publishBitstringStatusListCredential({
      list,
      id: uri,
      issuer: ISSUER,
      signingKey,
      validFrom: new Date(NOW * 1000),
      validUntil: new Date((NOW + 86_400) * 1000),
    });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', typ: 'vc+jwt', cty: 'vc', kid: `${ISSUER}#status-1` });
    expect(credential).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: uri,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: ISSUER,
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'message', statusSize: 2 },
    });
    const verified = await verifyBitstringStatusListCredentialJwt({ jwt, expectedId: uri, publicJwk: keys.publicJwk, verifySignature: crypto.verifySignature, now: NOW + 10 });
    expect(verified).toEqual(credential);
    const decoded = decodeBitstringStatusList({ encodedList: verified.credentialSubject.encodedList, statusSize: 2, compression });
    expect(decoded.size).toBe(1_000_000);
    expect(nonZeroEntries(decoded)).toEqual(model.get(large));

    const reference = await compactVerify(jwt, await importJWK(keys.publicJwk, 'ES256'));
    expect(JSON.parse(new TextDecoder().decode(reference.payload))).toEqual(credential);
  });

  it('publishListFromChain: both forms from one read agree with each other and with the chain', async () => {
    const uri = 'https://city-a.example/status/small';
    const published = await publishListFromChain({ client: registries.status, provider: registries.chain.provider, listId: small, uri, issuer: ISSUER, signingKey, now: NOW });
    const { payload } = await verifyStatusListToken({ jwt: published.token, expectedSub: uri, publicJwk: keys.publicJwk, verifySignature: crypto.verifySignature, now: NOW });
    expect(payload.exp).toBe(NOW + 86_400);
    const fromToken = decodeTokenStatusList({ statusList: payload.status_list, compression });
    const credential = await verifyBitstringStatusListCredentialJwt({ jwt: published.bitstring.jwt, expectedId: uri, publicJwk: keys.publicJwk, verifySignature: crypto.verifySignature, now: NOW });
    const fromCredential = decodeBitstringStatusList({ encodedList: credential.credentialSubject.encodedList, statusSize: 2, compression });
    expect(fromToken.toBytes()).toEqual(fromCredential.toBytes());
    expect(fromToken.toBytes()).toEqual(published.state.list.toBytes());
    expect(nonZeroEntries(fromToken)).toEqual(model.get(small));
    expect(credential.credentialSubject.ttl).toBe(300_000);
  });
});
