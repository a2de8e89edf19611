import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { isStatusBits, lsbFirstToMsbFirst, msbFirstToLsbFirst, type StatusBits } from './bit-packing.js';
import { resolveDecompressOptions, type Compression, type DecompressionLimits } from './compression.js';
import { StatusList } from './status-list.js';

/**
 * W3C Bitstring Status List 1.0: the `encodedList` codec (§2.2, §3.3, §3.4),
 * the unsigned `BitstringStatusListCredential` (VCDM 2.0) and the
 * `BitstringStatusListEntry` a credential carries (§2.1).
 *
 * `encodedList` = multibase base64url (prefix `u`, no padding) of the GZIP
 * compressed bitstring. Index 0 is the left-most (most significant) bit of the
 * first byte; an entry of `statusSize` bits starts at bit `index * statusSize`
 * and is read most significant bit first. The in-memory {@link StatusList} is
 * LSB-first (Token Status List order); the conversion is exact (see
 * `bit-packing.ts`).
 *
 * Urbis publishes one list with `statusPurpose: 'message'` and
 * `statusSize: 2`, so that the same list carries revoked and suspended.
 */

/** §3.2: `minimumNumberOfEntries` (131,072), unless an ecosystem sets another bound. */
export const BITSTRING_STATUS_LIST_MIN_ENTRIES = 131_072;

/** Multibase prefix of base64url without padding. */
export const MULTIBASE_BASE64URL_PREFIX = 'u';

/** The VCDM 2.0 base context. */
export const VCDM_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** `statusPurpose` values with a meaning defined by §2.1. */
export type BitstringStatusPurpose = 'refresh' | 'revocation' | 'suspension' | 'message';

/** One `statusMessage` element (§2.1): `status` is a `0x`-prefixed hex string. */
export interface BitstringStatusMessage {
  status: string;
  message: string;
}

/**
 * The messages of Urbis's 2-bit `message` list. §2.1 requires exactly
 * 2^statusSize elements, so the reserved value 3 is listed with the message
 * `undefined`, which the spec sets aside for "not defined (yet)".
 */
export const URBIS_STATUS_MESSAGES: readonly BitstringStatusMessage[] = Object.freeze([
  Object.freeze({ status: '0x0', message: 'valid' }),
  Object.freeze({ status: '0x1', message: 'revoked' }),
  Object.freeze({ status: '0x2', message: 'suspended' }),
  Object.freeze({ status: '0x3', message: 'undefined' }),
]);

/** The `credentialSubject` of a status list credential (§2.2). */
export interface BitstringStatusListSubject {
  id: string;
  type: 'BitstringStatusList';
  statusPurpose: BitstringStatusPurpose;
  encodedList: string;
  /** Time to live in milliseconds. */
  ttl?: number;
  statusSize?: number;
  statusMessage?: BitstringStatusMessage[];
  statusReference?: string;
}

/** An unsigned `BitstringStatusListCredential` (VCDM 2.0). */
export interface BitstringStatusListCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string;
  validFrom: string;
  validUntil?: string;
  credentialSubject: BitstringStatusListSubject;
}

/** The `credentialStatus` entry of a credential (§2.1). */
export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: BitstringStatusPurpose;
  /** Base-10 string. */
  statusListIndex: string;
  statusListCredential: string;
  statusSize?: number;
  statusMessage?: BitstringStatusMessage[];
  statusReference?: string;
}

/**
 * Bitstring Generation (§3.3): list → MSB-first bitstring → GZIP (level 9) →
 * multibase base64url. Refuses lists below the W3C minimum.
 *
 * @throws UrbisError `STATUS_LIST_TOO_SMALL` below `minEntries` (131,072).
 *
 * @example
 * ```ts
 * const list = StatusList.create({ size: 131_072, bits: 2 });
 * list.transition(7, StatusValue.REVOKED);
 * const encodedList = encodeBitstringStatusList({ list, compression }); // 'uH4sI...'
 * ```
 */
