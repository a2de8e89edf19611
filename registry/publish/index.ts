/**
 * Published status forms for standard verifiers (DESIGN §3), derived from
 * chain state and signed by the issuer: IETF Status List Token
 * (`statuslist+jwt`) and W3C Bitstring Status List credential (`vc+jwt`).
 */
export { readListFromChain, readListInfo, type ChainListState } from './read-list-from-chain.js';
export { publishTokenStatusList } from './publish-token-status-list.js';
export {
  VC_JWT_CTY,
  VC_JWT_TYP,
  publishBitstringStatusListCredential,
  verifyBitstringStatusListCredentialJwt,
  type PublishedBitstringStatusList,
} from './publish-bitstring-status-list.js';
export { publishListFromChain, type PublishedStatusList } from './publish-from-chain.js';
