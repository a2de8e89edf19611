import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { decodeProposal, encodeProposal, issuerIdOf, type ProposalRequest, type TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';
import { startDeployedRegistries, type DeployedRegistries } from '../testing/deployed-registries.js';
import { readFederation } from './federation-state.js';
import { accreditIssuer, approveProposal, executeProposal, proposeChange } from './federation-votes.js';

const crypto = createNodeCrypto();
const DID = 'did:web:votes.city.example';

describe('decodeProposal', () => {
  const requests: ProposalRequest[] = [
    { kind: 'AdmitMember', member: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
    { kind: 'RemoveMember', member: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
    { kind: 'ChangeThreshold', threshold: 3 },
    { kind: 'AccreditIssuer', did: DID, controller: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', keyThumbprints: [`0x${'ab'.repeat(32)}`], credentialTypes: ['ResidentCredential'], validFrom: 1, validUntil: 2 },
    { kind: 'UpdateAccreditation', issuerId: issuerIdOf(DID), credentialTypes: ['A', 'B'], validFrom: 5, validUntil: 9 },
    { kind: 'SuspendIssuer', issuerId: issuerIdOf(DID) },
    { kind: 'UnsuspendIssuer', issuerId: issuerIdOf(DID) },
    { kind: 'RemoveIssuer', issuerId: issuerIdOf(DID) },
  ];
  it.each(requests.map((r) => [r.kind, r] as const))('%s: decode(encode(request)) is the request', (_kind, request) => {
    expect(decodeProposal(encodeProposal(request))).toEqual(request);
  });
  it('refuses an unknown kind and data that does not decode', () => {
    expect(() => decodeProposal({ kind: 8, data: '0x' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => decodeProposal({ kind: 3, data: '0x1234' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('federation votes (real hardhat node, cities A and B, threshold 2)', () => {
  let r: DeployedRegistries;
  let asA: TrustedIssuerRegistryClient;
  let asB: TrustedIssuerRegistryClient;
  let outsider: TrustedIssuerRegistryClient;
  const key = crypto.generateKeyPair().publicJwk;
  /**
   * Expects a refusal. ethers' NonceManager counts a nonce even when the
   * gas estimate reverts and nothing is sent: reset the signers after each.
   */
  const refused = async (act: Promise<unknown>, code: string): Promise<void> => {
    await expect(act).rejects.toMatchObject({ code });
    for (const signer of r.signers) signer.reset();
  };

  beforeAll(async () => {
    r = await startDeployedRegistries({ threshold: 2 });
    asA = r.trust.connect(r.signers[1]!);
    asB = r.trust.connect(r.signers[2]!);
    outsider = r.trust.connect(r.signers[3]!);
  }, 120_000);
  afterAll(async () => {
    await r?.stop();
  });

  it('a proposal waits for the threshold even with execute, then a second approval executes it', async () => {
    const controller = await r.signers[1]!.getAddress();
    const proposed = await accreditIssuer({ trust: asA, did: DID, controller, keys: [key], credentialTypes: ['ResidentCredential'], hash: crypto.hash });
    expect(proposed).toMatchObject({ approvals: 1, threshold: 2, executed: false });
    const open = await readFederation({ trust: r.trust });
    expect(open.proposals).toEqual([expect.objectContaining({ proposalId: proposed.proposalId, approvals: 1, executed: false, request: expect.objectContaining({ kind: 'AccreditIssuer', did: DID }) })]);
    expect(open.issuers).toEqual([]);

    const approved = await approveProposal({ trust: asB, proposalId: proposed.proposalId, execute: true });
    expect(approved).toMatchObject({ approvals: 2, executed: true });
    const after = await readFederation({ trust: r.trust });
    expect(after.proposals).toEqual([]);
    expect(after.issuers.map((i) => i.did)).toEqual([DID]);
    expect((await readFederation({ trust: r.trust, includeExecuted: true })).proposals).toHaveLength(1);
  }, 60_000);

  it('approve without execute leaves it pending; executeProposal runs it', async () => {
    const proposed = await proposeChange({ trust: asB, request: { kind: 'SuspendIssuer', issuerId: issuerIdOf(DID) }, execute: true });
    expect(proposed.executed).toBe(false);
    expect(await approveProposal({ trust: asA, proposalId: proposed.proposalId })).toMatchObject({ approvals: 2, executed: false });
    expect(await executeProposal({ trust: asA, proposalId: proposed.proposalId })).toMatchObject({ executed: true });
    expect((await r.trust.issuers())[0]!.suspended).toBe(true);
  }, 60_000);

  it.each([
    ['a non-member proposing', 'CHAIN_NOT_AUTHORIZED', () => proposeChange({ trust: outsider, request: { kind: 'ChangeThreshold', threshold: 1 } })],
    ['a proposal the registry refuses (zero address)', 'INVALID_ARGUMENT', () => proposeChange({ trust: asA, request: { kind: 'AdmitMember', member: '0x0000000000000000000000000000000000000000' } })],
    ['an unknown proposal', 'RESOURCE_NOT_FOUND', () => approveProposal({ trust: asA, proposalId: 999 })],
  ] as const)('%s → %s', async (_label, code, act) => {
    await refused(act(), code);
  }, 60_000);

  it('approving twice, executing without enough approvals, and executing twice → STATE_CONFLICT', async () => {
    const { proposalId } = await proposeChange({ trust: asA, request: { kind: 'ChangeThreshold', threshold: 1 } });
    await refused(approveProposal({ trust: asA, proposalId }), 'STATE_CONFLICT');
    await refused(executeProposal({ trust: asA, proposalId }), 'STATE_CONFLICT');
    await approveProposal({ trust: asB, proposalId, execute: true });
    await refused(executeProposal({ trust: asB, proposalId }), 'STATE_CONFLICT');
    expect(await r.trust.threshold()).toBe(1);
  }, 60_000);

  it('a change that no longer applies at execution is refused (ISSUER_SUSPENDED, STATE_CONFLICT) and the proposal stays open', async () => {
    const { proposalId, executed } = await proposeChange({ trust: asA, request: { kind: 'SuspendIssuer', issuerId: issuerIdOf(DID) }, execute: false });
    expect(executed).toBe(false);
    await refused(executeProposal({ trust: asA, proposalId }), 'ISSUER_SUSPENDED');
    const { proposalId: admit } = await proposeChange({ trust: asA, request: { kind: 'AdmitMember', member: await r.signers[2]!.getAddress() } });
    await refused(executeProposal({ trust: asA, proposalId: admit }), 'STATE_CONFLICT');
    expect((await readFederation({ trust: r.trust })).proposals.map((p) => p.proposalId)).toEqual([proposalId, admit]);
  }, 60_000);
});
