/**
 * TrustedIssuerRegistry (contracts/src/TrustedIssuerRegistry.sol) on
 * in-process Hardhat: the M-of-N life cycle of proposals, every kind of
 * change, the controller's own powers, every custom error, exact events, and
 * a storage/privacy check that every slot written in a run is one the layout
 * predicts from what the views expose.
 */
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers.js';
import { AbiCoder, Wallet, concat, getBytes, hexlify, keccak256, toBeHex, toUtf8Bytes, zeroPadBytes, zeroPadValue, type ContractTransactionReceipt, type ContractTransactionResponse, type Interface } from 'ethers';
import { ProposalKind, deployTrustedIssuerRegistry, type IssuerResult, type TrustedIssuerRegistryContract } from './test-support/contracts.js';
import { chainSnapshot, loadHardhat, type HardhatWithEthers } from './test-support/hardhat.js';
import { expectRevert, expectRevertWithoutData } from './test-support/revert.js';

const abi = AbiCoder.defaultAbiCoder();
const ZERO = `0x${'00'.repeat(20)}`;
const MAX_U64 = 2n ** 64n - 1n;

let hre: HardhatWithEthers;
let registry: TrustedIssuerRegistryContract;
let iface: Interface;
let m1: HardhatEthersSigner;
let m2: HardhatEthersSigner;
let m3: HardhatEthersSigner;
let m4: HardhatEthersSigner;
let m5: HardhatEthersSigner;
let outsider: HardhatEthersSigner;
let snapshot: { revert(): Promise<void> };

beforeAll(async () => {
  hre = await loadHardhat();
  [m1, m2, m3, m4, m5, outsider] = (await hre.ethers.getSigners()) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  // The default federation: 2 of 3.
  registry = await deployTrustedIssuerRegistry(hre, [m1.address, m2.address, m3.address], 2, m1);
  iface = registry.interface;
  snapshot = await chainSnapshot(hre);
}, 120_000);

afterEach(async () => {
  await snapshot.revert();
});

// ───────────── encodings (ITrustedIssuerRegistry NatSpec) ─────────────

interface Accreditation {
  did: string;
  controller: string;
  keys: string[];
  types: string[];
  validFrom: bigint;
  validUntil: bigint;
}

const thumb = (n: number): string => keccak256(toUtf8Bytes(`key ${n}`));
const encAddress = (a: string): string => abi.encode(['address'], [a]);
const encThreshold = (t: bigint | number): string => abi.encode(['uint256'], [t]);
const encIssuerId = (id: string): string => abi.encode(['bytes32'], [id]);
const encAccredit = (a: Accreditation): string =>
  abi.encode(['string', 'address', 'bytes32[]', 'string[]', 'uint64', 'uint64'], [a.did, a.controller, a.keys, a.types, a.validFrom, a.validUntil]);
const encUpdate = (id: string, types: string[], validFrom: bigint, validUntil: bigint): string =>
  abi.encode(['bytes32', 'string[]', 'uint64', 'uint64'], [id, types, validFrom, validUntil]);
const issuerIdOf = (did: string): string => keccak256(toUtf8Bytes(did));

const accreditation = (over: Partial<Accreditation> = {}): Accreditation => ({
  did: 'did:web:issuer.barcelona.example',
  controller: m1.address,
  keys: [thumb(1), thumb(2)],
  types: ['ResidenceCredential', 'LibraryCardCredential'],
  validFrom: 1_700_000_000n,
  validUntil: 1_900_000_000n,
  ...over,
});

// ───────────── helpers ─────────────

async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error('no receipt');
  return receipt;
}

function events(receipt: ContractTransactionReceipt, contract: TrustedIssuerRegistryContract = registry): { name: string; args: unknown[] }[] {
  return receipt.logs.map((log) => {
    const parsed = contract.interface.parseLog(log);
    if (parsed === null) throw new Error(`unknown log ${log.topics[0]}`);
    return { name: parsed.name, args: [...parsed.args].map((a) => (Array.isArray(a) ? [...(a as unknown[])] : a)) };
  });
}

/** Proposes as `approvers[0]`, approves with the others, and returns the proposal id. */
async function proposeApproved(kind: ProposalKind, data: string, approvers: HardhatEthersSigner[], contract = registry): Promise<bigint> {
  const id = await contract.proposalCount();
  await mined(contract.connect(approvers[0]!).propose(kind, data));
  for (const member of approvers.slice(1)) await mined(contract.connect(member).approve(id));
  return id;
}

/** Proposes, approves and executes; returns the execution's receipt. */
async function pass(kind: ProposalKind, data: string, approvers: HardhatEthersSigner[] = [m1, m2], contract = registry): Promise<ContractTransactionReceipt> {
  const id = await proposeApproved(kind, data, approvers, contract);
  return mined(contract.connect(approvers[0]!).execute(id));
}

function plainIssuer(r: IssuerResult): Omit<IssuerResult, never> {
  return {
    did: r.did,
    controller: r.controller,
    keyThumbprints: [...r.keyThumbprints],
    credentialTypes: [...r.credentialTypes],
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    suspended: r.suspended,
  };
}

