/** The chain adapter: JSON-RPC connection, registry clients, deployment. Re-exports only. */
export { CONTRACT_ERROR_CODES, toChainError } from './chain-errors.js';
export { assertDeployed, connectChain, URBIS_LOCAL_CHAIN_ID, type ChainConnection } from './connect-chain.js';
export {
  PROPOSAL_KIND,
  STATUS_REGISTRY_ABI,
  STATUS_REGISTRY_ERRORS,
  TRUSTED_ISSUER_REGISTRY_ABI,
  TRUSTED_ISSUER_REGISTRY_ERRORS,
  type ProposalKindName,
} from './contract-abis.js';
export { compileContracts, loadContractArtifact, type ContractArtifact, type RegistryContractName } from './contract-artifacts.js';
export { headBlock } from './head-block.js';
export { deployRegistries, type RegistryDeployment } from './deploy-registries.js';
export { readDeploymentsFile, writeDeploymentsFile } from './deployments-file.js';
export { MAX_DELTA_INDEX, packStatusDeltas, unpackStatusDeltas, type StatusDelta } from './status-deltas.js';
export {
  ENTRIES_PER_WORD,
  MAX_WORDS_PER_READ,
  StatusRegistryClient,
  checkedAddress,
  wordsToStatusBytes,
  type StatusListInfo,
  type StatusUpdateEvent,
} from './status-registry-client.js';
export {
  TrustedIssuerRegistryClient,
  decodeProposal,
  encodeProposal,
  type FederationProposal,
  issuerIdOf,
  type ProposalRequest,
  type RegisteredIssuer,
} from './trusted-issuer-registry-client.js';