export function encodeBitstringStatusList({
  list,
  compression,
  minEntries = BITSTRING_STATUS_LIST_MIN_ENTRIES,
}: {
  list: StatusList;
  compression: Compression;
  minEntries?: number;
}): string {
  if (list.size < minEntries) {
    throw new UrbisError('STATUS_LIST_TOO_SMALL', 'bitstring status list is below the minimum number of entries');
  }
  const bitstring = lsbFirstToMsbFirst({ bytes: list.asBytes(), bits: list.bits });
  return MULTIBASE_BASE64URL_PREFIX + base64urlEncode(compression.gzip(bitstring));
}

/**
 * Bitstring Expansion (§3.4): multibase-decode and bounded GUNZIP, returning
 * the MSB-first bitstring as is (readers test bits in it directly).
 *
 * @throws UrbisError `STATUS_LIST_MALFORMED` (not a string, multibase prefix
 *   other than `u`, bad base64url, corrupt GZIP, empty bitstring);
 *   `STATUS_LIST_TOO_LARGE` (compressed or decompressed size above the limits).
 */
export function expandBitstring({
  encodedList,
  compression,
  limits,
}: {
  encodedList: unknown;
  compression: Compression;
  limits?: DecompressionLimits;
}): Uint8Array {
  if (typeof encodedList !== 'string') throw new UrbisError('STATUS_LIST_MALFORMED', 'encodedList must be a string');
  if (!encodedList.startsWith(MULTIBASE_BASE64URL_PREFIX)) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'encodedList must be multibase base64url (prefix u)');
  }
  const options = resolveDecompressOptions(limits);
  const text = encodedList.slice(MULTIBASE_BASE64URL_PREFIX.length);
  if (text.length > Math.ceil((options.maxInputBytes * 4) / 3)) {
    throw new UrbisError('STATUS_LIST_TOO_LARGE', 'compressed status list exceeds the input size limit');
  }
  let compressed: Uint8Array;
  try {
    compressed = base64urlDecode(text);
  } catch (cause) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'encodedList is not base64url', { cause });
  }
  const bitstring = compression.gunzip(compressed, options);
  if (bitstring.length === 0) throw new UrbisError('STATUS_LIST_MALFORMED', 'bitstring is empty');
  return bitstring;
}

/**
 * Checks a `statusSize` (default 1, §2.1) and that the bitstring holds at
 * least `minEntries` entries of that size (§3.2).
 * @throws UrbisError `STATUS_LIST_MALFORMED` for a statusSize other than
 *   1, 2, 4, 8 (the only sizes Urbis reads); `STATUS_LIST_TOO_SMALL`.
 */
export function checkBitstringSize({
  bitstring,
  statusSize,
  minEntries,
}: {
  bitstring: Uint8Array;
  statusSize: unknown;
  minEntries: number;
}): StatusBits {
  if (!isStatusBits(statusSize)) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'statusSize must be 1, 2, 4 or 8');
  }
  if ((bitstring.length * 8) / statusSize < minEntries) {
    throw new UrbisError('STATUS_LIST_TOO_SMALL', 'bitstring status list is below the minimum number of entries');
  }
  return statusSize;
}

/**
 * Decodes an `encodedList` into an (LSB-first) {@link StatusList} of
 * `bitstring length / statusSize` entries.
 *
 * @throws UrbisError `STATUS_LIST_MALFORMED`, `STATUS_LIST_TOO_LARGE`,
 *   `STATUS_LIST_TOO_SMALL` (below `minEntries`, default 131,072, §3.2).
 *
 * @example
 * ```ts
 * const list = decodeBitstringStatusList({ encodedList, statusSize: 2, compression });
 * list.get(7); // 1 (revoked)
 * ```
 */
export function decodeBitstringStatusList(input: EncodedBitstringInput): StatusList {
  const { bitstring, bits } = expandCheckedBitstring(input);
  return StatusList.fromBytes({ bytes: msbFirstToLsbFirst({ bytes: bitstring, bits }), bits });
}

/** An `encodedList` to read, with its entry size and the limits to read it under. */
export interface EncodedBitstringInput {
  encodedList: unknown;
  /** Bits per entry (default 1). */
  statusSize?: number;
  compression: Compression;
  /** Fewest entries accepted (default 131,072, §3.2). */
  minEntries?: number;
  limits?: DecompressionLimits;
}

/**
 * Decompresses an `encodedList` and checks its entry size and length: the
 * MSB-first bitstring and its bits per entry, for the decoder and the reader.
 * @throws UrbisError `STATUS_LIST_MALFORMED`, `STATUS_LIST_TOO_LARGE`, `STATUS_LIST_TOO_SMALL`.
 */
