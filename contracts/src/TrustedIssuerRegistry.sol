// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITrustedIssuerRegistry} from "./interfaces/ITrustedIssuerRegistry.sol";

/**
 * @title TrustedIssuerRegistry
 * @notice The federation of cities and the issuers it accredits. Members
 * (city addresses) admit or remove members, change the approval threshold,
 * and accredit, update, suspend, unsuspend or remove issuers by M-of-N
 * approval: a member proposes (its approval counts), members approve, and any
 * member executes once `threshold()` current members approve. An issuer's
 * controller (a member) may rotate the issuer's keys and suspend it at once,
 * without a vote; lifting a suspension takes a vote.
 *
 * Privacy: this contract stores and emits nothing but member addresses,
 * thresholds, proposals (kind, proposer address, ABI-encoded data of the
 * kinds below, time), approvals, and issuers — organisations, never people —
 * as their DIDs, controller addresses, RFC 7638 key thumbprints, accredited
 * credential type names and validity times. No personal data is ever stored
 * or emitted here.
 *
 * @dev Decisions:
 * - Proposal data must be the canonical ABI encoding for its kind (as
 *   `abi.encode` produces it: no trailing bytes, standard offsets) and pass
 *   the checks that do not depend on state (non-zero addresses, threshold ≥ 1,
 *   DID, key and type bounds, validFrom < validUntil). `propose` checks this
 *   through an external self-call to `validateProposal`, because a failed
 *   `abi.decode` reverts without data and cannot be caught in the same call
 *   frame: an empty revert from the self-call becomes
 *   `TrustedIssuerRegistryMalformedProposal(kind)`; a custom error from it is
 *   passed on unchanged. Checks that depend on state (membership, threshold ≤
 *   members, issuer existence, suspension) run at execution; if one fails,
 *   `execute` reverts and the proposal stays pending.
 * - Approvals count only for current members, and only from the member's
 *   current admission: each admission gets a fresh epoch and an approval
 *   records the approver's epoch, so a removed member's approvals stop
 *   counting and do not count again if it is re-admitted.
 * - A removal that would leave fewer members than the threshold is refused
 *   (change the threshold first); the last member can never be removed.
 * - `validUntil` is exclusive and must be after `validFrom`
 *   (`type(uint64).max` for no end). DIDs are 5 to 256 bytes and start with
 *   `did:`; 1 to 16 distinct non-zero key thumbprints; 1 to 32 distinct
 *   credential types of 1 to 128 bytes each; at most 128 members (a full
 *   federation still deploys in one transaction under the 2^24 gas cap per
 *   transaction of Osaka, EIP-7825).
 * - A removed issuer's DID may be accredited again (same `issuerId`); that is
 *   also how an issuer changes controller.
 */
