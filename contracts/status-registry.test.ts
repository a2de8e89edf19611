/**
 * StatusRegistry (contracts/src/StatusRegistry.sol) on in-process Hardhat:
 * every function, role check and custom error; packed-delta decoding against
 * the TypeScript model (fast-check); and a storage/privacy check that every
 * slot written in a run is one the layout predicts, holding what it should.
 */
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers.js';
import fc from 'fast-check';
import { AbiCoder, Interface, getAddress, hexlify, keccak256, toBeHex, toUtf8Bytes, zeroPadValue, type ContractTransactionReceipt, type ContractTransactionResponse } from 'ethers';
import { deployStatusRegistry, type StatusRegistryContract } from './test-support/contracts.js';
import { chainSnapshot, loadHardhat, type HardhatWithEthers } from './test-support/hardhat.js';
import { expectRevert } from './test-support/revert.js';
import { ENTRIES_PER_WORD, MAX_LIST_SIZE, MIN_LIST_SIZE, Status, StatusListModel, packDeltas, unpackDeltas, type Delta } from './test-support/status-model.js';

const abi = AbiCoder.defaultAbiCoder();
const ZERO_ROLE = `0x${'00'.repeat(32)}`;

let hre: HardhatWithEthers;
let registry: StatusRegistryContract;
let iface: Interface;
let admin: HardhatEthersSigner;
let issuerA: HardhatEthersSigner;
let issuerB: HardhatEthersSigner;
let publisherA2: HardhatEthersSigner;
let stranger: HardhatEthersSigner;
let snapshot: { revert(): Promise<void> };

beforeAll(async () => {
  hre = await loadHardhat();
  [admin, issuerA, issuerB, publisherA2, stranger] = (await hre.ethers.getSigners()) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  registry = await deployStatusRegistry(hre, admin);
  iface = registry.interface;
  snapshot = await chainSnapshot(hre);
}, 120_000);

afterEach(async () => {
  await snapshot.revert();
});

function writerRoleOf(listId: number | bigint): string {
  return keccak256(abi.encode(['string', 'uint256'], ['urbis.StatusRegistry.writer', listId]));
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error('no receipt');
  return receipt;
}

/** The registry's events in a receipt, decoded. */
function events(receipt: ContractTransactionReceipt): { name: string; args: unknown[] }[] {
  return receipt.logs
    .filter((log) => log.address === receipt.to || log.address === registry.target)
    .map((log) => {
      const parsed = iface.parseLog(log);
      if (parsed === null) throw new Error(`unknown log ${log.topics[0]}`);
      return { name: parsed.name, args: [...parsed.args] };
    });
}

/** Creates a list for `owner` (default issuer A) and returns its id. */
async function createList(owner: string = issuerA.address, size: number = MIN_LIST_SIZE): Promise<number> {
  const id = Number(await registry.listCount());
  await mined(registry.createList(owner, size));
  return id;
}

async function update(listId: number, sequence: number, deltas: readonly Delta[], from: HardhatEthersSigner = issuerA): Promise<ContractTransactionReceipt> {
  return mined(registry.connect(from).updateStatuses(listId, sequence, packDeltas(deltas)));
}

describe('deployment', () => {
  test('the deployer is admin and list creator; no lists yet; constants', async () => {
    const creator = await registry.LIST_CREATOR_ROLE();
    expect(creator).toBe(keccak256(toUtf8Bytes('urbis.StatusRegistry.listCreator')));
    expect(await registry.hasRole(ZERO_ROLE, admin.address)).toBe(true);
    expect(await registry.hasRole(creator, admin.address)).toBe(true);
    expect(await registry.hasRole(creator, stranger.address)).toBe(false);
    expect(await registry.getRoleAdmin(creator)).toBe(ZERO_ROLE);
    expect(await registry.listCount()).toBe(0n);
    expect(await registry.MIN_LIST_SIZE()).toBe(131_072n);
    expect(await registry.MAX_LIST_SIZE()).toBe(2n ** 30n);
    expect(await registry.ENTRIES_PER_WORD()).toBe(128n);
    expect(await registry.MAX_READ_WORDS()).toBe(4096n);
  });

  test('supportsInterface: IStatusRegistry, IAccessControl, ERC-165', async () => {
    const artifact = await hre.artifacts.readArtifact('IStatusRegistry');
    let id = 0;
    new Interface(artifact.abi).forEachFunction((f) => {
      id ^= Number.parseInt(f.selector.slice(2), 16);
    });
    const statusRegistryId = toBeHex(id >>> 0, 4);
    expect(await registry.supportsInterface(statusRegistryId)).toBe(true);
    expect(await registry.supportsInterface('0x7965db0b')).toBe(true); // IAccessControl
    expect(await registry.supportsInterface('0x01ffc9a7')).toBe(true); // IERC165
    expect(await registry.supportsInterface('0xffffffff')).toBe(false);
  });

  test('writerRole is keccak256(abi.encode("urbis.StatusRegistry.writer", listId)), for any id', async () => {
    for (const id of [0n, 1n, 41n, 2n ** 255n]) expect(await registry.writerRole(id)).toBe(writerRoleOf(id));
  });
});

