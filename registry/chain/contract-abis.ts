/**
 * The registries' ABIs in ethers' human-readable form, written from
 * `contracts/src/interfaces/*.sol` (a test checks them against the compiled
 * artifacts, so they cannot drift). Keeping them in code means the chain
 * adapter needs no build step to talk to a deployed registry.
 */
export const STATUS_REGISTRY_ABI = [
  'event ListCreated(uint256 indexed listId, address indexed owner, uint32 size)',
  'event StatusesUpdated(uint256 indexed listId, uint64 indexed sequence, bytes packedDeltas)',
  'function createList(address owner, uint32 size) returns (uint256 listId)',
  'function updateStatuses(uint256 listId, uint64 expectedSequence, bytes packedDeltas)',
  'function statusOf(uint256 listId, uint32 index) view returns (uint8)',
  'function readWords(uint256 listId, uint32 fromWord, uint32 count) view returns (uint256[] words)',
  'function listInfo(uint256 listId) view returns (address owner, uint32 size, uint64 sequence, uint64 lastUpdateBlock)',
  'function listCount() view returns (uint256)',
  'function writerRole(uint256 listId) pure returns (bytes32)',
  'function grantRole(bytes32 role, address account)',
  'function revokeRole(bytes32 role, address account)',
  'function hasRole(bytes32 role, address account) view returns (bool)',
] as const;

export const TRUSTED_ISSUER_REGISTRY_ABI = [
  'event ProposalCreated(uint256 indexed proposalId, uint8 kind, address indexed proposer)',
  'event ProposalApproved(uint256 indexed proposalId, address indexed member)',
  'event ProposalExecuted(uint256 indexed proposalId)',
  'event MemberAdmitted(address indexed member)',
  'event MemberRemoved(address indexed member)',
  'event ThresholdChanged(uint256 threshold)',
  'event IssuerAccredited(bytes32 indexed issuerId, string did, address indexed controller)',
  'event IssuerAccreditationUpdated(bytes32 indexed issuerId)',
  'event IssuerKeysRotated(bytes32 indexed issuerId, bytes32[] keyThumbprints)',
  'event IssuerSuspended(bytes32 indexed issuerId)',
  'event IssuerUnsuspended(bytes32 indexed issuerId)',
  'event IssuerRemoved(bytes32 indexed issuerId)',
  'function propose(uint8 kind, bytes data) returns (uint256 proposalId)',
  'function approve(uint256 proposalId)',
  'function execute(uint256 proposalId)',
  'function rotateIssuerKeys(bytes32 issuerId, bytes32[] keyThumbprints)',
  'function suspendOwnIssuer(bytes32 issuerId)',
  'function members() view returns (address[])',
  'function isMember(address account) view returns (bool)',
  'function threshold() view returns (uint256)',
  'function proposalCount() view returns (uint256)',
  'function proposal(uint256 proposalId) view returns (tuple(uint8 kind, address proposer, bytes data, uint64 createdAt, bool executed))',
  'function approvals(uint256 proposalId) view returns (uint256)',
  'function hasApproved(uint256 proposalId, address member) view returns (bool)',
  'function issuerIds() view returns (bytes32[])',
  'function issuer(bytes32 issuerId) view returns (tuple(string did, address controller, bytes32[] keyThumbprints, string[] credentialTypes, uint64 validFrom, uint64 validUntil, bool suspended))',
  'function issuerIdOf(string did) pure returns (bytes32)',
] as const;

/** ITrustedIssuerRegistry.ProposalKind, in declaration order. */
export const PROPOSAL_KIND = {
  AdmitMember: 0,
  RemoveMember: 1,
  ChangeThreshold: 2,
  AccreditIssuer: 3,
  UpdateAccreditation: 4,
  SuspendIssuer: 5,
  UnsuspendIssuer: 6,
  RemoveIssuer: 7,
} as const;

export type ProposalKindName = keyof typeof PROPOSAL_KIND;

/** Custom errors of StatusRegistry (with OpenZeppelin AccessControl's), for decoding revert data. */
export const STATUS_REGISTRY_ERRORS = [
  'error AccessControlBadConfirmation()',
  'error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)',
  'error StatusRegistryIndexOutOfRange(uint256 listId, uint32 index, uint32 size)',
  'error StatusRegistryListTooLarge(uint32 size, uint32 maximum)',
  'error StatusRegistryListTooSmall(uint32 size, uint32 minimum)',
  'error StatusRegistryMalformedDeltas(uint256 length)',
  'error StatusRegistryReadTooLarge(uint32 count, uint32 maximum)',
  'error StatusRegistryReservedStatus(uint32 index)',
  'error StatusRegistryRevocationIsFinal(uint256 listId, uint32 index)',
  'error StatusRegistrySequenceMismatch(uint256 listId, uint64 expected, uint64 actual)',
  'error StatusRegistryUnknownList(uint256 listId)',
  'error StatusRegistryUnknownRole(bytes32 role)',
  'error StatusRegistryWordOutOfRange(uint256 listId, uint32 fromWord, uint32 wordCount)',
  'error StatusRegistryZeroOwner()',
] as const;

/** Custom errors of TrustedIssuerRegistry, for decoding revert data. */
export const TRUSTED_ISSUER_REGISTRY_ERRORS = [
  'error TrustedIssuerRegistryAlreadyApproved(uint256 proposalId, address member)',
  'error TrustedIssuerRegistryAlreadyMember(address account)',
  'error TrustedIssuerRegistryControllerNotMember(address controller)',
  'error TrustedIssuerRegistryInvalidCredentialTypes()',
  'error TrustedIssuerRegistryInvalidDid()',
  'error TrustedIssuerRegistryInvalidKeys()',
  'error TrustedIssuerRegistryInvalidValidity(uint64 validFrom, uint64 validUntil)',
  'error TrustedIssuerRegistryIssuerAlreadyAccredited(bytes32 issuerId)',
  'error TrustedIssuerRegistryIssuerNotSuspended(bytes32 issuerId)',
  'error TrustedIssuerRegistryIssuerSuspended(bytes32 issuerId)',
  'error TrustedIssuerRegistryMalformedProposal(uint8 kind)',
  'error TrustedIssuerRegistryNotController(bytes32 issuerId, address account)',
  'error TrustedIssuerRegistryNotEnoughApprovals(uint256 have, uint256 need)',
  'error TrustedIssuerRegistryNotMember(address account)',
  'error TrustedIssuerRegistryProposalAlreadyExecuted(uint256 proposalId)',
  'error TrustedIssuerRegistryThresholdOutOfRange(uint256 threshold, uint256 members)',
  'error TrustedIssuerRegistryTooManyMembers(uint256 maximum)',
  'error TrustedIssuerRegistryUnknownIssuer(bytes32 issuerId)',
  'error TrustedIssuerRegistryUnknownMember(address account)',
  'error TrustedIssuerRegistryUnknownProposal(uint256 proposalId)',
  'error TrustedIssuerRegistryZeroAddress()',
] as const;
