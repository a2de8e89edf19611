// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IStatusRegistry} from "./interfaces/IStatusRegistry.sol";

/**
 * @title StatusRegistry
 * @notice Status lists of verifiable credentials, 2 bits per entry (0 valid,
 * 1 revoked, 2 suspended; 3 reserved), each written only by its issuer's keys.
 *
 * Privacy: this contract stores and emits nothing but list ids, entry
 * indices, status bits, list sizes, batch counters, block numbers and the
 * addresses of issuers (list owners and writers). A status index is a random
 * number drawn by the issuer and says nothing about the holder. No personal
 * data is ever stored or emitted here.
 *
 * @dev Roles (OpenZeppelin AccessControl):
 * - `DEFAULT_ADMIN_ROLE` (the deployer) administers `LIST_CREATOR_ROLE` and itself.
 * - `LIST_CREATOR_ROLE` (the deployer too) may create lists for any owner.
 * - `writerRole(listId)` may apply batches to list `listId`. It is granted to
 *   the list's owner at creation and is its own admin: the writers of a list,
 *   and nobody else, grant and revoke its writers. An issuer can add a second
 *   publisher key (or rotate to a new one) without asking anyone, and the
 *   registry admin cannot write, or let anyone write, an issuer's list. All
 *   writers of a list are peers (any of them may revoke another, the owner
 *   included): an issuer grants the role only to keys it controls. A list
 *   whose writers are all lost stays readable and frozen; the issuer asks for
 *   a new list.
 * - To keep that promise for lists not created yet, `grantRole` refuses any
 *   role that is not `DEFAULT_ADMIN_ROLE`, `LIST_CREATOR_ROLE` or the writer
 *   role of an existing list (otherwise the admin, which by default
 *   administers every role nobody configured, could pre-grant itself the
 *   writer role of the next list id).
 *
 * Storage: entry `i` of a list is in word `i / 128` at bits `2 * (i % 128)`
 * (least significant first). A list's words are contiguous: word `w` of list
 * `id` is slot `keccak256(abi.encode(id, 3)) + w` (slot 3 being `_words`), so a
 * batch costs no hashing per word. List metadata packs size, sequence and the
 * last update block in one slot, so a batch writes one metadata slot.
 */