describe('createList', () => {
  test('creates lists with ids 0, 1, …; emits ListCreated, RoleAdminChanged, RoleGranted; owner writes', async () => {
    const receipt = await mined(registry.createList(issuerA.address, MIN_LIST_SIZE));
    const role0 = writerRoleOf(0);
    expect(events(receipt)).toEqual([
      { name: 'RoleAdminChanged', args: [role0, ZERO_ROLE, role0] },
      { name: 'RoleGranted', args: [role0, issuerA.address, admin.address] },
      { name: 'ListCreated', args: [0n, issuerA.address, BigInt(MIN_LIST_SIZE)] },
    ]);
    const second = await mined(registry.createList(issuerB.address, MIN_LIST_SIZE + 1));
    expect(events(second).at(-1)).toEqual({ name: 'ListCreated', args: [1n, issuerB.address, BigInt(MIN_LIST_SIZE + 1)] });
    expect(await registry.listCount()).toBe(2n);
    expect([...(await registry.listInfo(0))]).toEqual([issuerA.address, BigInt(MIN_LIST_SIZE), 0n, 0n]);
    expect([...(await registry.listInfo(1))]).toEqual([issuerB.address, BigInt(MIN_LIST_SIZE + 1), 0n, 0n]);
    expect(await registry.hasRole(role0, issuerA.address)).toBe(true);
    expect(await registry.hasRole(role0, issuerB.address)).toBe(false);
    expect(await registry.hasRole(role0, admin.address)).toBe(false);
    expect(await registry.getRoleAdmin(role0)).toBe(role0);
    expect(await registry.statusOf(0, 0)).toBe(0n);
    expect(await registry.statusOf(0, MIN_LIST_SIZE - 1)).toBe(0n);
  });

  test('accepts the smallest and the largest size', async () => {
    await mined(registry.createList(issuerA.address, MIN_LIST_SIZE));
    await mined(registry.createList(issuerA.address, MAX_LIST_SIZE));
    expect((await registry.listInfo(1))[1]).toBe(BigInt(MAX_LIST_SIZE));
  });

  test('refuses a zero owner, a list too small or too large', async () => {
    await expectRevert(registry.createList(`0x${'00'.repeat(20)}`, MIN_LIST_SIZE), iface, 'StatusRegistryZeroOwner', []);
    await expectRevert(registry.createList(issuerA.address, MIN_LIST_SIZE - 1), iface, 'StatusRegistryListTooSmall', [MIN_LIST_SIZE - 1, MIN_LIST_SIZE]);
    await expectRevert(registry.createList(issuerA.address, 0), iface, 'StatusRegistryListTooSmall', [0, MIN_LIST_SIZE]);
    await expectRevert(registry.createList(issuerA.address, MAX_LIST_SIZE + 1), iface, 'StatusRegistryListTooLarge', [MAX_LIST_SIZE + 1, MAX_LIST_SIZE]);
    await expectRevert(registry.createList(issuerA.address, 2 ** 32 - 1), iface, 'StatusRegistryListTooLarge', [2 ** 32 - 1, MAX_LIST_SIZE]);
    expect(await registry.listCount()).toBe(0n);
  });

  test('only LIST_CREATOR_ROLE creates lists; the admin can grant it', async () => {
    const creator = await registry.LIST_CREATOR_ROLE();
    await expectRevert(registry.connect(stranger).createList(stranger.address, MIN_LIST_SIZE), iface, 'AccessControlUnauthorizedAccount', [stranger.address, creator]);
    await expectRevert(registry.connect(issuerA).createList(issuerA.address, MIN_LIST_SIZE), iface, 'AccessControlUnauthorizedAccount', [issuerA.address, creator]);
    await mined(registry.grantRole(creator, stranger.address));
    await mined(registry.connect(stranger).createList(issuerB.address, MIN_LIST_SIZE));
    expect((await registry.listInfo(0))[0]).toBe(issuerB.address);
    // The creator of a list gets no right to write it.
    expect(await registry.hasRole(writerRoleOf(0), stranger.address)).toBe(false);
  });
});

