import { AbiCoder, Contract, keccak256, toUtf8Bytes, type ContractRunner, type JsonRpcProvider } from 'ethers';
import { callView, eventArgument, sendAndWait } from './contract-calls.js';
import { PROPOSAL_KIND, TRUSTED_ISSUER_REGISTRY_ABI, TRUSTED_ISSUER_REGISTRY_ERRORS, type ProposalKindName } from './contract-abis.js';

/** An issuer as the federation registry lists it. */
export interface RegisteredIssuer {
  issuerId: string;
  did: string;
  controller: string;
  /** RFC 7638 SHA-256 thumbprints, as 0x-prefixed 32-byte hex. */
  keyThumbprints: string[];
  credentialTypes: string[];
  validFrom: number;
  validUntil: number;
  suspended: boolean;
}

/** What a proposal asks for, by kind (see ITrustedIssuerRegistry's NatSpec). */
export type ProposalRequest =
  | { kind: 'AdmitMember' | 'RemoveMember'; member: string }
  | { kind: 'ChangeThreshold'; threshold: number }
  | {
      kind: 'AccreditIssuer';
      did: string;
      controller: string;
      keyThumbprints: string[];
      credentialTypes: string[];
      validFrom: number;
      validUntil: number;
    }
  | { kind: 'UpdateAccreditation'; issuerId: string; credentialTypes: string[]; validFrom: number; validUntil: number }
  | { kind: 'SuspendIssuer' | 'UnsuspendIssuer' | 'RemoveIssuer'; issuerId: string };

const coder = AbiCoder.defaultAbiCoder();

/** ABI-encodes a proposal's data for `propose(kind, data)`. */
export function encodeProposal(request: ProposalRequest): { kind: number; data: string } {
  const kind = PROPOSAL_KIND[request.kind as ProposalKindName];
  switch (request.kind) {
    case 'AdmitMember':
    case 'RemoveMember':
      return { kind, data: coder.encode(['address'], [request.member]) };
    case 'ChangeThreshold':
      return { kind, data: coder.encode(['uint256'], [request.threshold]) };
    case 'AccreditIssuer':
      return {
        kind,
        data: coder.encode(
          ['string', 'address', 'bytes32[]', 'string[]', 'uint64', 'uint64'],
          [request.did, request.controller, request.keyThumbprints, request.credentialTypes, request.validFrom, request.validUntil],
        ),
      };
    case 'UpdateAccreditation':
      return { kind, data: coder.encode(['bytes32', 'string[]', 'uint64', 'uint64'], [request.issuerId, request.credentialTypes, request.validFrom, request.validUntil]) };
    case 'SuspendIssuer':
    case 'UnsuspendIssuer':
    case 'RemoveIssuer':
      return { kind, data: coder.encode(['bytes32'], [request.issuerId]) };
  }
}

/** `issuerId` of a DID: keccak256 of its UTF-8 bytes (as the contract computes it). */
export function issuerIdOf(did: string): string {
  return keccak256(toUtf8Bytes(did));
}

/**
 * A typed client of a deployed TrustedIssuerRegistry: federation governance
 * (propose, approve, execute) and the full read-out used to build snapshots.
 */
export class TrustedIssuerRegistryClient {
  readonly address: string;
  readonly #contract: Contract;
  readonly #provider: JsonRpcProvider;

  constructor({ address, provider, runner }: { address: string; provider: JsonRpcProvider; runner?: ContractRunner }) {
    this.address = address;
    this.#provider = provider;
    this.#contract = new Contract(address, [...TRUSTED_ISSUER_REGISTRY_ABI, ...TRUSTED_ISSUER_REGISTRY_ERRORS], runner ?? provider);
  }

  connect(runner: ContractRunner): TrustedIssuerRegistryClient {
    return new TrustedIssuerRegistryClient({ address: this.address, provider: this.#provider, runner });
  }

  /** Creates a proposal (the proposer's approval counts) and returns its id. */
  async propose(request: ProposalRequest): Promise<number> {
    const { kind, data } = encodeProposal(request);
    const receipt = await sendAndWait(this.#contract, 'propose', kind, data);
    return Number(eventArgument(this.#contract, receipt, 'ProposalCreated', 'proposalId'));
  }

  async approve(proposalId: number): Promise<void> {
    await sendAndWait(this.#contract, 'approve', proposalId);
  }

  async execute(proposalId: number): Promise<void> {
    await sendAndWait(this.#contract, 'execute', proposalId);
  }

  async rotateIssuerKeys({ issuerId, keyThumbprints }: { issuerId: string; keyThumbprints: string[] }): Promise<void> {
    await sendAndWait(this.#contract, 'rotateIssuerKeys', issuerId, keyThumbprints);
  }

  async suspendOwnIssuer(issuerId: string): Promise<void> {
    await sendAndWait(this.#contract, 'suspendOwnIssuer', issuerId);
  }

  async members(): Promise<string[]> {
    return [...((await callView(this.#contract, 'members')) as string[])];
  }

  async threshold(): Promise<number> {
    return Number(await callView(this.#contract, 'threshold'));
  }

  /** Every issuer currently registered, read in full (for snapshots). */
  async issuers({ blockTag }: { blockTag?: number } = {}): Promise<RegisteredIssuer[]> {
    const overrides = blockTag === undefined ? [] : [{ blockTag }];
    const ids = (await callView(this.#contract, 'issuerIds', ...overrides)) as string[];
    const out: RegisteredIssuer[] = [];
    for (const issuerId of ids) {
      const entry = (await callView(this.#contract, 'issuer', issuerId, ...overrides)) as {
        did: string;
        controller: string;
        keyThumbprints: string[];
        credentialTypes: string[];
        validFrom: bigint;
        validUntil: bigint;
        suspended: boolean;
      };
      out.push({
        issuerId,
        did: entry.did,
        controller: entry.controller,
        keyThumbprints: [...entry.keyThumbprints],
        credentialTypes: [...entry.credentialTypes],
        validFrom: Number(entry.validFrom),
        validUntil: Number(entry.validUntil),
        suspended: entry.suspended,
      });
    }
    return out;
  }
}
