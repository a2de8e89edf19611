// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IStatusRegistry
 * @notice Status lists of verifiable credentials, 2 bits per entry
 * (0 valid, 1 revoked, 2 suspended, 3 reserved), owned by issuers.
 *
 * Privacy: the registry holds and emits nothing but list ids, entry indices,
 * status bits and the addresses of issuers. A status index is a random number
 * drawn by the issuer; it says nothing about the holder. No personal data is
 * ever written here.
 *
 * Layout: entry `i` of a list lives in word `i / 128`, at bits
 * `[2 * (i % 128), 2 * (i % 128) + 1]`, least significant bits first (as
 * OpenZeppelin BitMaps and the IETF Token Status List order bits).
 *
 * Batches: `packedDeltas` is a sequence of 4-byte big-endian words, one per
 * change, each `(index << 2) | value`. A batch applies atomically, and only
 * when the list's `sequence` (the number of batches applied so far) equals
 * `expectedSequence`: a publisher that resends a batch after a crash learns
 * that it was already applied instead of applying it twice.
 */
interface IStatusRegistry {
    /// @notice A status list was created for `owner`, with `size` entries, all valid.
    event ListCreated(uint256 indexed listId, address indexed owner, uint32 size);

    /// @notice A batch of status changes was applied; `sequence` is the list's batch number (first is 0).
    event StatusesUpdated(uint256 indexed listId, uint64 indexed sequence, bytes packedDeltas);

    /// @notice Creates a list of `size` entries (at least 131,072, at most 2^30) owned by `owner`.
    function createList(address owner, uint32 size) external returns (uint256 listId);

    /// @notice Applies a batch of changes to a list the caller may write.
    function updateStatuses(uint256 listId, uint64 expectedSequence, bytes calldata packedDeltas) external;

    /// @notice The status of one entry.
    function statusOf(uint256 listId, uint32 index) external view returns (uint8);

    /// @notice `count` words of the list from word `fromWord` (128 entries per word).
    function readWords(uint256 listId, uint32 fromWord, uint32 count) external view returns (uint256[] memory words);

    /// @notice Owner, size, batches applied so far, and block of the last batch.
    function listInfo(uint256 listId)
        external
        view
        returns (address owner, uint32 size, uint64 sequence, uint64 lastUpdateBlock);

    /// @notice Number of lists created; list ids are 0 .. listCount() - 1.
    function listCount() external view returns (uint256);

    /// @notice The AccessControl role allowed to write list `listId`.
    function writerRole(uint256 listId) external pure returns (bytes32);
}