describe('updateStatuses', () => {
  test('applies a batch, counts it, records the block, emits StatusesUpdated once with the packed deltas', async () => {
    const list = await createList();
    const deltas = [
      { index: 3, value: Status.Revoked },
      { index: 4, value: Status.Suspended },
      { index: 127, value: Status.Suspended },
      { index: 128, value: Status.Revoked },
      { index: 131_071, value: Status.Suspended },
    ];
    const packed = packDeltas(deltas);
    const receipt = await mined(registry.connect(issuerA).updateStatuses(list, 0, packed));
    expect(events(receipt)).toEqual([{ name: 'StatusesUpdated', args: [BigInt(list), 0n, hexlify(packed)] }]);
    expect(unpackDeltas(Uint8Array.from(Buffer.from((events(receipt)[0]!.args[2] as string).slice(2), 'hex')))).toEqual(deltas);
    expect([...(await registry.listInfo(list))]).toEqual([issuerA.address, BigInt(MIN_LIST_SIZE), 1n, BigInt(receipt.blockNumber)]);
    expect(await registry.statusOf(list, 3)).toBe(1n);
    expect(await registry.statusOf(list, 4)).toBe(2n);
    expect(await registry.statusOf(list, 5)).toBe(0n);
    expect(await registry.statusOf(list, 127)).toBe(2n);
    expect(await registry.statusOf(list, 128)).toBe(1n);
    expect(await registry.statusOf(list, 131_071)).toBe(2n);
    const words = await registry.readWords(list, 0, 2);
    expect([...words]).toEqual([(1n << 6n) | (2n << 8n) | (2n << 254n), 1n]);
    expect([...(await registry.readWords(list, 1023, 1))]).toEqual([2n << 254n]);

    const second = await update(list, 1, [{ index: 9, value: Status.Suspended }]);
    expect(events(second)).toEqual([{ name: 'StatusesUpdated', args: [BigInt(list), 1n, hexlify(packDeltas([{ index: 9, value: 2 }]))] }]);
    expect((await registry.listInfo(list))[2]).toBe(2n);
  });

  test('transitions: suspension can be lifted; revocation is final; same value is a no-op', async () => {
    const list = await createList();
    let seq = 0;
    await update(list, seq++, [{ index: 10, value: Status.Suspended }]);
    await update(list, seq++, [{ index: 10, value: Status.Valid }]);
    expect(await registry.statusOf(list, 10)).toBe(0n);
    await update(list, seq++, [{ index: 10, value: Status.Suspended }]);
    await update(list, seq++, [{ index: 10, value: Status.Revoked }]); // suspended → revoked
    await update(list, seq++, [{ index: 11, value: Status.Revoked }]); // valid → revoked
    await update(list, seq++, [{ index: 10, value: Status.Revoked }, { index: 12, value: Status.Valid }]); // no-ops still form a batch
    await update(list, seq++, [{ index: 13, value: Status.Suspended }]);
    await update(list, seq++, [{ index: 13, value: Status.Suspended }]);
    expect((await registry.listInfo(list))[2]).toBe(BigInt(seq));
    for (const value of [Status.Valid, Status.Suspended]) {
      for (const index of [10, 11]) {
        await expectRevert(registry.connect(issuerA).updateStatuses(list, seq, packDeltas([{ index, value }])), iface, 'StatusRegistryRevocationIsFinal', [list, index]);
      }
    }
    expect(await registry.statusOf(list, 10)).toBe(1n);
    expect(await registry.statusOf(list, 11)).toBe(1n);
    expect(await registry.statusOf(list, 12)).toBe(0n);
    expect(await registry.statusOf(list, 13)).toBe(2n);
  });

  test('deltas apply in order: a later delta sees an earlier one of the same batch', async () => {
    const list = await createList();
    await update(list, 0, [
      { index: 1, value: Status.Suspended },
      { index: 1, value: Status.Valid },
      { index: 300, value: Status.Suspended },
      { index: 2, value: Status.Suspended }, // back to word 0 after word 2
      { index: 300, value: Status.Revoked },
    ]);
    expect(await registry.statusOf(list, 1)).toBe(0n);
    expect(await registry.statusOf(list, 2)).toBe(2n);
    expect(await registry.statusOf(list, 300)).toBe(1n);
    await expectRevert(
      registry.connect(issuerA).updateStatuses(list, 1, packDeltas([{ index: 5, value: Status.Revoked }, { index: 5, value: Status.Valid }])),
      iface,
      'StatusRegistryRevocationIsFinal',
      [list, 5],
    );
  });

  test('value 3 is reserved', async () => {
    const list = await createList();
    await expectRevert(registry.connect(issuerA).updateStatuses(list, 0, packDeltas([{ index: 77, value: Status.Reserved }])), iface, 'StatusRegistryReservedStatus', [77]);
    // Checked before the index range.
    await expectRevert(registry.connect(issuerA).updateStatuses(list, 0, packDeltas([{ index: MIN_LIST_SIZE, value: 3 }])), iface, 'StatusRegistryReservedStatus', [MIN_LIST_SIZE]);
  });

  test('indices must be below the size (also for a size that is not a multiple of 128)', async () => {
    const list = await createList();
    await expectRevert(
      registry.connect(issuerA).updateStatuses(list, 0, packDeltas([{ index: MIN_LIST_SIZE, value: 1 }])),
      iface,
      'StatusRegistryIndexOutOfRange',
      [list, MIN_LIST_SIZE, MIN_LIST_SIZE],
    );
    await expectRevert(
      registry.connect(issuerA).updateStatuses(list, 0, packDeltas([{ index: MAX_LIST_SIZE - 1, value: 0 }])),
      iface,
      'StatusRegistryIndexOutOfRange',
      [list, MAX_LIST_SIZE - 1, MIN_LIST_SIZE],
    );
    const odd = await createList(issuerA.address, MIN_LIST_SIZE + 1);
    await update(odd, 0, [{ index: MIN_LIST_SIZE, value: Status.Suspended }]);
    expect(await registry.statusOf(odd, MIN_LIST_SIZE)).toBe(2n);
    await expectRevert(
      registry.connect(issuerA).updateStatuses(odd, 1, packDeltas([{ index: MIN_LIST_SIZE + 1, value: 1 }])),
      iface,
      'StatusRegistryIndexOutOfRange',
      [odd, MIN_LIST_SIZE + 1, MIN_LIST_SIZE + 1],
    );
    const words = await registry.readWords(odd, 0, 4096);
    expect(words.length).toBe(1025);
    expect(words[1024]).toBe(2n);
  });

  test('the largest list: the last entry of word 2^23 - 1', async () => {
    const list = await createList(issuerA.address, MAX_LIST_SIZE);
    const last = MAX_LIST_SIZE - 1;
    await update(list, 0, [{ index: 0, value: Status.Suspended }, { index: last, value: Status.Revoked }]);
    expect(await registry.statusOf(list, last)).toBe(1n);
    expect(await registry.statusOf(list, last - 1)).toBe(0n);
    expect([...(await registry.readWords(list, 2 ** 23 - 1, 4096))]).toEqual([1n << 254n]);
    expect([...(await registry.readWords(list, 0, 1))]).toEqual([2n]);
  });

  test('packed deltas must be non-empty and a multiple of 4 bytes', async () => {
    const list = await createList();
    for (const bytes of ['0x', '0x00', '0x000000', '0x0000000400', '0x00000004000000']) {
      await expectRevert(registry.connect(issuerA).updateStatuses(list, 0, bytes), iface, 'StatusRegistryMalformedDeltas', [(bytes.length - 2) / 2]);
    }
  });

  test('the expected sequence must be the list sequence (a resent batch is refused)', async () => {
    const list = await createList();
    const batch = packDeltas([{ index: 1, value: 2 }]);
    await expectRevert(registry.connect(issuerA).updateStatuses(list, 1, batch), iface, 'StatusRegistrySequenceMismatch', [list, 1, 0]);
    await mined(registry.connect(issuerA).updateStatuses(list, 0, batch));
    await expectRevert(registry.connect(issuerA).updateStatuses(list, 0, batch), iface, 'StatusRegistrySequenceMismatch', [list, 0, 1]);
    await expectRevert(registry.connect(issuerA).updateStatuses(list, 2n ** 64n - 1n, batch), iface, 'StatusRegistrySequenceMismatch', [list, 2n ** 64n - 1n, 1]);
  });

  test('an unknown list is refused', async () => {
    await expectRevert(registry.connect(issuerA).updateStatuses(0, 0, packDeltas([{ index: 1, value: 1 }])), iface, 'StatusRegistryUnknownList', [0]);
    await createList();
    await expectRevert(registry.connect(issuerA).updateStatuses(1, 0, packDeltas([{ index: 1, value: 1 }])), iface, 'StatusRegistryUnknownList', [1]);
    await expectRevert(registry.connect(issuerA).updateStatuses(2n ** 256n - 1n, 0, packDeltas([{ index: 1, value: 1 }])), iface, 'StatusRegistryUnknownList', [2n ** 256n - 1n]);
  });

  test('a failing batch applies nothing, also words it already left', async () => {
    const list = await createList();
    await update(list, 0, [{ index: 5000, value: Status.Revoked }]);
    const before = [...(await registry.readWords(list, 0, 1024))];
    await expectRevert(
      registry.connect(issuerA).updateStatuses(
        list,
        1,
        packDeltas([
          { index: 1, value: 2 },
          { index: 200, value: 1 },
          { index: 4999, value: 2 },
          { index: 5000, value: 0 },
        ]),
      ),
      iface,
      'StatusRegistryRevocationIsFinal',
      [list, 5000],
    );
    expect([...(await registry.readWords(list, 0, 1024))]).toEqual(before);
    expect((await registry.listInfo(list))[2]).toBe(1n);
  });
});

