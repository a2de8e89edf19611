/**
 * Status-list codecs (IETF Token Status List, W3C Bitstring Status List 1.0).
 * Re-exports only. The node:zlib implementation of the compression port is
 * deliberately not re-exported, so that browser bundles of this barrel never
 * pull node:zlib: import `createNodeCompression` from
 * `core/status/node-compression.js` (as with `core/crypto/node-crypto.js`).
 */
export {
  STATUS_BITS,
  isStatusBits,
  lsbFirstToMsbFirst,
  msbFirstToLsbFirst,
  reorderEntries,
  type BitOrder,
  type StatusBits,
} from './bit-packing.js';
export { MIN_STATUS_LIST_SIZE, StatusList, StatusValue, assertStatusTransition } from './status-list.js';
export {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  compressedBound,
  resolveDecompressOptions,
  type Compression,
  type DecompressOptions,
  type DecompressionLimits,
  type DeflateFunction,
  type GunzipFunction,
  type GzipFunction,
  type InflateFunction,
} from './compression.js';
export { createPakoCompression } from './pako-compression.js';
export {
  STATUS_LIST_JWT_TYP,
  buildStatusListTokenHeader,
  buildStatusListTokenPayload,
  decodeTokenStatusList,
  encodeTokenStatusList,
  parseTokenStatusListObject,
  type StatusListTokenHeader,
  type StatusListTokenPayload,
  type TokenStatusListObject,
} from './token-status-list.js';
export {
  DEFAULT_MAX_STATUS_LIST_TOKEN_LENGTH,
  signStatusListToken,
  verifyStatusListToken,
  type StatusListKeySource,
  type VerifiedStatusListToken,
} from './status-list-jwt.js';
export {
  BITSTRING_STATUS_LIST_MIN_ENTRIES,
  MULTIBASE_BASE64URL_PREFIX,
  URBIS_STATUS_MESSAGES,
  VCDM_V2_CONTEXT,
  buildBitstringStatusListCredential,
  buildBitstringStatusListEntry,
  checkBitstringSize,
  decodeBitstringStatusList,
  encodeBitstringStatusList,
  expandBitstring,
  expandCheckedBitstring,
  type EncodedBitstringInput,
  type BitstringStatusListCredential,
  type BitstringStatusListEntry,
  type BitstringStatusListSubject,
  type BitstringStatusMessage,
  type BitstringStatusPurpose,
} from './bitstring-status-list.js';
export {
  assertStatusValid,
  createStatusReader,
  statusReaderFromBitstring,
  statusReaderFromTokenStatusList,
  statusResultCode,
  type StatusReader,
  type StatusResultCode,
} from './status-reader.js';
export { DEFAULT_MAX_FILL_RATIO, MAX_ALLOCATABLE_SIZE, allocateStatusIndices } from './index-allocator.js';
export {
  STATUS_REVOKED,
  STATUS_SUSPENDED,
  STATUS_VALID,
  createSnapshotStatusSource,
  type StatusRef,
  type StatusSource,
} from './status-source.js';