export function expandCheckedBitstring({
  encodedList,
  statusSize = 1,
  compression,
  minEntries = BITSTRING_STATUS_LIST_MIN_ENTRIES,
  limits,
}: EncodedBitstringInput): { bitstring: Uint8Array; bits: StatusBits } {
  const bitstring = expandBitstring({ encodedList, compression, ...(limits === undefined ? {} : { limits }) });
  return { bitstring, bits: checkBitstringSize({ bitstring, statusSize, minEntries }) };
}

/**
 * Builds an unsigned `BitstringStatusListCredential` (VCDM 2.0, §2.2). Pass
 * a `list` and `compression` (encoded here) or an already `encodedList` with
 * its `statusSize`. For `statusPurpose: 'message'` (the default) the subject
 * also carries `statusSize` and `statusMessage` (default
 * {@link URBIS_STATUS_MESSAGES}), as §2.2 asks for that purpose.
 *
 * @throws UrbisError `STATUS_LIST_TOO_SMALL`; `INVALID_ARGUMENT` for a
 *   `validFrom`/`validUntil` that is not an XML Schema dateTimeStamp, or
 *   `statusMessage` of the wrong length.
 *
 * @example
 * ```ts
 * const credential = buildBitstringStatusListCredential({
 *   id: 'https://city.example/status/3',
 *   issuer: 'did:web:city.example',
 *   validFrom: new Date(),
 *   list,
 *   compression,
 * });
 * // credential.credentialSubject.encodedList starts with 'uH4sI'
 * ```
 */
export function buildBitstringStatusListCredential(
  args: {
    /** URL of the credential (the `statusListCredential` of the entries). */
    id: string;
    issuer: string;
    validFrom: Date | string;
    validUntil?: Date | string;
    statusPurpose?: BitstringStatusPurpose;
    /** `credentialSubject.id`; default `${id}#list`. */
    subjectId?: string;
    /** Time to live in milliseconds. */
    ttl?: number;
    statusMessage?: readonly BitstringStatusMessage[];
    statusReference?: string;
  } & ({ list: StatusList; compression: Compression } | { encodedList: string; statusSize: number }),
): BitstringStatusListCredential {
  const { id, issuer, statusPurpose = 'message', ttl, statusReference } = args;
  if (typeof id !== 'string' || id.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'id must be a URL');
  if (typeof issuer !== 'string' || issuer.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'issuer must be a URL or DID');
  if (ttl !== undefined && !(Number.isSafeInteger(ttl) && ttl > 0)) {
    throw new UrbisError('INVALID_ARGUMENT', 'ttl must be a positive integer (milliseconds)');
  }
  let encodedList: string;
  let statusSize: number;
  if ('list' in args) {
    encodedList = encodeBitstringStatusList({ list: args.list, compression: args.compression });
    statusSize = args.list.bits;
  } else {
    encodedList = args.encodedList;
    statusSize = args.statusSize;
    if (!isStatusBits(statusSize)) throw new UrbisError('INVALID_ARGUMENT', 'statusSize must be 1, 2, 4 or 8');
  }
  const subject: BitstringStatusListSubject = {
    id: args.subjectId ?? `${id}#list`,
    type: 'BitstringStatusList',
    statusPurpose,
    encodedList,
  };
  if (ttl !== undefined) subject.ttl = ttl;
  if (statusPurpose === 'message' || statusSize > 1) {
    subject.statusSize = statusSize;
    subject.statusMessage = statusMessagesFor(statusSize, args.statusMessage);
  }
  if (statusReference !== undefined) subject.statusReference = statusReference;
  const credential: BitstringStatusListCredential = {
    '@context': [VCDM_V2_CONTEXT],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer,
    validFrom: toDateTimeStamp(args.validFrom),
    credentialSubject: subject,
  };
  if (args.validUntil !== undefined) credential.validUntil = toDateTimeStamp(args.validUntil);
  return credential;
}