describe('roles per list', () => {
  test('a non-writer cannot update; a writer of list A cannot write list B', async () => {
    const a = await createList(issuerA.address);
    const b = await createList(issuerB.address);
    const batch = packDeltas([{ index: 1, value: 1 }]);
    await expectRevert(registry.connect(stranger).updateStatuses(a, 0, batch), iface, 'AccessControlUnauthorizedAccount', [stranger.address, writerRoleOf(a)]);
    await expectRevert(registry.connect(issuerA).updateStatuses(b, 0, batch), iface, 'AccessControlUnauthorizedAccount', [issuerA.address, writerRoleOf(b)]);
    await expectRevert(registry.connect(issuerB).updateStatuses(a, 0, batch), iface, 'AccessControlUnauthorizedAccount', [issuerB.address, writerRoleOf(a)]);
    await mined(registry.connect(issuerB).updateStatuses(b, 0, batch));
    expect(await registry.statusOf(b, 1)).toBe(1n);
    expect(await registry.statusOf(a, 1)).toBe(0n);
  });

  test('the registry admin cannot write an issuer list nor grant itself the writer role', async () => {
    const a = await createList(issuerA.address);
    const role = writerRoleOf(a);
    await expectRevert(registry.connect(admin).updateStatuses(a, 0, packDeltas([{ index: 1, value: 1 }])), iface, 'AccessControlUnauthorizedAccount', [admin.address, role]);
    await expectRevert(registry.connect(admin).grantRole(role, admin.address), iface, 'AccessControlUnauthorizedAccount', [admin.address, role]);
    await expectRevert(registry.connect(admin).revokeRole(role, issuerA.address), iface, 'AccessControlUnauthorizedAccount', [admin.address, role]);
    expect(await registry.hasRole(role, issuerA.address)).toBe(true);
  });

  test('nobody can hold the writer role of a list before it exists, nor any unknown role', async () => {
    await createList(issuerA.address);
    const next = writerRoleOf(1);
    await expectRevert(registry.connect(admin).grantRole(next, admin.address), iface, 'StatusRegistryUnknownRole', [next]);
    const other = keccak256(toUtf8Bytes('something else'));
    await expectRevert(registry.connect(admin).grantRole(other, admin.address), iface, 'StatusRegistryUnknownRole', [other]);
    await createList(issuerB.address);
    expect(await registry.hasRole(next, admin.address)).toBe(false);
    await expectRevert(registry.connect(admin).updateStatuses(1, 0, packDeltas([{ index: 1, value: 1 }])), iface, 'AccessControlUnauthorizedAccount', [admin.address, next]);
  });

  test('the admin grants and revokes the registry roles', async () => {
    const creator = await registry.LIST_CREATOR_ROLE();
    await mined(registry.grantRole(ZERO_ROLE, stranger.address));
    expect(await registry.hasRole(ZERO_ROLE, stranger.address)).toBe(true);
    await mined(registry.connect(stranger).grantRole(creator, issuerB.address));
    expect(await registry.hasRole(creator, issuerB.address)).toBe(true);
    await mined(registry.revokeRole(creator, issuerB.address));
    expect(await registry.hasRole(creator, issuerB.address)).toBe(false);
    await expectRevert(registry.connect(issuerA).grantRole(creator, issuerA.address), iface, 'AccessControlUnauthorizedAccount', [issuerA.address, ZERO_ROLE]);
  });

  test('the owner grants a second writer, which writes; writers are peers; revoked writers stop', async () => {
    const a = await createList(issuerA.address);
    const role = writerRoleOf(a);
    const grant = await mined(registry.connect(issuerA).grantRole(role, publisherA2.address));
    expect(events(grant)).toEqual([{ name: 'RoleGranted', args: [role, publisherA2.address, issuerA.address] }]);
    await update(a, 0, [{ index: 7, value: 2 }], publisherA2);
    await update(a, 1, [{ index: 8, value: 2 }], issuerA);
    expect(await registry.statusOf(a, 7)).toBe(2n);
    // The second writer may add the admin, for example for an emergency; then the admin writes.
    await mined(registry.connect(publisherA2).grantRole(role, admin.address));
    await update(a, 2, [{ index: 9, value: 1 }], admin);
    await mined(registry.connect(issuerA).revokeRole(role, admin.address));
    await mined(registry.connect(issuerA).revokeRole(role, publisherA2.address));
    await expectRevert(registry.connect(publisherA2).updateStatuses(a, 3, packDeltas([{ index: 1, value: 1 }])), iface, 'AccessControlUnauthorizedAccount', [publisherA2.address, role]);
    await expectRevert(registry.connect(admin).updateStatuses(a, 3, packDeltas([{ index: 1, value: 1 }])), iface, 'AccessControlUnauthorizedAccount', [admin.address, role]);
    // A writer that renounces loses the right; the owner recorded in listInfo stays.
    await mined(registry.connect(issuerA).renounceRole(role, issuerA.address));
    await expectRevert(registry.connect(issuerA).updateStatuses(a, 3, packDeltas([{ index: 1, value: 1 }])), iface, 'AccessControlUnauthorizedAccount', [issuerA.address, role]);
    expect((await registry.listInfo(a))[0]).toBe(issuerA.address);
  });
});