contract StatusRegistry is AccessControl, IStatusRegistry {
    /// @notice The role allowed to create lists.
    bytes32 public constant LIST_CREATOR_ROLE = keccak256("urbis.StatusRegistry.listCreator");

    /// @notice Smallest list size accepted by `createList` (2^17 entries).
    uint32 public constant MIN_LIST_SIZE = 131_072;

    /// @notice Largest list size accepted by `createList` (2^30 entries: a packed index has 30 bits).
    uint32 public constant MAX_LIST_SIZE = 1 << 30;

    /// @notice Entries per 256-bit storage word.
    uint32 public constant ENTRIES_PER_WORD = 128;

    /// @notice Largest `count` accepted by `readWords` in one call (4,096 words = 524,288 entries).
    uint32 public constant MAX_READ_WORDS = 4096;

    /// @dev Words of the largest list: MAX_LIST_SIZE / ENTRIES_PER_WORD.
    uint256 private constant _MAX_WORDS = 1 << 23;

    /// @dev One list's metadata. `size`, `sequence` and `lastUpdateBlock` share slot 0; `owner` is in slot 1.
    struct List {
        uint32 size;
        uint64 sequence;
        uint64 lastUpdateBlock;
        address owner;
    }

    // Slot 0 is AccessControl's `_roles`.
    /// @dev Slot 1: number of lists created.
    uint256 private _listCount;
    /// @dev Slot 2: list metadata by id.
    mapping(uint256 listId => List) private _lists;
    /// @dev Slot 3: list words by id; word `w` of list `id` is slot `keccak256(abi.encode(id, 3)) + w`.
    mapping(uint256 listId => uint256[_MAX_WORDS]) private _words;

    /// @notice No list has id `listId`.
    error StatusRegistryUnknownList(uint256 listId);
    /// @notice `createList` was given a size below `MIN_LIST_SIZE`.
    error StatusRegistryListTooSmall(uint32 size, uint32 minimum);
    /// @notice `createList` was given a size above `MAX_LIST_SIZE`.
    error StatusRegistryListTooLarge(uint32 size, uint32 maximum);
    /// @notice `createList` was given the zero address as owner.
    error StatusRegistryZeroOwner();
    /// @notice `packedDeltas` is empty or its length is not a multiple of 4.
    error StatusRegistryMalformedDeltas(uint256 length);
    /// @notice An index is not below the list's size.
    error StatusRegistryIndexOutOfRange(uint256 listId, uint32 index, uint32 size);
    /// @notice A delta carries the reserved status value 3.
    error StatusRegistryReservedStatus(uint32 index);
    /// @notice A delta would change a revoked entry: revocation is final.
    error StatusRegistryRevocationIsFinal(uint256 listId, uint32 index);
    /// @notice The caller's `expected` sequence is not the list's `actual` sequence (batches applied so far).
    error StatusRegistrySequenceMismatch(uint256 listId, uint64 expected, uint64 actual);
    /// @notice `readWords` was asked for more than `MAX_READ_WORDS` words.
    error StatusRegistryReadTooLarge(uint32 count, uint32 maximum);
    /// @notice `readWords` was asked to start after the list's last word.
    error StatusRegistryWordOutOfRange(uint256 listId, uint32 fromWord, uint32 wordCount);
    /// @notice `grantRole` was asked for a role that is neither a registry role nor the writer role of an existing list.
    error StatusRegistryUnknownRole(bytes32 role);

    /**
     * @dev Refused (old, value) transitions, bit `4 * old + value`: any value 3
     * (bits 3, 7, 11, 15) and revoked → valid or suspended (bits 4, 6).
     */
    uint256 private constant _REFUSED = 0x88d8;

    /**
     * @notice Deploys the registry; the deployer gets `DEFAULT_ADMIN_ROLE` and `LIST_CREATOR_ROLE`.
     */
    constructor() {
        _grantRole(DEFAULT_ADMIN_ROLE, _msgSender());
        _grantRole(LIST_CREATOR_ROLE, _msgSender());
    }

    /**
     * @notice Creates a list of `size` entries, all valid, owned by `owner`,
     * and grants `owner` the list's writer role (which administers itself).
     * @dev Only `LIST_CREATOR_ROLE`. Emits `ListCreated`, `RoleAdminChanged` and `RoleGranted`.
     * @param owner The issuer address that will write the list (not zero).
     * @param size Number of entries, `MIN_LIST_SIZE` ≤ size ≤ `MAX_LIST_SIZE`.
     * @return listId The new list's id (ids are 0, 1, 2, …).
     */
    function createList(address owner, uint32 size) external onlyRole(LIST_CREATOR_ROLE) returns (uint256 listId) {
        if (owner == address(0)) revert StatusRegistryZeroOwner();
        if (size < MIN_LIST_SIZE) revert StatusRegistryListTooSmall(size, MIN_LIST_SIZE);
        if (size > MAX_LIST_SIZE) revert StatusRegistryListTooLarge(size, MAX_LIST_SIZE);
        listId = _listCount;
        unchecked {
            _listCount = listId + 1;
        }
        _lists[listId] = List({size: size, sequence: 0, lastUpdateBlock: 0, owner: owner});
        bytes32 role = writerRole(listId);
        _setRoleAdmin(role, role);
        _grantRole(role, owner);
        emit ListCreated(listId, owner, size);
    }

    /**
     * @notice Applies a batch of status changes to list `listId`, atomically.
     * @dev Only `writerRole(listId)`. `packedDeltas` is a non-empty sequence of
     * 4-byte big-endian words `(index << 2) | value`, applied in order.
     * Reverts, and applies nothing, if any delta carries value 3, an index not
     * below the list size, or changes a revoked entry (revoked → valid or
     * suspended); the first offending delta names the error (for one delta:
     * `StatusRegistryReservedStatus`, then `…IndexOutOfRange`, then
     * `…RevocationIsFinal`). Before the deltas, in this order:
     * `StatusRegistryUnknownList`, `AccessControlUnauthorizedAccount`,
     * `StatusRegistrySequenceMismatch`, `StatusRegistryMalformedDeltas`.
     * Suspended → valid is allowed; writing an entry's current value is a
     * no-op (the batch still counts). Increments the list's sequence, records
     * the block, and emits `StatusesUpdated` once.
     *
     * Gas: the deltas are read from calldata in assembly; the current storage
     * word is kept on the stack and written once when the next delta falls in
     * another word (and only if it changed), so a batch sorted by index costs
     * one SLOAD and at most one SSTORE per distinct word it touches, plus about
     * 260 gas per delta (loop) and the event. With random indices that storage
     * dominates: see bench/registry-gas-bench.ts.
     * @param listId The list to change.
     * @param expectedSequence The list's current sequence (batches applied so
     * far); a resent batch then fails with `StatusRegistrySequenceMismatch`
     * instead of applying twice.
     * @param packedDeltas The changes, 4 bytes each.
     */
    function updateStatuses(
        uint256 listId,
        uint64 expectedSequence,
        bytes calldata packedDeltas
    ) external {
        List storage list = _lists[listId];
        uint32 size = list.size;
        if (size == 0) revert StatusRegistryUnknownList(listId);
        _checkRole(writerRole(listId));
        uint64 sequence = list.sequence;
        if (expectedSequence != sequence) revert StatusRegistrySequenceMismatch(listId, expectedSequence, sequence);
        uint256 length = packedDeltas.length;
        if (length == 0 || length % 4 != 0) revert StatusRegistryMalformedDeltas(length);

        uint256 refusal = _applyDeltas(_words[listId], size, packedDeltas);
        if (refusal != 0) {
            // The first refused delta; the revert undoes any word already written by this batch.
            uint32 index = uint32(refusal >> 2) & (MAX_LIST_SIZE - 1);
            if ((refusal & 3) == 3) revert StatusRegistryReservedStatus(index);
            if (index >= size) revert StatusRegistryIndexOutOfRange(listId, index, size);
            revert StatusRegistryRevocationIsFinal(listId, index);
        }

        unchecked {
            // A uint64 counter of batches does not overflow.
            list.sequence = sequence + 1;
        }
        list.lastUpdateBlock = uint64(block.number);
        emit StatusesUpdated(listId, sequence, packedDeltas);
    }

    /**
     * @dev The hot loop of `updateStatuses`: applies `packedDeltas` (length a
     * non-zero multiple of 4) to `words`, keeping the current word on the
     * stack and writing it only when the next delta leaves it, and only if it
     * changed. Stops at the first refused delta (value 3, index not below
     * `size`, or a change to a revoked entry) and returns `2^32 | delta`, or 0
     * when every delta applied; the caller then reverts, undoing any word
     * already written.
     */
    function _applyDeltas(
        uint256[_MAX_WORDS] storage words,
        uint256 size,
        bytes calldata packedDeltas
    ) private returns (uint256 refusal) {
        assembly ("memory-safe") {
            let ptr := packedDeltas.offset
            let end := add(ptr, packedDeltas.length)
            // No word is loaded yet: `current` is meaningless until `wordIndex` names a word.
            let wordIndex := not(0)
            let current := 0
            let dirty := 0
            for {} lt(ptr, end) { ptr := add(ptr, 4) } {
                let delta := shr(224, calldataload(ptr))
                let index := shr(2, delta)
                if xor(shr(7, index), wordIndex) {
                    if dirty {
                        sstore(add(words.slot, wordIndex), current)
                    }
                    wordIndex := shr(7, index)
                    current := sload(add(words.slot, wordIndex))
                    dirty := 0
                }
                let shift := shl(1, and(index, 127))
                let old := and(shr(shift, current), 3)
                // One branch for every refusal: index out of range, or a refused
                // (old, value) pair looked up in _REFUSED; the caller names it.
                if or(iszero(lt(index, size)), and(shr(or(shl(2, old), and(delta, 3)), _REFUSED), 1)) {
                    refusal := or(shl(32, 1), delta)
                    break
                }
                // old ^ (old ^ value) = value, in place; nothing changes when they are equal.
                let diff := xor(old, and(delta, 3))
                current := xor(current, shl(shift, diff))
                dirty := or(dirty, diff) // non-zero once the word changed
            }
            // After a refusal this write is reverted with the rest.
            if dirty {
                sstore(add(words.slot, wordIndex), current)
            }
        }
    }

    /**
     * @notice The status of entry `index` of list `listId`: 0 valid, 1 revoked, 2 suspended.
     * @dev Reverts with `StatusRegistryUnknownList` or `StatusRegistryIndexOutOfRange`.
     * @param listId The list.
     * @param index The entry, below the list's size.
     * @return The entry's 2-bit status.
     */
    function statusOf(uint256 listId, uint32 index) external view returns (uint8) {
        uint32 size = _lists[listId].size;
        if (size == 0) revert StatusRegistryUnknownList(listId);
        if (index >= size) revert StatusRegistryIndexOutOfRange(listId, index, size);
        uint256 word = _words[listId][index / ENTRIES_PER_WORD];
        return uint8((word >> (2 * (index % ENTRIES_PER_WORD))) & 3);
    }

    /**
     * @notice Up to `count` words of list `listId` from word `fromWord` (128 entries per word,
     * entry `i` at bits `2 * (i % 128)` of word `i / 128`, least significant first).
     * @dev Returns words `[fromWord, min(fromWord + count, wordCount))` where
     * `wordCount = ceil(size / 128)`: a read past the end is truncated (an
     * empty array when `fromWord == wordCount`), so a reader may page with a
     * fixed `count` until it gets fewer words. Reverts with
     * `StatusRegistryReadTooLarge` when `count > MAX_READ_WORDS`,
     * `StatusRegistryWordOutOfRange` when `fromWord > wordCount`, and
     * `StatusRegistryUnknownList`. Bits of entries at or after `size` in the
     * last word are always zero.
     * @param listId The list.
     * @param fromWord The first word to read.
     * @param count The number of words wanted, at most `MAX_READ_WORDS`.
     * @return words The words read.
     */
    function readWords(uint256 listId, uint32 fromWord, uint32 count) external view returns (uint256[] memory words) {
        uint32 size = _lists[listId].size;
        if (size == 0) revert StatusRegistryUnknownList(listId);
        if (count > MAX_READ_WORDS) revert StatusRegistryReadTooLarge(count, MAX_READ_WORDS);
        uint32 wordCount = uint32((uint256(size) + ENTRIES_PER_WORD - 1) / ENTRIES_PER_WORD);
        if (fromWord > wordCount) revert StatusRegistryWordOutOfRange(listId, fromWord, wordCount);
        uint256 available = wordCount - fromWord;
        uint256 n = count < available ? count : available;
        words = new uint256[](n);
        uint256[_MAX_WORDS] storage stored = _words[listId];
        for (uint256 i = 0; i < n; ) {
            words[i] = stored[fromWord + i];
            unchecked {
                ++i;
            }
        }
    }

    /**
     * @notice Metadata of list `listId`.
     * @dev Reverts with `StatusRegistryUnknownList`.
     * @param listId The list.
     * @return owner The address the list was created for (its first writer).
     * @return size The number of entries.
     * @return sequence The number of batches applied so far (the next batch's `expectedSequence`).
     * @return lastUpdateBlock The block of the last batch, 0 if none.
     */
    function listInfo(uint256 listId)
        external
        view
        returns (address owner, uint32 size, uint64 sequence, uint64 lastUpdateBlock)
    {
        List storage list = _lists[listId];
        size = list.size;
        if (size == 0) revert StatusRegistryUnknownList(listId);
        return (list.owner, size, list.sequence, list.lastUpdateBlock);
    }

    /**
     * @notice Number of lists created; list ids are `0 .. listCount() - 1`.
     * @return The number of lists.
     */
    function listCount() external view returns (uint256) {
        return _listCount;
    }

    /**
     * @notice The AccessControl role allowed to write list `listId`:
     * `keccak256(abi.encode("urbis.StatusRegistry.writer", listId))`.
     * @param listId The list (existing or not).
     * @return The role.
     */
    function writerRole(uint256 listId) public pure returns (bytes32) {
        return keccak256(abi.encode("urbis.StatusRegistry.writer", listId));
    }

    /**
     * @notice Grants `role` to `account`, as AccessControl does, for the
     * registry roles and for writer roles of existing lists only.
     * @dev Refuses any other role with `StatusRegistryUnknownRole`, so that
     * nobody holds the writer role of a list before the list exists (its admin
     * would be `DEFAULT_ADMIN_ROLE` until then). A writer role's admin is the
     * writer role itself.
     * @param role The role.
     * @param account The account to grant it to.
     */
    function grantRole(bytes32 role, address account) public override {
        if (role != DEFAULT_ADMIN_ROLE && role != LIST_CREATOR_ROLE && getRoleAdmin(role) != role) {
            revert StatusRegistryUnknownRole(role);
        }
        super.grantRole(role, account);
    }

    /**
     * @notice ERC-165: AccessControl's interfaces and `IStatusRegistry`.
     * @param interfaceId The interface id.
     * @return Whether the contract implements it.
     */
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IStatusRegistry).interfaceId || super.supportsInterface(interfaceId);
    }
}
