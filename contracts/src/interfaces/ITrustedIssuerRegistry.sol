// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ITrustedIssuerRegistry
 * @notice The federation of cities: members admit or remove members, change
 * the approval threshold, and accredit issuers by M-of-N approval
 * (propose → approve → execute).
 *
 * Privacy: the registry holds issuers (organisations) only — their DIDs,
 * RFC 7638 key thumbprints, accredited credential types and validity — and
 * the addresses of member cities. No personal data is ever written here.
 *
 * Proposal data, by kind (ABI-encoded):
 * - AdmitMember, RemoveMember: `(address member)`
 * - ChangeThreshold: `(uint256 threshold)`
 * - AccreditIssuer: `(string did, address controller, bytes32[] keyThumbprints, string[] credentialTypes, uint64 validFrom, uint64 validUntil)`
 * - UpdateAccreditation: `(bytes32 issuerId, string[] credentialTypes, uint64 validFrom, uint64 validUntil)`
 * - SuspendIssuer, UnsuspendIssuer, RemoveIssuer: `(bytes32 issuerId)`
 *
 * `issuerId` is `keccak256(bytes(did))`. An issuer's `controller` (a member
 * city) may rotate its keys and suspend it at once, without a vote, for
 * example after a key compromise; lifting a suspension takes a vote.
 */
interface ITrustedIssuerRegistry {
    enum ProposalKind {
        AdmitMember,
        RemoveMember,
        ChangeThreshold,
        AccreditIssuer,
        UpdateAccreditation,
        SuspendIssuer,
        UnsuspendIssuer,
        RemoveIssuer
    }

    struct Issuer {
        string did;
        address controller;
        bytes32[] keyThumbprints;
        string[] credentialTypes;
        uint64 validFrom;
        uint64 validUntil;
        bool suspended;
    }

    struct Proposal {
        ProposalKind kind;
        address proposer;
        bytes data;
        uint64 createdAt;
        bool executed;
    }

    event ProposalCreated(uint256 indexed proposalId, ProposalKind kind, address indexed proposer);
    event ProposalApproved(uint256 indexed proposalId, address indexed member);
    event ProposalExecuted(uint256 indexed proposalId);
    event MemberAdmitted(address indexed member);
    event MemberRemoved(address indexed member);
    event ThresholdChanged(uint256 threshold);
    event IssuerAccredited(bytes32 indexed issuerId, string did, address indexed controller);
    event IssuerAccreditationUpdated(bytes32 indexed issuerId);
    event IssuerKeysRotated(bytes32 indexed issuerId, bytes32[] keyThumbprints);
    event IssuerSuspended(bytes32 indexed issuerId);
    event IssuerUnsuspended(bytes32 indexed issuerId);
    event IssuerRemoved(bytes32 indexed issuerId);

    /// @notice Creates a proposal; the proposer's approval counts. Members only.
    function propose(ProposalKind kind, bytes calldata data) external returns (uint256 proposalId);

    /// @notice Approves a pending proposal. Members only, once each.
    function approve(uint256 proposalId) external;

    /// @notice Executes a proposal approved by at least `threshold()` current members. Members only.
    function execute(uint256 proposalId) external;

    /// @notice Replaces an issuer's key thumbprints. Its controller only.
    function rotateIssuerKeys(bytes32 issuerId, bytes32[] calldata keyThumbprints) external;

    /// @notice Suspends an issuer at once. Its controller only.
    function suspendOwnIssuer(bytes32 issuerId) external;

    function members() external view returns (address[] memory);
    function isMember(address account) external view returns (bool);
    function threshold() external view returns (uint256);
    function proposalCount() external view returns (uint256);
    function proposal(uint256 proposalId) external view returns (Proposal memory);
    /// @notice Approvals of a proposal by current members.
    function approvals(uint256 proposalId) external view returns (uint256);
    function hasApproved(uint256 proposalId, address member) external view returns (bool);
    function issuerIds() external view returns (bytes32[] memory);
    function issuer(bytes32 issuerId) external view returns (Issuer memory);
    function issuerIdOf(string calldata did) external pure returns (bytes32);
}