describe('reads', () => {
  test('statusOf, listInfo and readWords refuse unknown lists', async () => {
    await expectRevert(registry.statusOf(0, 0), iface, 'StatusRegistryUnknownList', [0]);
    await expectRevert(registry.listInfo(0), iface, 'StatusRegistryUnknownList', [0]);
    await expectRevert(registry.readWords(0, 0, 1), iface, 'StatusRegistryUnknownList', [0]);
    await createList();
    await expectRevert(registry.statusOf(1, 0), iface, 'StatusRegistryUnknownList', [1]);
  });

  test('statusOf refuses an index at or past the size', async () => {
    const list = await createList();
    await expectRevert(registry.statusOf(list, MIN_LIST_SIZE), iface, 'StatusRegistryIndexOutOfRange', [list, MIN_LIST_SIZE, MIN_LIST_SIZE]);
    await expectRevert(registry.statusOf(list, 2 ** 32 - 1), iface, 'StatusRegistryIndexOutOfRange', [list, 2 ** 32 - 1, MIN_LIST_SIZE]);
  });

  test('readWords pages, truncates at the end, and bounds the count', async () => {
    const list = await createList();
    await update(list, 0, [{ index: 1023 * 128, value: 2 }]);
    expect([...(await registry.readWords(list, 0, 0))]).toEqual([]);
    expect((await registry.readWords(list, 0, 4096)).length).toBe(1024);
    const tail = [...(await registry.readWords(list, 1000, 100))];
    expect(tail.length).toBe(24);
    expect(tail[23]).toBe(2n);
    expect([...(await registry.readWords(list, 1024, 10))]).toEqual([]);
    await expectRevert(registry.readWords(list, 1025, 1), iface, 'StatusRegistryWordOutOfRange', [list, 1025, 1024]);
    await expectRevert(registry.readWords(list, 0, 4097), iface, 'StatusRegistryReadTooLarge', [4097, 4096]);
    const big = await createList(issuerA.address, MAX_LIST_SIZE);
    expect((await registry.readWords(big, 0, 4096)).length).toBe(4096);
  });
});

