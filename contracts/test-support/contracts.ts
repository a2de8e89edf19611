/**
 * Typed views of the two registries over ethers v6 `BaseContract` (no
 * TypeChain here), and deploy helpers for in-process Hardhat.
 */
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers.js';
import type { BaseContract, BigNumberish, BytesLike, ContractRunner, ContractTransactionResponse } from 'ethers';
import { PROPOSAL_KIND } from '../../registry/chain/contract-abis.js';
import type { HardhatWithEthers } from './hardhat.js';

type Tx = Promise<ContractTransactionResponse>;

/**
 * hardhat-ethers' signers are typed against ethers' CommonJS declarations and
 * this package imports the ESM ones: `connect` accepts both.
 */
type Runner = ContractRunner | HardhatEthersSigner | null;

export interface StatusRegistryContract extends BaseContract {
  connect(runner: Runner): StatusRegistryContract;
  DEFAULT_ADMIN_ROLE(): Promise<string>;
  LIST_CREATOR_ROLE(): Promise<string>;
  MIN_LIST_SIZE(): Promise<bigint>;
  MAX_LIST_SIZE(): Promise<bigint>;
  ENTRIES_PER_WORD(): Promise<bigint>;
  MAX_READ_WORDS(): Promise<bigint>;
  createList(owner: string, size: BigNumberish): Tx;
  updateStatuses(listId: BigNumberish, expectedSequence: BigNumberish, packedDeltas: BytesLike, overrides?: { gasLimit?: BigNumberish }): Tx;
  statusOf(listId: BigNumberish, index: BigNumberish): Promise<bigint>;
  readWords(listId: BigNumberish, fromWord: BigNumberish, count: BigNumberish): Promise<bigint[]>;
  listInfo(listId: BigNumberish): Promise<[owner: string, size: bigint, sequence: bigint, lastUpdateBlock: bigint]>;
  listCount(): Promise<bigint>;
  writerRole(listId: BigNumberish): Promise<string>;
  hasRole(role: BytesLike, account: string): Promise<boolean>;
  getRoleAdmin(role: BytesLike): Promise<string>;
  grantRole(role: BytesLike, account: string): Tx;
  revokeRole(role: BytesLike, account: string): Tx;
  renounceRole(role: BytesLike, callerConfirmation: string): Tx;
  supportsInterface(interfaceId: BytesLike): Promise<boolean>;
}

/** `ITrustedIssuerRegistry.ProposalKind` (the table registry/ uses to talk to the contract). */
export const ProposalKind = PROPOSAL_KIND;
export type ProposalKind = (typeof ProposalKind)[keyof typeof ProposalKind];

/** `ITrustedIssuerRegistry.Issuer` as ethers returns it. */
export interface IssuerResult {
  did: string;
  controller: string;
  keyThumbprints: string[];
  credentialTypes: string[];
  validFrom: bigint;
  validUntil: bigint;
  suspended: boolean;
}

/** `ITrustedIssuerRegistry.Proposal` as ethers returns it. */
export interface ProposalResult {
  kind: bigint;
  proposer: string;
  data: string;
  createdAt: bigint;
  executed: boolean;
}

export interface TrustedIssuerRegistryContract extends BaseContract {
  connect(runner: Runner): TrustedIssuerRegistryContract;
  MAX_MEMBERS(): Promise<bigint>;
  MAX_DID_LENGTH(): Promise<bigint>;
  MAX_KEYS(): Promise<bigint>;
  MAX_CREDENTIAL_TYPES(): Promise<bigint>;
  MAX_CREDENTIAL_TYPE_LENGTH(): Promise<bigint>;
  propose(kind: BigNumberish, data: BytesLike): Tx;
  approve(proposalId: BigNumberish): Tx;
  execute(proposalId: BigNumberish): Tx;
  validateProposal(kind: BigNumberish, data: BytesLike): Promise<void>;
  rotateIssuerKeys(issuerId: BytesLike, keyThumbprints: BytesLike[]): Tx;
  suspendOwnIssuer(issuerId: BytesLike): Tx;
  members(): Promise<string[]>;
  isMember(account: string): Promise<boolean>;
  threshold(): Promise<bigint>;
  proposalCount(): Promise<bigint>;
  proposal(proposalId: BigNumberish): Promise<ProposalResult>;
  approvals(proposalId: BigNumberish): Promise<bigint>;
  hasApproved(proposalId: BigNumberish, member: string): Promise<boolean>;
  issuerIds(): Promise<string[]>;
  issuer(issuerId: BytesLike): Promise<IssuerResult>;
  issuerIdOf(did: string): Promise<string>;
}

/** Deploys `StatusRegistry` from `deployer` (the first signer by default). */
export async function deployStatusRegistry(hre: HardhatWithEthers, deployer?: HardhatEthersSigner): Promise<StatusRegistryContract> {
  const factory = await hre.ethers.getContractFactory('StatusRegistry', deployer);
  const contract = await factory.deploy();
  await contract.waitForDeployment();
  return contract as unknown as StatusRegistryContract;
}

/** Deploys `TrustedIssuerRegistry` with `members` and `threshold` from `deployer` (the first signer by default). */
export async function deployTrustedIssuerRegistry(
  hre: HardhatWithEthers,
  members: readonly string[],
  threshold: BigNumberish,
  deployer?: HardhatEthersSigner,
): Promise<TrustedIssuerRegistryContract> {
  const factory = await hre.ethers.getContractFactory('TrustedIssuerRegistry', deployer);
  const contract = await factory.deploy([...members], threshold);
  await contract.waitForDeployment();
  return contract as unknown as TrustedIssuerRegistryContract;
}
