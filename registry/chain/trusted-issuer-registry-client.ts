import { AbiCoder, Contract, keccak256, toUtf8Bytes, type ContractRunner, type JsonRpcProvider } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
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

/** A proposal as the registry holds it, with its data decoded. */
export interface FederationProposal {
  proposalId: number;
  request: ProposalRequest;
  proposer: string;
  /** Block timestamp of its creation (epoch seconds). */
  createdAt: number;
  executed: boolean;
}

const KIND_NAMES = Object.fromEntries(Object.entries(PROPOSAL_KIND).map(([name, value]) => [value, name])) as Record<number, ProposalKindName>;

/**
 * Decodes a proposal's `(kind, data)` as the registry stores it; the inverse of `encodeProposal`.
 * @throws UrbisError `INVALID_ARGUMENT` for an unknown kind or data that does not decode.
 */
export function decodeProposal({ kind, data }: { kind: number; data: string }): ProposalRequest {
  const name = KIND_NAMES[kind];
  if (name === undefined) throw new UrbisError('INVALID_ARGUMENT', `unknown proposal kind ${kind}`);
  try {
    switch (name) {
      case 'AdmitMember':
      case 'RemoveMember':
        return { kind: name, member: coder.decode(['address'], data)[0] as string };
      case 'ChangeThreshold':
        return { kind: name, threshold: Number(coder.decode(['uint256'], data)[0]) };
      case 'AccreditIssuer': {
        const [did, controller, keys, types, validFrom, validUntil] = coder.decode(['string', 'address', 'bytes32[]', 'string[]', 'uint64', 'uint64'], data);
        return {
          kind: name,
          did: did as string,
          controller: controller as string,
          keyThumbprints: [...(keys as string[])],
          credentialTypes: [...(types as string[])],
          validFrom: Number(validFrom),
          validUntil: Number(validUntil),
        };
      }
      case 'UpdateAccreditation': {
        const [issuerId, types, validFrom, validUntil] = coder.decode(['bytes32', 'string[]', 'uint64', 'uint64'], data);
        return { kind: name, issuerId: issuerId as string, credentialTypes: [...(types as string[])], validFrom: Number(validFrom), validUntil: Number(validUntil) };
      }
      case 'SuspendIssuer':
      case 'UnsuspendIssuer':
      case 'RemoveIssuer':
        return { kind: name, issuerId: coder.decode(['bytes32'], data)[0] as string };
    }
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', `proposal data does not decode as ${name}`, { cause });
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

  async isMember(account: string): Promise<boolean> {
    return (await callView(this.#contract, 'isMember', account)) as boolean;
  }

  /** Number of proposals ever made; ids are `0 .. proposalCount() - 1`. */
  async proposalCount(): Promise<number> {
    return Number(await callView(this.#contract, 'proposalCount'));
  }

  /**
   * Proposal `proposalId`, decoded.
   * @throws UrbisError `RESOURCE_NOT_FOUND` (no such proposal), `CHAIN_UNREACHABLE`.
   */
  async proposal(proposalId: number): Promise<FederationProposal> {
    const p = (await callView(this.#contract, 'proposal', proposalId)) as { kind: bigint; proposer: string; data: string; createdAt: bigint; executed: boolean };
    return { proposalId, request: decodeProposal({ kind: Number(p.kind), data: p.data }), proposer: p.proposer, createdAt: Number(p.createdAt), executed: p.executed };
  }

  /** Approvals of a proposal that count now (current members, current admissions). */
  async approvals(proposalId: number): Promise<number> {
    return Number(await callView(this.#contract, 'approvals', proposalId));
  }

  async hasApproved({ proposalId, member }: { proposalId: number; member: string }): Promise<boolean> {
    return (await callView(this.#contract, 'hasApproved', proposalId, member)) as boolean;
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