describe('against the TypeScript model (fast-check)', () => {
  /** Indices that collide often: the first words, the last words and anywhere. */
  const indexArb = (size: number): fc.Arbitrary<number> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 3 * ENTRIES_PER_WORD - 1 }) },
      { weight: 2, arbitrary: fc.integer({ min: size - 2 * ENTRIES_PER_WORD, max: size + 1 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: size - 1 }) },
    );
  const valueArb = fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.constant(3) });
  const caseArb = fc.integer({ min: 0, max: 200 }).chain((extra) => {
    const size = MIN_LIST_SIZE + extra;
    const batch = fc.record({
      deltas: fc.array(fc.record({ index: indexArb(size), value: valueArb }), { minLength: 1, maxLength: 40 }),
      sorted: fc.boolean(),
    });
    return fc.record({ size: fc.constant(size), batches: fc.array(batch, { minLength: 1, maxLength: 5 }) });
  });

  test('random batches on chain equal the model: errors, words, statusOf, sequence, events', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ size, batches }) => {
        const list = await createList(issuerA.address, size);
        const model = new StatusListModel(size);
        const touched = new Set<number>();
        for (const { deltas: raw, sorted } of batches) {
          const deltas = sorted ? [...raw].sort((x, y) => x.index - y.index) : raw;
          const packed = packDeltas(deltas);
          const sequence = model.sequence;
          const error = model.apply(deltas);
          if (error === undefined) {
            const receipt = await mined(registry.connect(issuerA).updateStatuses(list, sequence, packed));
            expect(events(receipt)).toEqual([{ name: 'StatusesUpdated', args: [BigInt(list), BigInt(sequence), hexlify(packed)] }]);
            for (const d of deltas) touched.add(d.index);
          } else {
            const args =
              error.name === 'StatusRegistryReservedStatus' || error.name === 'StatusRegistryMalformedDeltas' ? error.args : [list, ...error.args];
            await expectRevert(registry.connect(issuerA).updateStatuses(list, sequence, packed), iface, error.name, args);
          }
        }
        expect((await registry.listInfo(list))[2]).toBe(BigInt(model.sequence));
        expect([...(await registry.readWords(list, 0, 4096))]).toEqual(model.words());
        for (const index of touched) expect(await registry.statusOf(list, index)).toBe(BigInt(model.statusOf(index)));
      }),
      { numRuns: 25, seed: 0x5ca1ab1e },
    );
  }, 60_000);

  test('pack/unpack round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ index: fc.integer({ min: 0, max: MAX_LIST_SIZE - 1 }), value: fc.integer({ min: 0, max: 3 }) })), (deltas) => {
        expect(unpackDeltas(packDeltas(deltas))).toEqual(deltas);
      }),
    );
    expect(hexlify(packDeltas([{ index: 1, value: 2 }, { index: MAX_LIST_SIZE - 1, value: 1 }]))).toBe('0x00000006fffffffd');
    expect(() => packDeltas([{ index: MAX_LIST_SIZE, value: 0 }])).toThrow(RangeError);
    expect(() => packDeltas([{ index: 0, value: 4 }])).toThrow(RangeError);
  });
});

