import { AbiCoder, Contract, keccak256, toUtf8Bytes, type ContractRunner, type JsonRpcProvider } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toChainError } from './chain-errors.js';
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
    const receipt = await this.#send('propose', kind, data);
    for (const log of receipt.logs) {
      const parsed = this.#contract.interface.parseLog(log);
      if (parsed?.name === 'ProposalCreated') return Number(parsed.args.proposalId);
    }
    throw new UrbisError('CHAIN_TX_REVERTED', 'propose emitted no ProposalCreated event');
  }

  async approve(proposalId: number): Promise<void> {
    await this.#send('approve', proposalId);
  }

  async execute(proposalId: number): Promise<void> {
    await this.#send('execute', proposalId);
  }

  async rotateIssuerKeys({ issuerId, keyThumbprints }: { issuerId: string; keyThumbprints: string[] }): Promise<void> {
    await this.#send('rotateIssuerKeys', issuerId, keyThumbprints);
  }

  async suspendOwnIssuer(issuerId: string): Promise<void> {
    await this.#send('suspendOwnIssuer', issuerId);
  }

  async members(): Promise<string[]> {
    return [...((await this.#call('members')) as string[])];
  }

  async threshold(): Promise<number> {
    return Number(await this.#call('threshold'));
  }

  /** Every issuer currently registered, read in full (for snapshots). */
  async issuers({ blockTag }: { blockTag?: number } = {}): Promise<RegisteredIssuer[]> {
    const overrides = blockTag === undefined ? [] : [{ blockTag }];
    const ids = (await this.#call('issuerIds', ...overrides)) as string[];
    const out: RegisteredIssuer[] = [];
    for (const issuerId of ids) {
      const entry = (await this.#call('issuer', issuerId, ...overrides)) as {
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

  async #send(name: string, ...args: unknown[]) {
    try {
      const tx = await this.#contract.getFunction(name)(...args);
      const receipt = await tx.wait();
      if (receipt === null) throw new UrbisError('CHAIN_TX_REVERTED', `${name} was not mined`);
      return receipt;
    } catch (error) {
      throw toChainError(error, name, { errors: this.#contract.interface });
    }
  }

  async #call(name: string, ...args: unknown[]): Promise<unknown> {
    try {
      return await this.#contract.getFunction(name).staticCall(...args);
    } catch (error) {
      throw toChainError(error, name, { errors: this.#contract.interface });
    }
  }
}
