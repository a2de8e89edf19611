import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDeployedRegistries, type DeployedRegistries } from '../testing/deployed-registries.js';
import { wordsToStatusBytes } from './status-registry-client.js';

describe('StatusRegistryClient (real hardhat node)', () => {
  let chain: DeployedRegistries;
  let listId: number;
  beforeAll(async () => {
    chain = await startDeployedRegistries();
    listId = await chain.status.createList({ owner: await chain.signers[1]!.getAddress(), size: 131_072 });
  }, 90_000);
  afterAll(async () => {
    await chain?.stop();
  });

  it('creates a list, applies a batch, reads entries, words and events back', async () => {
    const writer = chain.status.connect(chain.signers[1]!);
    const { hash } = await writer.sendUpdate({ listId, expectedSequence: 0, deltas: [{ index: 5, value: 1 }, { index: 130, value: 2 }] });
    const receipt = await chain.chain.provider.waitForTransaction(hash, 1, 30_000);
    expect(receipt?.status).toBe(1);
    expect(await chain.status.statusOf({ listId, index: 5 })).toBe(1);
    expect(await chain.status.listInfo(listId)).toMatchObject({ listId, size: 131_072, sequence: 1 });
    const bytes = wordsToStatusBytes(await chain.status.readWords({ listId, fromWord: 0, count: 2 }));
    expect(bytes[1]).toBe(0b0000_0100); // entry 5: byte 1, bits 2–3 (LSB-first, as the Token Status List)
    expect(bytes[32]! & 0b0011_0000).toBe(0b0010_0000); // entry 130: word 1, byte 0, bits 4–5
    const events = await chain.status.fetchUpdates({ fromBlock: 0, toBlock: receipt!.blockNumber, listId });
    expect(events).toEqual([expect.objectContaining({ listId, sequence: 0, deltas: [{ index: 5, value: 1 }, { index: 130, value: 2 }] })]);
  });

  it.each([
    ['a stale sequence', 1, { expectedSequence: 0, deltas: [{ index: 9, value: 1 as const }] }, 'STATUS_SEQUENCE_CONFLICT'],
    ['revoked → valid', 1, { expectedSequence: 1, deltas: [{ index: 5, value: 0 as const }] }, 'STATUS_TRANSITION_FORBIDDEN'],
    ['an index beyond the list', 1, { expectedSequence: 1, deltas: [{ index: 131_072, value: 1 as const }] }, 'STATUS_INDEX_OUT_OF_RANGE'],
    ['a signer that is not a writer of the list', 2, { expectedSequence: 1, deltas: [{ index: 9, value: 1 as const }] }, 'CHAIN_NOT_AUTHORIZED'],
  ])('%s → %s (custom errors decoded from the gas estimate)', async (_label, signer, update, code) => {
    await expect(chain.status.connect(chain.signers[signer]!).sendUpdate({ listId, ...update })).rejects.toMatchObject({ code });
  });

  it('an unknown list → STATUS_LIST_UNKNOWN', async () => {
    await expect(chain.status.listInfo(99)).rejects.toMatchObject({ code: 'STATUS_LIST_UNKNOWN' });
  });
});