describe('storage layout and privacy', () => {
  const slotOf = (key: string | bigint, slot: bigint | string, keyType = 'uint256'): bigint =>
    BigInt(keccak256(abi.encode([keyType, 'uint256'], [key, slot])));

  test('every slot written in a run is a predicted one and holds only list data, role flags and addresses', async () => {
    // A fresh registry so the deployment is traced too.
    const fresh = await deployStatusRegistry(hre, admin);
    const address = await fresh.getAddress();
    const hashes: string[] = [fresh.deploymentTransaction()!.hash];
    const run = async (tx: Promise<ContractTransactionResponse>): Promise<void> => {
      hashes.push((await mined(tx)).hash);
    };
    const models = [new StatusListModel(MIN_LIST_SIZE), new StatusListModel(MIN_LIST_SIZE + 5)];
    await run(fresh.createList(issuerA.address, MIN_LIST_SIZE));
    await run(fresh.createList(issuerB.address, MIN_LIST_SIZE + 5));
    await run(fresh.connect(issuerA).grantRole(writerRoleOf(0), publisherA2.address));
    const batches: [number, HardhatEthersSigner, Delta[]][] = [
      [0, issuerA, [{ index: 1, value: 1 }, { index: 2, value: 2 }, { index: 70_000, value: 2 }]],
      [0, publisherA2, [{ index: 2, value: 0 }, { index: 131_071, value: 1 }]],
      [1, issuerB, [{ index: MIN_LIST_SIZE + 4, value: 2 }, { index: 0, value: 1 }]],
    ];
    const lastBlock = [0n, 0n];
    for (const [list, signer, deltas] of batches) {
      const model = models[list]!;
      const sequence = model.sequence;
      expect(model.apply(deltas)).toBeUndefined();
      const receipt = await mined(fresh.connect(signer).updateStatuses(list, sequence, packDeltas(deltas)));
      hashes.push(receipt.hash);
      lastBlock[list] = BigInt(receipt.blockNumber);
    }

    // What the layout predicts (AccessControl `_roles` at slot 0; then _listCount, _lists, _words).
    const expected = new Map<bigint, bigint>();
    const roleSlot = (role: string): bigint => slotOf(role, 0n, 'bytes32');
    const grant = (role: string, account: string): void => {
      expected.set(slotOf(account, roleSlot(role), 'address'), 1n);
    };
    const creator = await fresh.LIST_CREATOR_ROLE();
    grant(ZERO_ROLE, admin.address);
    grant(creator, admin.address);
    expected.set(1n, 2n);
    const owners = [issuerA.address, issuerB.address];
    for (const [list, model] of models.entries()) {
      const role = writerRoleOf(list);
      expected.set(roleSlot(role) + 1n, BigInt(role));
      grant(role, owners[list]!);
      const meta = slotOf(BigInt(list), 2n);
      expected.set(meta, BigInt(model.size) | (BigInt(model.sequence) << 32n) | (lastBlock[list]! << 96n));
      expected.set(meta + 1n, BigInt(owners[list]!));
      const base = slotOf(BigInt(list), 3n);
      for (const w of model.nonZeroWords()) expected.set(base + BigInt(w), model.word(w));
    }
    grant(writerRoleOf(0), publisherA2.address);
    // Word 0 of list 0 held entry 2 = suspended, then valid: still written, its value is the model's.
    expect(expected.has(slotOf(0n, 3n))).toBe(true);

    const written = new Set<bigint>();
    for (const hash of hashes) {
      const trace = (await hre.network.provider.send('debug_traceTransaction', [hash, { disableMemory: true, disableStack: false, disableStorage: true }])) as {
        structLogs: { op: string; stack: string[] }[];
      };
      for (const step of trace.structLogs) if (step.op === 'SSTORE') written.add(BigInt(`0x${step.stack.at(-1)!}`));
    }
    expect([...written].filter((slot) => !expected.has(slot)).map((s) => toBeHex(s, 32))).toEqual([]);
    for (const [slot, value] of expected) {
      const raw = (await hre.network.provider.send('eth_getStorageAt', [address, toBeHex(slot, 32), 'latest'])) as string;
      expect([toBeHex(slot, 32), BigInt(raw)]).toEqual([toBeHex(slot, 32), value]);
    }
    for (const [list, model] of models.entries()) expect([...(await fresh.readWords(list, 0, 4096))]).toEqual(model.words());
    // Slots next to the layout are empty.
    for (const slot of [0n, 4n, 5n, slotOf(2n, 2n), slotOf(2n, 3n)]) {
      expect(BigInt((await hre.network.provider.send('eth_getStorageAt', [address, toBeHex(slot, 32), 'latest'])) as string)).toBe(0n);
    }

    // Every log is one of the registry's events and carries only ids, indices, bits, roles and addresses.
    const logs = (await hre.network.provider.send('eth_getLogs', [{ address, fromBlock: '0x0', toBlock: 'latest' }])) as { topics: string[]; data: string }[];
    const names = logs.map((log) => fresh.interface.parseLog(log)!.name);
    expect(new Set(names)).toEqual(new Set(['RoleGranted', 'RoleAdminChanged', 'ListCreated', 'StatusesUpdated']));
    const packedSent = batches.map(([, , deltas]) => hexlify(packDeltas(deltas)));
    const packedLogged = logs.filter((_, i) => names[i] === 'StatusesUpdated').map((log) => fresh.interface.parseLog(log)!.args[2] as string);
    expect(packedLogged).toEqual(packedSent);
    const accounts = new Set([admin, issuerA, issuerB, publisherA2].map((s) => zeroPadValue(getAddress(s.address), 32).toLowerCase()));
    for (const log of logs.filter((_, i) => names[i] === 'RoleGranted')) {
      expect(accounts.has(log.topics[2]!.toLowerCase())).toBe(true);
    }
  }, 60_000);
});
