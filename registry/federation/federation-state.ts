import type { FederationProposal, RegisteredIssuer, TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';

/** A proposal with the approvals that count now. */
export interface ProposalStanding extends FederationProposal {
  approvals: number;
}

/** The federation as the trusted-issuer registry holds it. */
export interface FederationState {
  members: string[];
  threshold: number;
  issuers: RegisteredIssuer[];
  /** Proposals not executed yet (all proposals with `includeExecuted`), oldest first. */
  proposals: ProposalStanding[];
}

/**
 * Reads the federation: members, threshold, every issuer, and the open
 * proposals with their current approvals. Reads every proposal ever made
 * (the registry keeps no index of open ones): one call per proposal.
 *
 * @throws UrbisError `CHAIN_UNREACHABLE`.
 *
 * @example
 * ```ts
 * const { members, threshold, proposals } = await readFederation({ trust });
 * ```
 */
export async function readFederation({ trust, includeExecuted = false }: { trust: TrustedIssuerRegistryClient; includeExecuted?: boolean }): Promise<FederationState> {
  const members = await trust.members();
  const threshold = await trust.threshold();
  const issuers = await trust.issuers();
  const count = await trust.proposalCount();
  const proposals: ProposalStanding[] = [];
  for (let proposalId = 0; proposalId < count; proposalId++) {
    const proposal = await trust.proposal(proposalId);
    if (proposal.executed && !includeExecuted) continue;
    proposals.push({ ...proposal, approvals: await trust.approvals(proposalId) });
  }
  return { members, threshold, issuers, proposals };
}
