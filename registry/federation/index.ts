/** Federation governance: M-of-N votes on the trusted-issuer registry, and its read-out. Re-exports only. */
export { accreditIssuer, approveProposal, chainThumbprints, executeProposal, proposeChange, type ProposalOutcome } from './federation-votes.js';
export { readFederation, type FederationState, type ProposalStanding } from './federation-state.js';