async function accredit(over: Partial<Accreditation> = {}): Promise<{ id: string; a: Accreditation; receipt: ContractTransactionReceipt }> {
  const a = accreditation(over);
  const receipt = await pass(ProposalKind.AccreditIssuer, encAccredit(a));
  return { id: issuerIdOf(a.did), a, receipt };
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

// ───────────── tests ─────────────

describe('constructor', () => {
  test('admits the initial members, sets the threshold, emits MemberAdmitted each and ThresholdChanged', async () => {
    const fresh = await deployTrustedIssuerRegistry(hre, [m1.address, m2.address, m3.address], 2, m4);
    const receipt = await fresh.deploymentTransaction()!.wait();
    expect(events(receipt!, fresh)).toEqual([
      { name: 'MemberAdmitted', args: [m1.address] },
      { name: 'MemberAdmitted', args: [m2.address] },
      { name: 'MemberAdmitted', args: [m3.address] },
      { name: 'ThresholdChanged', args: [2n] },
    ]);
    expect([...(await fresh.members())]).toEqual([m1.address, m2.address, m3.address]);
    expect(await fresh.threshold()).toBe(2n);
    expect(await fresh.isMember(m1.address)).toBe(true);
    expect(await fresh.isMember(m4.address)).toBe(false);
    expect(await fresh.proposalCount()).toBe(0n);
    expect([...(await fresh.issuerIds())]).toEqual([]);
    expect(await fresh.MAX_MEMBERS()).toBe(128n);
    expect(await fresh.MAX_DID_LENGTH()).toBe(256n);
    expect(await fresh.MAX_KEYS()).toBe(16n);
    expect(await fresh.MAX_CREDENTIAL_TYPES()).toBe(32n);
    expect(await fresh.MAX_CREDENTIAL_TYPE_LENGTH()).toBe(128n);
  });

  test('refuses a bad threshold, a zero or duplicate member, no members, too many members', async () => {
    const three = [m1.address, m2.address, m3.address];
    await expectRevert(deployTrustedIssuerRegistry(hre, three, 0), iface, 'TrustedIssuerRegistryThresholdOutOfRange', [0, 3]);
    await expectRevert(deployTrustedIssuerRegistry(hre, three, 4), iface, 'TrustedIssuerRegistryThresholdOutOfRange', [4, 3]);
    await expectRevert(deployTrustedIssuerRegistry(hre, [], 1), iface, 'TrustedIssuerRegistryThresholdOutOfRange', [1, 0]);
    await expectRevert(deployTrustedIssuerRegistry(hre, [m1.address, ZERO], 1), iface, 'TrustedIssuerRegistryZeroAddress', []);
    await expectRevert(deployTrustedIssuerRegistry(hre, [m1.address, m2.address, m1.address], 1), iface, 'TrustedIssuerRegistryAlreadyMember', [m1.address]);
    const many = Array.from({ length: 129 }, (_, i) => toBeHex(i + 1, 20));
    await expectRevert(deployTrustedIssuerRegistry(hre, many, 1), iface, 'TrustedIssuerRegistryTooManyMembers', [128]);
  });

  test('a 1-of-1 federation proposes and executes alone, and cannot remove its last member', async () => {
    const solo = await deployTrustedIssuerRegistry(hre, [m1.address], 1, m1);
    const admit = await pass(ProposalKind.AdmitMember, encAddress(m2.address), [m1], solo);
    expect(events(admit, solo)).toEqual([
      { name: 'MemberAdmitted', args: [m2.address] },
      { name: 'ProposalExecuted', args: [0n] },
    ]);
    await pass(ProposalKind.RemoveMember, encAddress(m2.address), [m1], solo);
    const id = await proposeApproved(ProposalKind.RemoveMember, encAddress(m1.address), [m1], solo);
    await expectRevert(solo.connect(m1).execute(id), iface, 'TrustedIssuerRegistryThresholdOutOfRange', [1, 0]);
    expect([...(await solo.members())]).toEqual([m1.address]);
    expect((await solo.proposal(id)).executed).toBe(false);
  });
});

describe('propose', () => {
  test('records the proposal with the proposer approving; emits ProposalCreated and ProposalApproved', async () => {
    const data = encAddress(m4.address);
    const receipt = await mined(registry.connect(m2).propose(ProposalKind.AdmitMember, data));
    expect(events(receipt)).toEqual([
      { name: 'ProposalCreated', args: [0n, BigInt(ProposalKind.AdmitMember), m2.address] },
      { name: 'ProposalApproved', args: [0n, m2.address] },
    ]);
    const block = await hre.ethers.provider.getBlock(receipt.blockNumber);
    const p = await registry.proposal(0);
    expect([p.kind, p.proposer, p.data, p.createdAt, p.executed]).toEqual([0n, m2.address, data, BigInt(block!.timestamp), false]);
    expect(await registry.proposalCount()).toBe(1n);
    expect(await registry.approvals(0)).toBe(1n);
    expect(await registry.hasApproved(0, m2.address)).toBe(true);
    expect(await registry.hasApproved(0, m1.address)).toBe(false);
    expect(await registry.hasApproved(0, outsider.address)).toBe(false);
    await mined(registry.connect(m1).propose(ProposalKind.ChangeThreshold, encThreshold(3)));
    expect(await registry.proposalCount()).toBe(2n);
  });

  test('members only', async () => {
    await expectRevert(registry.connect(outsider).propose(ProposalKind.AdmitMember, encAddress(outsider.address)), iface, 'TrustedIssuerRegistryNotMember', [outsider.address]);
  });

  test('accepts every kind with well-formed data', async () => {
    const id = issuerIdOf('did:web:x.example');
    const datas: [ProposalKind, string][] = [
      [ProposalKind.AdmitMember, encAddress(m4.address)],
      [ProposalKind.RemoveMember, encAddress(m3.address)],
      [ProposalKind.ChangeThreshold, encThreshold(99)], // above the member count: checked at execution
      [ProposalKind.AccreditIssuer, encAccredit(accreditation({ controller: m5.address }))], // controller checked at execution
      [ProposalKind.UpdateAccreditation, encUpdate(id, ['A'], 0n, MAX_U64)],
      [ProposalKind.SuspendIssuer, encIssuerId(id)],
      [ProposalKind.UnsuspendIssuer, encIssuerId(id)],
      [ProposalKind.RemoveIssuer, encIssuerId(id)],
    ];
    for (const [kind, data] of datas) {
      await registry.validateProposal(kind, data);
      await mined(registry.connect(m1).propose(kind, data));
    }
    expect(await registry.proposalCount()).toBe(8n);
  });

  test('refuses data that does not decode, or is not the canonical encoding, with MalformedProposal(kind)', async () => {
    const good = encAccredit(accreditation());
    const dirtyAddress = `0x${'01'.padStart(24, '0')}${m4.address.slice(2)}`;
    const cases: [ProposalKind, string][] = [
      [ProposalKind.AdmitMember, '0x'],
      [ProposalKind.AdmitMember, '0x1234'],
      [ProposalKind.AdmitMember, concat([encAddress(m4.address), '0x00'])], // trailing byte
      [ProposalKind.AdmitMember, concat([encAddress(m4.address), encAddress(m4.address)])], // trailing word
      [ProposalKind.AdmitMember, dirtyAddress], // high bits set
      [ProposalKind.RemoveMember, '0x'],
      [ProposalKind.ChangeThreshold, '0x01'],
      [ProposalKind.AccreditIssuer, '0x'],
      [ProposalKind.AccreditIssuer, good.slice(0, good.length - 64)], // truncated
      [ProposalKind.AccreditIssuer, concat([good, zeroPadValue('0x', 32)])], // trailing word
      [ProposalKind.AccreditIssuer, concat([zeroPadValue('0xffff', 32), getBytes(good).slice(32)])], // first offset out of bounds
      [ProposalKind.AccreditIssuer, encAddress(m1.address)],
      [ProposalKind.UpdateAccreditation, encIssuerId(thumb(1))],
      [ProposalKind.SuspendIssuer, '0x'],
      [ProposalKind.UnsuspendIssuer, concat([encIssuerId(thumb(1)), '0x00'])],
      [ProposalKind.RemoveIssuer, '0x00'],
    ];
    for (const [kind, data] of cases) {
      await expectRevert(registry.connect(m1).propose(kind, data), iface, 'TrustedIssuerRegistryMalformedProposal', [kind]);
    }
    expect(await registry.proposalCount()).toBe(0n);
  });

  test('a non-canonical but decodable encoding (a moved tail) is refused', async () => {
    // (bytes32 id, string[] types, uint64, uint64) with the string[] tail placed one word later.
    const canonical = getBytes(encUpdate(thumb(1), ['A'], 1n, 2n));
    const moved = concat([canonical.slice(0, 32), zeroPadValue('0xa0', 32), canonical.slice(64, 128), zeroPadValue('0x', 32), canonical.slice(128)]);
    const decoded = abi.decode(['bytes32', 'string[]', 'uint64', 'uint64'], moved);
    expect([...(decoded[1] as string[])]).toEqual(['A']); // it does decode
    await expectRevert(registry.connect(m1).propose(ProposalKind.UpdateAccreditation, moved), iface, 'TrustedIssuerRegistryMalformedProposal', [ProposalKind.UpdateAccreditation]);
  });

  test('an out-of-range kind is refused by the ABI decoder (revert without data)', async () => {
    const data = iface.encodeFunctionData('propose', [0, encAddress(m4.address)]);
    const raw = `${data.slice(0, 10)}${toBeHex(8, 32).slice(2)}${data.slice(74)}`;
    await expectRevertWithoutData(m1.sendTransaction({ to: await registry.getAddress(), data: raw }));
    expect(await registry.proposalCount()).toBe(0n);
  });

  test('validateProposal: passes good data, reverts without data on undecodable data, names bad canonical form', async () => {
    await registry.validateProposal(ProposalKind.AccreditIssuer, encAccredit(accreditation()));
    await expectRevertWithoutData(registry.validateProposal(ProposalKind.AccreditIssuer, '0x'));
    await expectRevert(registry.validateProposal(ProposalKind.AdmitMember, concat([encAddress(m4.address), '0x00'])), iface, 'TrustedIssuerRegistryMalformedProposal', [0]);
  });

  test('stateless checks: zero addresses, threshold 0', async () => {
    await expectRevert(registry.connect(m1).propose(ProposalKind.AdmitMember, encAddress(ZERO)), iface, 'TrustedIssuerRegistryZeroAddress', []);
    await expectRevert(registry.connect(m1).propose(ProposalKind.RemoveMember, encAddress(ZERO)), iface, 'TrustedIssuerRegistryZeroAddress', []);
    await expectRevert(registry.connect(m1).propose(ProposalKind.ChangeThreshold, encThreshold(0)), iface, 'TrustedIssuerRegistryThresholdOutOfRange', [0, 3]);
    await expectRevert(registry.connect(m1).propose(ProposalKind.AccreditIssuer, encAccredit(accreditation({ controller: ZERO }))), iface, 'TrustedIssuerRegistryZeroAddress', []);
  });

  test('stateless checks of an accreditation: DID, keys, types, validity, and their bounds', async () => {
    const bad = async (over: Partial<Accreditation>, name: string, args: unknown[] = []): Promise<void> =>
      expectRevert(registry.connect(m1).propose(ProposalKind.AccreditIssuer, encAccredit(accreditation(over))), iface, name, args);
    for (const did of ['', 'did:', 'xid:web:a', 'DID:web:a', `did:web:${'a'.repeat(249)}`]) await bad({ did }, 'TrustedIssuerRegistryInvalidDid');
    for (const keys of [[], Array.from({ length: 17 }, (_, i) => thumb(i)), [thumb(1), ZERO.padEnd(66, '0')], [thumb(1), thumb(2), thumb(1)]]) {
      await bad({ keys }, 'TrustedIssuerRegistryInvalidKeys');
    }
    for (const types of [[], Array.from({ length: 33 }, (_, i) => `T${i}`), ['A', ''], ['A', 'x'.repeat(129)], ['A', 'B', 'A']]) {
      await bad({ types }, 'TrustedIssuerRegistryInvalidCredentialTypes');
    }
    await bad({ validFrom: 5n, validUntil: 5n }, 'TrustedIssuerRegistryInvalidValidity', [5n, 5n]);
    await bad({ validFrom: 6n, validUntil: 5n }, 'TrustedIssuerRegistryInvalidValidity', [6n, 5n]);
    // The bounds themselves are accepted.
    const edge = accreditation({
      did: `did:web:${'a'.repeat(248)}`,
      keys: Array.from({ length: 16 }, (_, i) => thumb(i)),
      types: Array.from({ length: 32 }, (_, i) => `${i}`.padEnd(128, 'x')),
      validFrom: 0n,
      validUntil: 1n,
    });
    expect(toUtf8Bytes(edge.did).length).toBe(256);
    await mined(registry.connect(m1).propose(ProposalKind.AccreditIssuer, encAccredit(edge)));
    await mined(registry.connect(m2).approve(0));
    await mined(registry.connect(m3).execute(0));
    expect(plainIssuer(await registry.issuer(issuerIdOf(edge.did)))).toEqual({
      did: edge.did,
      controller: m1.address,
      keyThumbprints: edge.keys,
      credentialTypes: edge.types,
      validFrom: 0n,
      validUntil: 1n,
      suspended: false,
    });
  });

  test('stateless checks of an accreditation update: types and validity', async () => {
    const id = issuerIdOf('did:web:a');
    await expectRevert(registry.connect(m1).propose(ProposalKind.UpdateAccreditation, encUpdate(id, [], 1n, 2n)), iface, 'TrustedIssuerRegistryInvalidCredentialTypes', []);
    await expectRevert(registry.connect(m1).propose(ProposalKind.UpdateAccreditation, encUpdate(id, ['A', 'A'], 1n, 2n)), iface, 'TrustedIssuerRegistryInvalidCredentialTypes', []);
    await expectRevert(registry.connect(m1).propose(ProposalKind.UpdateAccreditation, encUpdate(id, ['A'], 2n, 1n)), iface, 'TrustedIssuerRegistryInvalidValidity', [2n, 1n]);
  });
});

describe('approve', () => {
  test('records an approval and emits ProposalApproved', async () => {
    await mined(registry.connect(m1).propose(ProposalKind.ChangeThreshold, encThreshold(3)));
    const receipt = await mined(registry.connect(m3).approve(0));
    expect(events(receipt)).toEqual([{ name: 'ProposalApproved', args: [0n, m3.address] }]);
    expect(await registry.approvals(0)).toBe(2n);
    expect(await registry.hasApproved(0, m3.address)).toBe(true);
  });

  test('refuses non-members, unknown proposals, double votes, votes after execution', async () => {
    await mined(registry.connect(m1).propose(ProposalKind.ChangeThreshold, encThreshold(3)));
    await expectRevert(registry.connect(outsider).approve(0), iface, 'TrustedIssuerRegistryNotMember', [outsider.address]);
    await expectRevert(registry.connect(m2).approve(1), iface, 'TrustedIssuerRegistryUnknownProposal', [1]);
    await expectRevert(registry.connect(m1).approve(0), iface, 'TrustedIssuerRegistryAlreadyApproved', [0, m1.address]);
    await mined(registry.connect(m2).approve(0));
    await expectRevert(registry.connect(m2).approve(0), iface, 'TrustedIssuerRegistryAlreadyApproved', [0, m2.address]);
    await mined(registry.connect(m2).execute(0));
    await expectRevert(registry.connect(m3).approve(0), iface, 'TrustedIssuerRegistryProposalAlreadyExecuted', [0]);
  });
});

describe('execute', () => {
  test('needs threshold approvals; anyone member executes; once', async () => {
    await mined(registry.connect(m1).propose(ProposalKind.AdmitMember, encAddress(m4.address)));
    await expectRevert(registry.connect(m1).execute(0), iface, 'TrustedIssuerRegistryNotEnoughApprovals', [1, 2]);
    await expectRevert(registry.connect(outsider).execute(0), iface, 'TrustedIssuerRegistryNotMember', [outsider.address]);
    await expectRevert(registry.connect(m1).execute(1), iface, 'TrustedIssuerRegistryUnknownProposal', [1]);
    await mined(registry.connect(m2).approve(0));
    const receipt = await mined(registry.connect(m3).execute(0));
    expect(events(receipt)).toEqual([
      { name: 'MemberAdmitted', args: [m4.address] },
      { name: 'ProposalExecuted', args: [0n] },
    ]);
    expect((await registry.proposal(0)).executed).toBe(true);
    await expectRevert(registry.connect(m1).execute(0), iface, 'TrustedIssuerRegistryProposalAlreadyExecuted', [0]);
    expect(sorted(await registry.members())).toEqual(sorted([m1.address, m2.address, m3.address, m4.address]));
    // The new member votes at once.
    await mined(registry.connect(m4).propose(ProposalKind.ChangeThreshold, encThreshold(3)));
    expect(await registry.approvals(1)).toBe(1n);
  });

  test('member changes: admit, remove (swap and pop), change threshold; their errors', async () => {
    await expectRevert(pass(ProposalKind.AdmitMember, encAddress(m2.address)), iface, 'TrustedIssuerRegistryAlreadyMember', [m2.address]);
    await expectRevert(pass(ProposalKind.RemoveMember, encAddress(m4.address)), iface, 'TrustedIssuerRegistryUnknownMember', [m4.address]);
    const removed = await pass(ProposalKind.RemoveMember, encAddress(m1.address));
    expect(events(removed)).toEqual([
      { name: 'MemberRemoved', args: [m1.address] },
      { name: 'ProposalExecuted', args: [BigInt(2)] },
    ]);
    expect([...(await registry.members())]).toEqual([m3.address, m2.address]);
    expect(await registry.isMember(m1.address)).toBe(false);
    await expectRevert(registry.connect(m1).propose(ProposalKind.AdmitMember, encAddress(m1.address)), iface, 'TrustedIssuerRegistryNotMember', [m1.address]);
    const changed = await pass(ProposalKind.ChangeThreshold, encThreshold(1), [m2, m3]);
    expect(events(changed)).toEqual([
      { name: 'ThresholdChanged', args: [1n] },
      { name: 'ProposalExecuted', args: [3n] },
    ]);
    expect(await registry.threshold()).toBe(1n);
  });

  test('a threshold above the member count is refused at execution and the proposal stays pending', async () => {
    const id = await proposeApproved(ProposalKind.ChangeThreshold, encThreshold(4), [m1, m2, m3]);
    await expectRevert(registry.connect(m1).execute(id), iface, 'TrustedIssuerRegistryThresholdOutOfRange', [4, 3]);
    expect((await registry.proposal(id)).executed).toBe(false);
    // Once a fourth member is in, the same proposal executes.
    await pass(ProposalKind.AdmitMember, encAddress(m4.address));
    const receipt = await mined(registry.connect(m1).execute(id));
    expect(events(receipt)[0]).toEqual({ name: 'ThresholdChanged', args: [4n] });
    expect(await registry.threshold()).toBe(4n);
  });

  test('a removal that would make the threshold unreachable is refused', async () => {
    await pass(ProposalKind.ChangeThreshold, encThreshold(3));
    const id = await proposeApproved(ProposalKind.RemoveMember, encAddress(m3.address), [m1, m2, m3]);
    await expectRevert(registry.connect(m1).execute(id), iface, 'TrustedIssuerRegistryThresholdOutOfRange', [3, 2]);
    await pass(ProposalKind.ChangeThreshold, encThreshold(2), [m1, m2, m3]);
    await mined(registry.connect(m1).execute(id));
    expect(sorted(await registry.members())).toEqual(sorted([m1.address, m2.address]));
  });

  test('approvals of removed members stop counting, and do not come back on re-admission', async () => {
    await pass(ProposalKind.AdmitMember, encAddress(m4.address));
    await pass(ProposalKind.ChangeThreshold, encThreshold(3));
    // Proposal P: approved by m1, m2, m3.
    const p = await proposeApproved(ProposalKind.AdmitMember, encAddress(m5.address), [m1, m2, m3]);
    expect(await registry.approvals(p)).toBe(3n);
    // Remove m3 (m1, m2, m4 approve).
    await pass(ProposalKind.RemoveMember, encAddress(m3.address), [m1, m2, m4]);
    expect(await registry.approvals(p)).toBe(2n);
    expect(await registry.hasApproved(p, m3.address)).toBe(false);
    await expectRevert(registry.connect(m1).execute(p), iface, 'TrustedIssuerRegistryNotEnoughApprovals', [2, 3]);
    // Re-admit m3: its old approval still does not count; it may approve again.
    await pass(ProposalKind.AdmitMember, encAddress(m3.address), [m1, m2, m4]);
    expect(await registry.approvals(p)).toBe(2n);
    expect(await registry.hasApproved(p, m3.address)).toBe(false);
    await mined(registry.connect(m3).approve(p));
    expect(await registry.approvals(p)).toBe(3n);
    await mined(registry.connect(m4).execute(p));
    expect(await registry.isMember(m5.address)).toBe(true);
  });

  test('no more than MAX_MEMBERS members', async () => {
    const many = [m1.address, ...Array.from({ length: 127 }, (_, i) => toBeHex(i + 1, 20))];
    const full = await deployTrustedIssuerRegistry(hre, many, 1, m1);
    const id = await proposeApproved(ProposalKind.AdmitMember, encAddress(m2.address), [m1], full);
    await expectRevert(full.connect(m1).execute(id), iface, 'TrustedIssuerRegistryTooManyMembers', [128]);
    await pass(ProposalKind.RemoveMember, encAddress(toBeHex(1, 20)), [m1], full);
    const receipt = await mined(full.connect(m1).execute(id));
    expect((await full.members()).length).toBe(128);
    // Counting approvals over a full federation stays cheap.
    expect(receipt.gasUsed < 1_500_000n).toBe(true);
  });
});

describe('issuers by vote', () => {
  test('accredit: stores every field, lists the id, emits IssuerAccredited(id, did, controller)', async () => {
    const { id, a, receipt } = await accredit();
    expect(id).toBe(await registry.issuerIdOf(a.did));
    expect(events(receipt)).toEqual([
      { name: 'IssuerAccredited', args: [id, a.did, m1.address] },
      { name: 'ProposalExecuted', args: [0n] },
    ]);
    expect(plainIssuer(await registry.issuer(id))).toEqual({
      did: a.did,
      controller: a.controller,
      keyThumbprints: a.keys,
      credentialTypes: a.types,
      validFrom: a.validFrom,
      validUntil: a.validUntil,
      suspended: false,
    });
    expect([...(await registry.issuerIds())]).toEqual([id]);
  });

  test('accredit refuses a DID accredited already and a controller that is not a member', async () => {
    const { id } = await accredit();
    await expectRevert(pass(ProposalKind.AccreditIssuer, encAccredit(accreditation({ controller: m2.address }))), iface, 'TrustedIssuerRegistryIssuerAlreadyAccredited', [id]);
    await expectRevert(
      pass(ProposalKind.AccreditIssuer, encAccredit(accreditation({ did: 'did:web:other.example', controller: outsider.address }))),
      iface,
      'TrustedIssuerRegistryControllerNotMember',
      [outsider.address],
    );
  });

  test('update replaces types and validity, keeps DID, controller and keys', async () => {
    const { id, a } = await accredit();
    const receipt = await pass(ProposalKind.UpdateAccreditation, encUpdate(id, ['TransitPassCredential'], 5n, 6n));
    expect(events(receipt)).toEqual([
      { name: 'IssuerAccreditationUpdated', args: [id] },
      { name: 'ProposalExecuted', args: [1n] },
    ]);
    expect(plainIssuer(await registry.issuer(id))).toEqual({
      did: a.did,
      controller: a.controller,
      keyThumbprints: a.keys,
      credentialTypes: ['TransitPassCredential'],
      validFrom: 5n,
      validUntil: 6n,
      suspended: false,
    });
    const unknown = issuerIdOf('did:web:nobody.example');
    await expectRevert(pass(ProposalKind.UpdateAccreditation, encUpdate(unknown, ['A'], 1n, 2n)), iface, 'TrustedIssuerRegistryUnknownIssuer', [unknown]);
  });

  test('suspend and unsuspend by vote; their errors', async () => {
    const { id } = await accredit();
    const suspended = await pass(ProposalKind.SuspendIssuer, encIssuerId(id));
    expect(events(suspended)).toEqual([
      { name: 'IssuerSuspended', args: [id] },
      { name: 'ProposalExecuted', args: [1n] },
    ]);
    expect((await registry.issuer(id)).suspended).toBe(true);
    await expectRevert(pass(ProposalKind.SuspendIssuer, encIssuerId(id)), iface, 'TrustedIssuerRegistryIssuerSuspended', [id]);
    const lifted = await pass(ProposalKind.UnsuspendIssuer, encIssuerId(id));
    expect(events(lifted)).toEqual([
      { name: 'IssuerUnsuspended', args: [id] },
      { name: 'ProposalExecuted', args: [3n] },
    ]);
    expect((await registry.issuer(id)).suspended).toBe(false);
    await expectRevert(pass(ProposalKind.UnsuspendIssuer, encIssuerId(id)), iface, 'TrustedIssuerRegistryIssuerNotSuspended', [id]);
    const unknown = issuerIdOf('did:web:nobody.example');
    await expectRevert(pass(ProposalKind.SuspendIssuer, encIssuerId(unknown)), iface, 'TrustedIssuerRegistryUnknownIssuer', [unknown]);
    await expectRevert(pass(ProposalKind.UnsuspendIssuer, encIssuerId(unknown)), iface, 'TrustedIssuerRegistryUnknownIssuer', [unknown]);
  });

  test('remove deletes the entry and its id; the DID can be accredited again (new controller)', async () => {
    const first = await accredit();
    const second = await accredit({ did: 'did:web:issuer.girona.example', controller: m2.address });
    const third = await accredit({ did: 'did:key:zDnaexample', controller: m3.address });
    const receipt = await pass(ProposalKind.RemoveIssuer, encIssuerId(first.id));
    expect(events(receipt)).toEqual([
      { name: 'IssuerRemoved', args: [first.id] },
      { name: 'ProposalExecuted', args: [3n] },
    ]);
    expect([...(await registry.issuerIds())]).toEqual([third.id, second.id]);
    await expectRevert(registry.issuer(first.id), iface, 'TrustedIssuerRegistryUnknownIssuer', [first.id]);
    await expectRevert(pass(ProposalKind.RemoveIssuer, encIssuerId(first.id)), iface, 'TrustedIssuerRegistryUnknownIssuer', [first.id]);
    const again = await accredit({ controller: m3.address, keys: [thumb(9)], types: ['ResidenceCredential'] });
    expect(again.id).toBe(first.id);
    expect(plainIssuer(await registry.issuer(first.id))).toEqual({
      did: first.a.did,
      controller: m3.address,
      keyThumbprints: [thumb(9)],
      credentialTypes: ['ResidenceCredential'],
      validFrom: first.a.validFrom,
      validUntil: first.a.validUntil,
      suspended: false,
    });
    await pass(ProposalKind.RemoveIssuer, encIssuerId(third.id));
    await pass(ProposalKind.RemoveIssuer, encIssuerId(second.id));
    expect([...(await registry.issuerIds())]).toEqual([first.id]);
  });
});

describe("the controller's own powers", () => {
  test('rotateIssuerKeys: controller only, emits IssuerKeysRotated, keys checked, allowed while suspended', async () => {
    const { id, a } = await accredit();
    const keys = [thumb(7), thumb(8), thumb(9)];
    const receipt = await mined(registry.connect(m1).rotateIssuerKeys(id, keys));
    expect(events(receipt)).toEqual([{ name: 'IssuerKeysRotated', args: [id, keys] }]);
    expect(plainIssuer(await registry.issuer(id))).toMatchObject({ keyThumbprints: keys, credentialTypes: a.types, did: a.did });
    await expectRevert(registry.connect(m2).rotateIssuerKeys(id, keys), iface, 'TrustedIssuerRegistryNotController', [id, m2.address]);
    await expectRevert(registry.connect(outsider).rotateIssuerKeys(id, keys), iface, 'TrustedIssuerRegistryNotController', [id, outsider.address]);
    await expectRevert(registry.connect(m1).rotateIssuerKeys(id, []), iface, 'TrustedIssuerRegistryInvalidKeys', []);
    await expectRevert(registry.connect(m1).rotateIssuerKeys(id, [thumb(1), thumb(1)]), iface, 'TrustedIssuerRegistryInvalidKeys', []);
    await expectRevert(registry.connect(m1).rotateIssuerKeys(id, [zeroPadBytes('0x', 32)]), iface, 'TrustedIssuerRegistryInvalidKeys', []);
    const unknown = issuerIdOf('did:web:nobody.example');
    await expectRevert(registry.connect(m1).rotateIssuerKeys(unknown, keys), iface, 'TrustedIssuerRegistryUnknownIssuer', [unknown]);
    await mined(registry.connect(m1).suspendOwnIssuer(id));
    await mined(registry.connect(m1).rotateIssuerKeys(id, [thumb(10)]));
    expect([...(await registry.issuer(id)).keyThumbprints]).toEqual([thumb(10)]);
  });

  test('suspendOwnIssuer: controller only, emits IssuerSuspended, once; lifting takes a vote', async () => {
    const { id } = await accredit();
    await expectRevert(registry.connect(m2).suspendOwnIssuer(id), iface, 'TrustedIssuerRegistryNotController', [id, m2.address]);
    const unknown = issuerIdOf('did:web:nobody.example');
    await expectRevert(registry.connect(m1).suspendOwnIssuer(unknown), iface, 'TrustedIssuerRegistryUnknownIssuer', [unknown]);
    const receipt = await mined(registry.connect(m1).suspendOwnIssuer(id));
    expect(events(receipt)).toEqual([{ name: 'IssuerSuspended', args: [id] }]);
    expect((await registry.issuer(id)).suspended).toBe(true);
    await expectRevert(registry.connect(m1).suspendOwnIssuer(id), iface, 'TrustedIssuerRegistryIssuerSuspended', [id]);
    await pass(ProposalKind.UnsuspendIssuer, encIssuerId(id));
    expect((await registry.issuer(id)).suspended).toBe(false);
  });

  test('a controller that leaves the federation loses both powers', async () => {
    const { id } = await accredit({ controller: m3.address });
    await pass(ProposalKind.RemoveMember, encAddress(m3.address));
    await expectRevert(registry.connect(m3).rotateIssuerKeys(id, [thumb(5)]), iface, 'TrustedIssuerRegistryNotController', [id, m3.address]);
    await expectRevert(registry.connect(m3).suspendOwnIssuer(id), iface, 'TrustedIssuerRegistryNotController', [id, m3.address]);
    // The federation can still suspend it by vote.
    await pass(ProposalKind.SuspendIssuer, encIssuerId(id));
    expect((await registry.issuer(id)).suspended).toBe(true);
  });
});

describe('views', () => {
  test('unknown proposals and issuers are refused; issuerIdOf hashes the DID bytes', async () => {
    await expectRevert(registry.proposal(0), iface, 'TrustedIssuerRegistryUnknownProposal', [0]);
    await expectRevert(registry.approvals(0), iface, 'TrustedIssuerRegistryUnknownProposal', [0]);
    await expectRevert(registry.hasApproved(0, m1.address), iface, 'TrustedIssuerRegistryUnknownProposal', [0]);
    const id = issuerIdOf('did:web:nobody.example');
    await expectRevert(registry.issuer(id), iface, 'TrustedIssuerRegistryUnknownIssuer', [id]);
    for (const did of ['did:web:a', 'did:web:ajuntament.barcelona.cat:émission', '']) expect(await registry.issuerIdOf(did)).toBe(issuerIdOf(did));
  });
});

// ───────────── storage layout and privacy ─────────────

describe('storage layout and privacy', () => {
  const word = (v: bigint | string): string => toBeHex(v, 32);
  const h = (...parts: [string, unknown][]): bigint => BigInt(keccak256(abi.encode(parts.map((p) => p[0]), parts.map((p) => p[1]))));
  const arrayBase = (slot: bigint): bigint => BigInt(keccak256(word(slot)));

  /** Solidity's storage encoding of `bytes`/`string` at `slot`. */
  function putBytes(out: Map<bigint, bigint>, slot: bigint, data: Uint8Array): void {
    if (data.length < 32) {
      const padded = new Uint8Array(32);
      padded.set(data);
      out.set(slot, BigInt(hexlify(padded)) | BigInt(data.length * 2));
      return;
    }
    out.set(slot, BigInt(data.length * 2 + 1));
    const base = arrayBase(slot);
    for (let k = 0; k * 32 < data.length; k++) {
      const chunk = new Uint8Array(32);
      chunk.set(data.subarray(k * 32, k * 32 + 32));
      out.set(base + BigInt(k), BigInt(hexlify(chunk)));
    }
  }

  /** The storage the layout predicts from what the views expose (epochs excepted). */
  async function layout(contract: TrustedIssuerRegistryContract): Promise<Map<bigint, bigint>> {
    const out = new Map<bigint, bigint>();
    const members = [...(await contract.members())];
    out.set(0n, BigInt(members.length));
    members.forEach((m, i) => {
      out.set(arrayBase(0n) + BigInt(i), BigInt(m));
      out.set(h(['address', m], ['uint256', 1n]), BigInt(i + 1));
    });
    out.set(3n, await contract.threshold());
    const count = await contract.proposalCount();
    out.set(5n, count);
    for (let id = 0n; id < count; id++) {
      const p = await contract.proposal(id);
      const b = h(['uint256', id], ['uint256', 6n]);
      out.set(b, p.kind | (BigInt(p.proposer) << 8n));
      putBytes(out, b + 1n, getBytes(p.data));
      out.set(b + 2n, p.createdAt | ((p.executed ? 1n : 0n) << 64n));
    }
    const ids = [...(await contract.issuerIds())];
    out.set(8n, BigInt(ids.length));
    for (const [i, id] of ids.entries()) {
      out.set(arrayBase(8n) + BigInt(i), BigInt(id));
      out.set(h(['bytes32', id], ['uint256', 9n]), BigInt(i + 1));
      const e = await contract.issuer(id);
      const c = h(['bytes32', id], ['uint256', 10n]);
      putBytes(out, c, toUtf8Bytes(e.did));
      out.set(c + 1n, BigInt(e.controller));
      out.set(c + 2n, BigInt(e.keyThumbprints.length));
      [...e.keyThumbprints].forEach((k, j) => out.set(arrayBase(c + 2n) + BigInt(j), BigInt(k)));
      out.set(c + 3n, BigInt(e.credentialTypes.length));
      [...e.credentialTypes].forEach((t, j) => putBytes(out, arrayBase(c + 3n) + BigInt(j), toUtf8Bytes(t)));
      out.set(c + 4n, e.validFrom | (e.validUntil << 64n) | ((e.suspended ? 1n : 0n) << 128n));
    }
    return out;
  }

  test('every slot written in a full run is predicted by the layout and holds what the views say', async () => {
    const fresh = await deployTrustedIssuerRegistry(hre, [m1.address, m2.address, m3.address], 2, m1);
    const address = await fresh.getAddress();
    const hashes = [fresh.deploymentTransaction()!.hash];
    const ever = new Map<bigint, bigint>();
    const remember = async (): Promise<void> => {
      for (const [slot] of await layout(fresh)) if (!ever.has(slot)) ever.set(slot, 0n);
    };
    await remember();
    const send = async (tx: Promise<ContractTransactionResponse>): Promise<void> => {
      hashes.push((await mined(tx)).hash);
      await remember();
    };
    const passed = async (kind: ProposalKind, data: string, by: HardhatEthersSigner[] = [m1, m2]): Promise<void> => {
      const id = await fresh.proposalCount();
      await send(fresh.connect(by[0]!).propose(kind, data));
      for (const m of by.slice(1)) await send(fresh.connect(m).approve(id));
      await send(fresh.connect(by[0]!).execute(id));
    };
    const long = accreditation({
      did: 'did:web:ajuntament.example.cat:serveis:identitat:emissor',
      types: ['EmpadronamentResidenceCredentialForMunicipalServices', 'LibraryCard'],
    });
    const longId = issuerIdOf(long.did);
    await passed(ProposalKind.AccreditIssuer, encAccredit(long));
    await passed(ProposalKind.UpdateAccreditation, encUpdate(longId, ['LibraryCard', 'TransitPassCredentialWithAVeryLongName'], 10n, 20n));
    await send(fresh.connect(m1).rotateIssuerKeys(longId, [thumb(3), thumb(4), thumb(5)]));
    await send(fresh.connect(m1).suspendOwnIssuer(longId));
    await passed(ProposalKind.UnsuspendIssuer, encIssuerId(longId), [m2, m3]);
    const short = accreditation({ did: 'did:web:b.example', controller: m2.address, types: ['X'] });
    await passed(ProposalKind.AccreditIssuer, encAccredit(short), [m3, m1]);
    await passed(ProposalKind.RemoveIssuer, encIssuerId(longId));
    await passed(ProposalKind.AdmitMember, encAddress(m4.address));
    await passed(ProposalKind.RemoveMember, encAddress(m1.address), [m2, m4]);
    await passed(ProposalKind.ChangeThreshold, encThreshold(3), [m2, m3]);
    await passed(ProposalKind.SuspendIssuer, encIssuerId(issuerIdOf(short.did)), [m2, m3, m4]);
    // A pending proposal with two approvals.
    await send(fresh.connect(m3).propose(ProposalKind.AdmitMember, encAddress(m5.address)));
    await send(fresh.connect(m4).approve(await fresh.proposalCount() - 1n));

    // Epoch slots: _lastEpoch (slot 4), _memberEpoch (slot 2) of every address ever admitted, and approvals (slot 7).
    const admitted = [m1, m2, m3, m4].map((s) => s.address);
    const admissions = 4n;
    const epochSlot = new Map(admitted.map((a) => [h(['address', a], ['uint256', 2n]), a]));
    const approvalSlot = new Map<bigint, [bigint, string]>();
    const proposals = await fresh.proposalCount();
    for (let id = 0n; id < proposals; id++) {
      for (const a of admitted) approvalSlot.set(h(['address', a], ['uint256', h(['uint256', id], ['uint256', 7n])]), [id, a]);
    }

    const written = new Set<bigint>();
    for (const hash of hashes) {
      const trace = (await hre.network.provider.send('debug_traceTransaction', [hash, { disableMemory: true, disableStorage: true }])) as {
        structLogs: { op: string; stack: string[] }[];
      };
      for (const step of trace.structLogs) if (step.op === 'SSTORE') written.add(BigInt(`0x${step.stack.at(-1)!}`));
    }
    const unexpected = [...written].filter((s) => !ever.has(s) && s !== 4n && !epochSlot.has(s) && !approvalSlot.has(s));
    expect(unexpected.map((s) => word(s))).toEqual([]);

    const read = async (slot: bigint): Promise<bigint> => BigInt((await hre.network.provider.send('eth_getStorageAt', [address, word(slot), 'latest'])) as string);
    const final = await layout(fresh);
    for (const slot of ever.keys()) expect([word(slot), await read(slot)]).toEqual([word(slot), final.get(slot) ?? 0n]);
    expect(await read(4n)).toBe(admissions);
    const epochs = new Map<string, bigint>();
    for (const [slot, a] of epochSlot) {
      const e = await read(slot);
      expect(e >= 1n && e <= admissions).toBe(true);
      epochs.set(a, e);
    }
    for (const [slot, [id, a]] of approvalSlot) {
      const v = await read(slot);
      expect(v <= admissions).toBe(true);
      expect(await fresh.hasApproved(id, a)).toBe((await fresh.isMember(a)) && v === epochs.get(a));
    }
    // The removed issuer left nothing behind.
    expect(ever.has(h(['bytes32', longId], ['uint256', 10n]))).toBe(true);
    expect(final.has(h(['bytes32', longId], ['uint256', 10n]))).toBe(false);

    // Events carry only addresses, ids, DIDs, thumbprints, counts.
    const logs = (await hre.network.provider.send('eth_getLogs', [{ address, fromBlock: '0x0', toBlock: 'latest' }])) as { topics: string[]; data: string }[];
    const names = new Set(logs.map((log) => fresh.interface.parseLog(log)!.name));
    expect(names).toEqual(
      new Set([
        'MemberAdmitted',
        'ThresholdChanged',
        'ProposalCreated',
        'ProposalApproved',
        'ProposalExecuted',
        'IssuerAccredited',
        'IssuerAccreditationUpdated',
        'IssuerKeysRotated',
        'IssuerSuspended',
        'IssuerUnsuspended',
        'IssuerRemoved',
        'MemberRemoved',
      ]),
    );
    const dids = logs.map((log) => fresh.interface.parseLog(log)!).filter((e) => e.name === 'IssuerAccredited').map((e) => e.args[1] as string);
    expect(dids).toEqual([long.did, short.did]);
    // Nothing else is stored under a random key: a wallet that never touched the contract has empty slots.
    const stranger = Wallet.createRandom().address;
    for (const s of [1n, 2n]) expect(await read(h(['address', stranger], ['uint256', s]))).toBe(0n);
  }, 60_000);
});