/**
 * Builds the `credentialStatus` entry for a credential whose status sits at
 * `statusListIndex` (§2.1). Urbis defaults: `statusPurpose: 'message'`,
 * `statusSize: 2`, `statusMessage` {@link URBIS_STATUS_MESSAGES}.
 *
 * @throws UrbisError `STATUS_INDEX_OUT_OF_RANGE` for a negative or
 *   non-integer index (or one ≥ `listSize` when given); `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * buildBitstringStatusListEntry({
 *   statusListCredential: 'https://city.example/status/3',
 *   statusListIndex: 94567,
 * });
 * // { id: 'https://city.example/status/3#94567', type: 'BitstringStatusListEntry',
 * //   statusPurpose: 'message', statusListIndex: '94567',
 * //   statusListCredential: 'https://city.example/status/3', statusSize: 2,
 * //   statusMessage: [{ status: '0x0', message: 'valid' }, ...] }
 * ```
 */
export function buildBitstringStatusListEntry({
  statusListCredential,
  statusListIndex,
  listSize,
  id,
  statusPurpose = 'message',
  statusSize = 2,
  statusMessage,
  statusReference,
}: {
  statusListCredential: string;
  statusListIndex: number;
  /** When given, the index is checked against it. */
  listSize?: number;
  /** Default `${statusListCredential}#${statusListIndex}`. */
  id?: string;
  statusPurpose?: BitstringStatusPurpose;
  statusSize?: number;
  statusMessage?: readonly BitstringStatusMessage[];
  statusReference?: string;
}): BitstringStatusListEntry {
  if (typeof statusListCredential !== 'string' || statusListCredential.length === 0) {
    throw new UrbisError('INVALID_ARGUMENT', 'statusListCredential must be a URL');
  }
  if (
    !Number.isSafeInteger(statusListIndex) ||
    statusListIndex < 0 ||
    (listSize !== undefined && statusListIndex >= listSize)
  ) {
    throw new UrbisError('STATUS_INDEX_OUT_OF_RANGE', 'status list index is not an integer within the list');
  }
  if (!isStatusBits(statusSize)) throw new UrbisError('INVALID_ARGUMENT', 'statusSize must be 1, 2, 4 or 8');
  const entry: BitstringStatusListEntry = {
    id: id ?? `${statusListCredential}#${statusListIndex}`,
    type: 'BitstringStatusListEntry',
    statusPurpose,
    statusListIndex: String(statusListIndex),
    statusListCredential,
  };
  if (statusSize > 1 || statusPurpose === 'message') {
    entry.statusSize = statusSize;
    entry.statusMessage = statusMessagesFor(statusSize, statusMessage);
  }
  if (statusReference !== undefined) entry.statusReference = statusReference;
  return entry;
}

/** The statusMessage array for `statusSize`: the given one (checked) or the Urbis default for 2 bits. */
function statusMessagesFor(
  statusSize: number,
  given: readonly BitstringStatusMessage[] | undefined,
): BitstringStatusMessage[] {
  const messages = given ?? (statusSize === 2 ? URBIS_STATUS_MESSAGES : defaultMessages(statusSize));
  if (messages.length !== 2 ** statusSize) {
    throw new UrbisError('INVALID_ARGUMENT', 'statusMessage must have one element per possible status value');
  }
  messages.forEach((m, i) => {
    if (m.status !== `0x${i.toString(16)}` || typeof m.message !== 'string') {
      throw new UrbisError('INVALID_ARGUMENT', 'statusMessage elements must list 0x0, 0x1, ... in order');
    }
  });
  return messages.map((m) => ({ ...m }));
}

/** §2.1 default messages for a 1-bit list ("unset"/"set"); `undefined` for every value above. */
function defaultMessages(statusSize: number): BitstringStatusMessage[] {
  return Array.from({ length: 2 ** statusSize }, (_, i) => ({
    status: `0x${i.toString(16)}`,
    message: statusSize === 1 ? (i === 0 ? 'unset' : 'set') : 'undefined',
  }));
}

const DATE_TIME_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A Date → `YYYY-MM-DDTHH:mm:ssZ`; a string is checked to be an XML Schema dateTimeStamp. */
function toDateTimeStamp(value: Date | string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new UrbisError('INVALID_ARGUMENT', 'date is invalid');
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (typeof value !== 'string' || !DATE_TIME_STAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UrbisError('INVALID_ARGUMENT', 'date must be an XML Schema dateTimeStamp');
  }
  return value;
}