contract TrustedIssuerRegistry is ITrustedIssuerRegistry {
    /// @notice Largest number of members (bounds the approval count loop).
    uint256 public constant MAX_MEMBERS = 128;
    /// @notice Largest DID, in bytes.
    uint256 public constant MAX_DID_LENGTH = 256;
    /// @notice Largest number of key thumbprints per issuer.
    uint256 public constant MAX_KEYS = 16;
    /// @notice Largest number of credential types per issuer.
    uint256 public constant MAX_CREDENTIAL_TYPES = 32;
    /// @notice Largest credential type name, in bytes.
    uint256 public constant MAX_CREDENTIAL_TYPE_LENGTH = 128;

    /// @dev Slot 0: current members, in no particular order.
    address[] private _members;
    /// @dev Slot 1: 1-based position of a member in `_members`, 0 when not a member.
    mapping(address member => uint256) private _memberPosition;
    /// @dev Slot 2: epoch of a member's latest admission.
    mapping(address member => uint64) private _memberEpoch;
    /// @dev Slot 3: approval threshold.
    uint256 private _threshold;
    /// @dev Slot 4: last epoch handed out.
    uint64 private _lastEpoch;
    /// @dev Slot 5: number of proposals.
    uint256 private _proposalCount;
    /// @dev Slot 6: proposals by id.
    mapping(uint256 proposalId => Proposal) private _proposals;
    /// @dev Slot 7: epoch of the admission under which a member approved a proposal (0: never).
    mapping(uint256 proposalId => mapping(address member => uint64)) private _approvalEpoch;
    /// @dev Slot 8: current issuer ids, in no particular order.
    bytes32[] private _issuerIds;
    /// @dev Slot 9: 1-based position of an issuer id in `_issuerIds`, 0 when not accredited.
    mapping(bytes32 issuerId => uint256) private _issuerPosition;
    /// @dev Slot 10: issuers by id.
    mapping(bytes32 issuerId => Issuer) private _issuers;

    /// @notice The caller is not a member.
    error TrustedIssuerRegistryNotMember(address account);
    /// @notice No proposal has this id.
    error TrustedIssuerRegistryUnknownProposal(uint256 proposalId);
    /// @notice The proposal was executed already.
    error TrustedIssuerRegistryProposalAlreadyExecuted(uint256 proposalId);
    /// @notice The member approved this proposal already.
    error TrustedIssuerRegistryAlreadyApproved(uint256 proposalId, address member);
    /// @notice Current members' approvals (`have`) are fewer than the threshold (`need`).
    error TrustedIssuerRegistryNotEnoughApprovals(uint256 have, uint256 need);
    /// @notice A threshold is not within 1 .. members (for a removal: the members left).
    error TrustedIssuerRegistryThresholdOutOfRange(uint256 threshold, uint256 members);
    /// @notice The address is a member already (admission, or a duplicate initial member).
    error TrustedIssuerRegistryAlreadyMember(address account);
    /// @notice The address is not a member (removal).
    error TrustedIssuerRegistryUnknownMember(address account);
    /// @notice Admission would exceed `MAX_MEMBERS`.
    error TrustedIssuerRegistryTooManyMembers(uint256 maximum);
    /// @notice The zero address was given as a member or controller.
    error TrustedIssuerRegistryZeroAddress();
    /// @notice An issuer with this id (the hash of its DID) is accredited already.
    error TrustedIssuerRegistryIssuerAlreadyAccredited(bytes32 issuerId);
    /// @notice No issuer has this id.
    error TrustedIssuerRegistryUnknownIssuer(bytes32 issuerId);
    /// @notice The caller is not the issuer's controller, or no longer a member.
    error TrustedIssuerRegistryNotController(bytes32 issuerId, address account);
    /// @notice The controller named by an accreditation is not a member.
    error TrustedIssuerRegistryControllerNotMember(address controller);
    /// @notice validFrom is not before validUntil.
    error TrustedIssuerRegistryInvalidValidity(uint64 validFrom, uint64 validUntil);
    /// @notice The DID is shorter than 5 bytes, longer than `MAX_DID_LENGTH`, or does not start with `did:`.
    error TrustedIssuerRegistryInvalidDid();
    /// @notice Key thumbprints: none, more than `MAX_KEYS`, a zero one, or a duplicate.
    error TrustedIssuerRegistryInvalidKeys();
    /// @notice Credential types: none, more than `MAX_CREDENTIAL_TYPES`, an empty or too long one, or a duplicate.
    error TrustedIssuerRegistryInvalidCredentialTypes();
    /// @notice The issuer is suspended already.
    error TrustedIssuerRegistryIssuerSuspended(bytes32 issuerId);
    /// @notice The issuer is not suspended.
    error TrustedIssuerRegistryIssuerNotSuspended(bytes32 issuerId);
    /// @notice The proposal data is not the canonical ABI encoding for its kind.
    error TrustedIssuerRegistryMalformedProposal(ProposalKind kind);

    /// @dev Reverts unless the caller is a current member.
    modifier onlyMember() {
        if (_memberPosition[msg.sender] == 0) revert TrustedIssuerRegistryNotMember(msg.sender);
        _;
    }

    /**
     * @notice Founds the federation with `initialMembers` and an approval threshold.
     * @dev Emits `MemberAdmitted` for each member, then `ThresholdChanged`.
     * @param initialMembers Distinct non-zero addresses, at most `MAX_MEMBERS`.
     * @param initialThreshold Approvals needed, 1 ≤ threshold ≤ members.
     */
    constructor(address[] memory initialMembers, uint256 initialThreshold) {
        uint256 n = initialMembers.length;
        if (n > MAX_MEMBERS) revert TrustedIssuerRegistryTooManyMembers(MAX_MEMBERS);
        for (uint256 i = 0; i < n; ++i) {
            _admitMember(initialMembers[i]);
        }
        _setThreshold(initialThreshold);
    }

    // ───────────────────────────── proposals ─────────────────────────────

    /**
     * @notice Creates a proposal of `kind` with ABI-encoded `data` (see the interface's
     * NatSpec for each kind's encoding); the proposer's approval counts.
     * @dev Members only. `data` must be the canonical encoding and pass the
     * stateless checks of `validateProposal`, else the revert is
     * `TrustedIssuerRegistryMalformedProposal(kind)` (undecodable or
     * non-canonical) or `validateProposal`'s own custom error. A `kind`
     * outside the enum is refused by the ABI decoder (revert without data).
     * Emits `ProposalCreated` and `ProposalApproved`.
     * @param kind The kind of change.
     * @param data Its ABI-encoded arguments.
     * @return proposalId The new proposal's id (ids are 0, 1, 2, …).
     */
    function propose(ProposalKind kind, bytes calldata data) external onlyMember returns (uint256 proposalId) {
        try this.validateProposal(kind, data) {} catch (bytes memory reason) {
            if (reason.length == 0) revert TrustedIssuerRegistryMalformedProposal(kind);
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
        proposalId = _proposalCount++;
        _proposals[proposalId] = Proposal({
            kind: kind,
            proposer: msg.sender,
            data: data,
            createdAt: uint64(block.timestamp),
            executed: false
        });
        _approvalEpoch[proposalId][msg.sender] = _memberEpoch[msg.sender];
        emit ProposalCreated(proposalId, kind, msg.sender);
        emit ProposalApproved(proposalId, msg.sender);
    }

    /**
     * @notice Approves proposal `proposalId`.
     * @dev Members only, once per member (per admission). Reverts with
     * `TrustedIssuerRegistryUnknownProposal`, `…ProposalAlreadyExecuted` or
     * `…AlreadyApproved`. Emits `ProposalApproved`.
     * @param proposalId The proposal.
     */
    function approve(uint256 proposalId) external onlyMember {
        Proposal storage p = _existingProposal(proposalId);
        if (p.executed) revert TrustedIssuerRegistryProposalAlreadyExecuted(proposalId);
        uint64 epoch = _memberEpoch[msg.sender];
        if (_approvalEpoch[proposalId][msg.sender] == epoch) {
            revert TrustedIssuerRegistryAlreadyApproved(proposalId, msg.sender);
        }
        _approvalEpoch[proposalId][msg.sender] = epoch;
        emit ProposalApproved(proposalId, msg.sender);
    }

    /**
     * @notice Executes proposal `proposalId` once at least `threshold()` current members approve it.
     * @dev Members only. Marks the proposal executed, then applies it; a
     * failed state check reverts the whole call (the proposal stays pending).
     * Emits the change's event (`MemberAdmitted`, `MemberRemoved`,
     * `ThresholdChanged`, `IssuerAccredited`, `IssuerAccreditationUpdated`,
     * `IssuerSuspended`, `IssuerUnsuspended` or `IssuerRemoved`), then
     * `ProposalExecuted`.
     * @param proposalId The proposal.
     */
    function execute(uint256 proposalId) external onlyMember {
        Proposal storage p = _existingProposal(proposalId);
        if (p.executed) revert TrustedIssuerRegistryProposalAlreadyExecuted(proposalId);
        uint256 have = _countApprovals(proposalId);
        if (have < _threshold) revert TrustedIssuerRegistryNotEnoughApprovals(have, _threshold);
        p.executed = true;

        ProposalKind kind = p.kind;
        bytes memory data = p.data;
        if (kind == ProposalKind.AdmitMember) {
            address member = abi.decode(data, (address));
            if (_members.length >= MAX_MEMBERS) revert TrustedIssuerRegistryTooManyMembers(MAX_MEMBERS);
            _admitMember(member);
        } else if (kind == ProposalKind.RemoveMember) {
            _removeMember(abi.decode(data, (address)));
        } else if (kind == ProposalKind.ChangeThreshold) {
            _setThreshold(abi.decode(data, (uint256)));
        } else if (kind == ProposalKind.AccreditIssuer) {
            _accredit(data);
        } else if (kind == ProposalKind.UpdateAccreditation) {
            (bytes32 issuerId, string[] memory types, uint64 validFrom, uint64 validUntil) = abi.decode(
                data,
                (bytes32, string[], uint64, uint64)
            );
            Issuer storage entry = _existingIssuer(issuerId);
            delete entry.credentialTypes;
            for (uint256 i = 0; i < types.length; ++i) {
                entry.credentialTypes.push(types[i]);
            }
            entry.validFrom = validFrom;
            entry.validUntil = validUntil;
            emit IssuerAccreditationUpdated(issuerId);
        } else if (kind == ProposalKind.SuspendIssuer) {
            _suspend(abi.decode(data, (bytes32)));
        } else if (kind == ProposalKind.UnsuspendIssuer) {
            bytes32 issuerId = abi.decode(data, (bytes32));
            Issuer storage entry = _existingIssuer(issuerId);
            if (!entry.suspended) revert TrustedIssuerRegistryIssuerNotSuspended(issuerId);
            entry.suspended = false;
            emit IssuerUnsuspended(issuerId);
        } else {
            // ProposalKind.RemoveIssuer
            bytes32 issuerId = abi.decode(data, (bytes32));
            _existingIssuer(issuerId);
            _removeIssuer(issuerId);
        }
        emit ProposalExecuted(proposalId);
    }

    /**
     * @notice Checks that `data` is the canonical ABI encoding for `kind` and passes the
     * checks that do not depend on state; `propose` calls it.
     * @dev Reverts without data when `data` does not decode (the ABI decoder's
     * revert), with `TrustedIssuerRegistryMalformedProposal(kind)` when it
     * decodes but is not canonical, and with `…ZeroAddress`,
     * `…ThresholdOutOfRange`, `…InvalidDid`, `…InvalidKeys`,
     * `…InvalidCredentialTypes` or `…InvalidValidity` otherwise. Returns
     * nothing when the data is acceptable.
     * @param kind The kind of proposal.
     * @param data Its ABI-encoded arguments.
     */
    function validateProposal(ProposalKind kind, bytes calldata data) external view {
        bytes32 seen = keccak256(data);
        bytes32 canonical;
        if (kind == ProposalKind.AdmitMember || kind == ProposalKind.RemoveMember) {
            address member = abi.decode(data, (address));
            if (member == address(0)) revert TrustedIssuerRegistryZeroAddress();
            canonical = keccak256(abi.encode(member));
        } else if (kind == ProposalKind.ChangeThreshold) {
            uint256 t = abi.decode(data, (uint256));
            if (t == 0) revert TrustedIssuerRegistryThresholdOutOfRange(0, _members.length);
            canonical = keccak256(abi.encode(t));
        } else if (kind == ProposalKind.AccreditIssuer) {
            (
                string memory did,
                address controller,
                bytes32[] memory keys,
                string[] memory types,
                uint64 validFrom,
                uint64 validUntil
            ) = abi.decode(data, (string, address, bytes32[], string[], uint64, uint64));
            _checkDid(did);
            if (controller == address(0)) revert TrustedIssuerRegistryZeroAddress();
            _checkKeys(keys);
            _checkCredentialTypes(types);
            _checkValidity(validFrom, validUntil);
            canonical = keccak256(abi.encode(did, controller, keys, types, validFrom, validUntil));
        } else if (kind == ProposalKind.UpdateAccreditation) {
            (bytes32 issuerId, string[] memory types, uint64 validFrom, uint64 validUntil) = abi.decode(
                data,
                (bytes32, string[], uint64, uint64)
            );
            _checkCredentialTypes(types);
            _checkValidity(validFrom, validUntil);
            canonical = keccak256(abi.encode(issuerId, types, validFrom, validUntil));
        } else {
            // SuspendIssuer, UnsuspendIssuer, RemoveIssuer
            canonical = keccak256(abi.encode(abi.decode(data, (bytes32))));
        }
        if (canonical != seen) revert TrustedIssuerRegistryMalformedProposal(kind);
    }

    // ───────────────────────────── controllers ─────────────────────────────

    /**
     * @notice Replaces the key thumbprints of issuer `issuerId`, without a vote.
     * @dev Only the issuer's controller while it is a member; allowed while
     * the issuer is suspended. Emits `IssuerKeysRotated`.
     * @param issuerId The issuer.
     * @param keyThumbprints 1 to `MAX_KEYS` distinct non-zero RFC 7638 thumbprints.
     */
    function rotateIssuerKeys(bytes32 issuerId, bytes32[] calldata keyThumbprints) external {
        Issuer storage entry = _controlledIssuer(issuerId);
        _checkKeys(keyThumbprints);
        entry.keyThumbprints = keyThumbprints;
        emit IssuerKeysRotated(issuerId, keyThumbprints);
    }

    /**
     * @notice Suspends issuer `issuerId` at once, without a vote (lifting it takes a vote).
     * @dev Only the issuer's controller while it is a member. Reverts with
     * `TrustedIssuerRegistryIssuerSuspended` if suspended already. Emits `IssuerSuspended`.
     * @param issuerId The issuer.
     */
    function suspendOwnIssuer(bytes32 issuerId) external {
        _controlledIssuer(issuerId);
        _suspend(issuerId);
    }

    // ───────────────────────────── views ─────────────────────────────

    /**
     * @notice The current members, in no particular order.
     * @return The member addresses.
     */
    function members() external view returns (address[] memory) {
        return _members;
    }

    /**
     * @notice Whether `account` is a current member.
     * @param account The address.
     * @return True for a member.
     */
    function isMember(address account) external view returns (bool) {
        return _memberPosition[account] != 0;
    }

    /**
     * @notice Approvals of current members needed to execute a proposal.
     * @return The threshold.
     */
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /**
     * @notice Number of proposals; proposal ids are `0 .. proposalCount() - 1`.
     * @return The number of proposals.
     */
    function proposalCount() external view returns (uint256) {
        return _proposalCount;
    }

    /**
     * @notice Proposal `proposalId`.
     * @dev Reverts with `TrustedIssuerRegistryUnknownProposal`.
     * @param proposalId The proposal.
     * @return The proposal's kind, proposer, data, creation time (block timestamp) and executed flag.
     */
    function proposal(uint256 proposalId) external view returns (Proposal memory) {
        return _existingProposal(proposalId);
    }

    /**
     * @notice Approvals of proposal `proposalId` by current members (under their current admission).
     * @dev Reverts with `TrustedIssuerRegistryUnknownProposal`.
     * @param proposalId The proposal.
     * @return The number of approvals that count now.
     */
    function approvals(uint256 proposalId) external view returns (uint256) {
        _existingProposal(proposalId);
        return _countApprovals(proposalId);
    }

    /**
     * @notice Whether `member` approved proposal `proposalId` and that approval counts now.
     * @dev False for an address that is not a current member, even if it approved
     * while it was one. Reverts with `TrustedIssuerRegistryUnknownProposal`.
     * @param proposalId The proposal.
     * @param member The address.
     * @return True when the approval counts.
     */
    function hasApproved(uint256 proposalId, address member) external view returns (bool) {
        _existingProposal(proposalId);
        return _memberPosition[member] != 0 && _approvalEpoch[proposalId][member] == _memberEpoch[member];
    }

    /**
     * @notice Ids of all current issuers (suspended ones included), in no particular order.
     * @return The issuer ids.
     */
    function issuerIds() external view returns (bytes32[] memory) {
        return _issuerIds;
    }

    /**
     * @notice Issuer `issuerId`.
     * @dev Reverts with `TrustedIssuerRegistryUnknownIssuer`.
     * @param issuerId The issuer.
     * @return The issuer's DID, controller, key thumbprints, credential types, validity and suspension.
     */
    function issuer(bytes32 issuerId) external view returns (Issuer memory) {
        if (_issuerPosition[issuerId] == 0) revert TrustedIssuerRegistryUnknownIssuer(issuerId);
        return _issuers[issuerId];
    }

    /**
     * @notice The id of the issuer with DID `did`: `keccak256(bytes(did))`.
     * @param did The DID.
     * @return The issuer id.
     */
    function issuerIdOf(string calldata did) external pure returns (bytes32) {
        return keccak256(bytes(did));
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _existingProposal(uint256 proposalId) private view returns (Proposal storage) {
        if (proposalId >= _proposalCount) revert TrustedIssuerRegistryUnknownProposal(proposalId);
        return _proposals[proposalId];
    }

    function _existingIssuer(bytes32 issuerId) private view returns (Issuer storage) {
        if (_issuerPosition[issuerId] == 0) revert TrustedIssuerRegistryUnknownIssuer(issuerId);
        return _issuers[issuerId];
    }

    function _controlledIssuer(bytes32 issuerId) private view returns (Issuer storage entry) {
        entry = _existingIssuer(issuerId);
        if (entry.controller != msg.sender || _memberPosition[msg.sender] == 0) {
            revert TrustedIssuerRegistryNotController(issuerId, msg.sender);
        }
    }

    function _countApprovals(uint256 proposalId) private view returns (uint256 count) {
        mapping(address => uint64) storage approved = _approvalEpoch[proposalId];
        uint256 n = _members.length;
        for (uint256 i = 0; i < n; ++i) {
            address member = _members[i];
            // A member's epoch is never 0, so a missing approval (0) never matches.
            if (approved[member] == _memberEpoch[member]) ++count;
        }
    }

    function _admitMember(address member) private {
        if (member == address(0)) revert TrustedIssuerRegistryZeroAddress();
        if (_memberPosition[member] != 0) revert TrustedIssuerRegistryAlreadyMember(member);
        _members.push(member);
        _memberPosition[member] = _members.length;
        _memberEpoch[member] = ++_lastEpoch;
        emit MemberAdmitted(member);
    }

    function _removeMember(address member) private {
        uint256 position = _memberPosition[member];
        if (position == 0) revert TrustedIssuerRegistryUnknownMember(member);
        uint256 remaining = _members.length - 1;
        if (remaining < _threshold) revert TrustedIssuerRegistryThresholdOutOfRange(_threshold, remaining);
        address last = _members[remaining];
        if (last != member) {
            _members[position - 1] = last;
            _memberPosition[last] = position;
        }
        _members.pop();
        delete _memberPosition[member];
        emit MemberRemoved(member);
    }

    function _setThreshold(uint256 newThreshold) private {
        if (newThreshold == 0 || newThreshold > _members.length) {
            revert TrustedIssuerRegistryThresholdOutOfRange(newThreshold, _members.length);
        }
        _threshold = newThreshold;
        emit ThresholdChanged(newThreshold);
    }

    function _accredit(bytes memory data) private {
        (
            string memory did,
            address controller,
            bytes32[] memory keys,
            string[] memory types,
            uint64 validFrom,
            uint64 validUntil
        ) = abi.decode(data, (string, address, bytes32[], string[], uint64, uint64));
        bytes32 issuerId = keccak256(bytes(did));
        if (_issuerPosition[issuerId] != 0) revert TrustedIssuerRegistryIssuerAlreadyAccredited(issuerId);
        if (_memberPosition[controller] == 0) revert TrustedIssuerRegistryControllerNotMember(controller);
        _issuerIds.push(issuerId);
        _issuerPosition[issuerId] = _issuerIds.length;
        Issuer storage entry = _issuers[issuerId];
        entry.did = did;
        entry.controller = controller;
        entry.keyThumbprints = keys;
        for (uint256 i = 0; i < types.length; ++i) {
            entry.credentialTypes.push(types[i]);
        }
        entry.validFrom = validFrom;
        entry.validUntil = validUntil;
        emit IssuerAccredited(issuerId, did, controller);
    }

    function _suspend(bytes32 issuerId) private {
        Issuer storage entry = _existingIssuer(issuerId);
        if (entry.suspended) revert TrustedIssuerRegistryIssuerSuspended(issuerId);
        entry.suspended = true;
        emit IssuerSuspended(issuerId);
    }

    function _removeIssuer(bytes32 issuerId) private {
        uint256 position = _issuerPosition[issuerId];
        uint256 lastPosition = _issuerIds.length;
        if (position != lastPosition) {
            bytes32 last = _issuerIds[lastPosition - 1];
            _issuerIds[position - 1] = last;
            _issuerPosition[last] = position;
        }
        _issuerIds.pop();
        delete _issuerPosition[issuerId];
        // Clears the DID, controller, validity, suspension, and every key and type.
        delete _issuers[issuerId];
        emit IssuerRemoved(issuerId);
    }

    function _checkDid(string memory did) private pure {
        bytes memory b = bytes(did);
        if (
            b.length < 5 ||
            b.length > MAX_DID_LENGTH ||
            b[0] != "d" ||
            b[1] != "i" ||
            b[2] != "d" ||
            b[3] != ":"
        ) revert TrustedIssuerRegistryInvalidDid();
    }

    function _checkKeys(bytes32[] memory keys) private pure {
        uint256 n = keys.length;
        if (n == 0 || n > MAX_KEYS) revert TrustedIssuerRegistryInvalidKeys();
        for (uint256 i = 0; i < n; ++i) {
            if (keys[i] == bytes32(0)) revert TrustedIssuerRegistryInvalidKeys();
            for (uint256 j = 0; j < i; ++j) {
                if (keys[j] == keys[i]) revert TrustedIssuerRegistryInvalidKeys();
            }
        }
    }

    function _checkCredentialTypes(string[] memory types) private pure {
        uint256 n = types.length;
        if (n == 0 || n > MAX_CREDENTIAL_TYPES) revert TrustedIssuerRegistryInvalidCredentialTypes();
        bytes32[] memory hashes = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 len = bytes(types[i]).length;
            if (len == 0 || len > MAX_CREDENTIAL_TYPE_LENGTH) revert TrustedIssuerRegistryInvalidCredentialTypes();
            bytes32 h = keccak256(bytes(types[i]));
            for (uint256 j = 0; j < i; ++j) {
                if (hashes[j] == h) revert TrustedIssuerRegistryInvalidCredentialTypes();
            }
            hashes[i] = h;
        }
    }

    function _checkValidity(uint64 validFrom, uint64 validUntil) private pure {
        if (validFrom >= validUntil) revert TrustedIssuerRegistryInvalidValidity(validFrom, validUntil);
    }
}
