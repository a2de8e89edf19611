import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { isStatusBits, type StatusBits } from './bit-packing.js';
import { resolveDecompressOptions, type Compression, type DecompressionLimits } from './compression.js';
import { StatusList } from './status-list.js';

/**
 * IETF Token Status List (draft-ietf-oauth-status-list): the `status_list`
 * JSON object (§4.2) and the unsigned parts of a `statuslist+jwt` Status List
 * Token (§5.1). Signing and verifying the token: `status-list-jwt.ts`.
 */

/** The `status_list` object (§4.2). */
export interface TokenStatusListObject {
  /** Bits per Referenced Token: 1, 2, 4 or 8. */
  bits: StatusBits;
  /** base64url (no padding) of the ZLIB/DEFLATE-compressed LSB-first byte array. */
  lst: string;
  /** Optional URI of a Status List Aggregation (§9). */
  aggregation_uri?: string;
}

/** The JWT media type of a Status List Token (§5.1). */
export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';

/** Protected header of a Status List Token as Urbis signs it (ES256 only, DESIGN §4). */
export interface StatusListTokenHeader {
  typ: typeof STATUS_LIST_JWT_TYP;
  alg: 'ES256';
  kid?: string;
}

/** Claims of a Status List Token (§5.1). Other claims may be present. */
export interface StatusListTokenPayload {
  /** Issuer; required when the Referenced Tokens carry one. */
  iss?: string;
  /** URI of this Status List Token; equals the `uri` in the Referenced Token. */
  sub: string;
  /** Issued-at, seconds since the epoch. */
  iat: number;
  /** Expiry, seconds since the epoch. */
  exp?: number;
  /** Maximum caching time in seconds (positive). */
  ttl?: number;
  status_list: TokenStatusListObject;
  [claim: string]: unknown;
}

/**
 * Encodes a list as the `status_list` object: ZLIB/DEFLATE at level 9
 * (the highest level, as §4.1 recommends), then base64url.
 *
 * @example
 * ```ts
 * const list = StatusList.fromBytes({ bytes: Uint8Array.of(0xb9, 0xa3), bits: 1 });
 * encodeTokenStatusList({ list, compression: createNodeCompression() });
 * // { bits: 1, lst: 'eNrbuRgAAhcBXQ' }  (§4.2 example)
 * ```
 */
export function encodeTokenStatusList({
  list,
  compression,
}: {
  list: StatusList;
  compression: Compression;
}): TokenStatusListObject {
  return { bits: list.bits, lst: base64urlEncode(compression.deflate(list.asBytes())) };
}

/**
 * Checks the shape of a `status_list` value (from a parsed payload) and
 * returns it typed.
 * @throws UrbisError `STATUS_LIST_MALFORMED` when it is not an object with
 *   `bits` in 1, 2, 4, 8 and a string `lst`.
 */
export function parseTokenStatusListObject(value: unknown): TokenStatusListObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'status_list must be a JSON object');
  }
  const { bits, lst, aggregation_uri: aggregationUri } = value as Record<string, unknown>;
  if (!isStatusBits(bits)) throw new UrbisError('STATUS_LIST_MALFORMED', 'status_list.bits must be 1, 2, 4 or 8');
  if (typeof lst !== 'string' || lst.length === 0) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'status_list.lst must be a non-empty string');
  }
  if (aggregationUri !== undefined && typeof aggregationUri !== 'string') {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'status_list.aggregation_uri must be a string');
  }
  const out: TokenStatusListObject = { bits, lst };
  if (aggregationUri !== undefined) out.aggregation_uri = aggregationUri;
  return out;
}

/**
 * Decodes a `status_list` object into a {@link StatusList}: base64url, then
 * bounded inflation (10 MiB decompressed by default, DESIGN §4), keeping the
 * bytes as they are (both sides are LSB-first). Accepts any list size the
 * spec allows (no Urbis minimum) and any compression level.
 *
 * @throws UrbisError `STATUS_LIST_MALFORMED` (bad shape, bad base64url, corrupt
 *   or truncated compression, empty list); `STATUS_LIST_TOO_LARGE` (compressed
 *   or decompressed size above the limits).
 *
 * @example
 * ```ts
 * const list = decodeTokenStatusList({ statusList: { bits: 2, lst: 'eNo76fITAAPfAgc' }, compression });
 * list.get(1); // 2 (SUSPENDED)
 * ```
 */
export function decodeTokenStatusList({
  statusList,
  compression,
  limits,
}: {
  statusList: unknown;
  compression: Compression;
  limits?: DecompressionLimits;
}): StatusList {
  const { bits, lst } = parseTokenStatusListObject(statusList);
  const options = resolveDecompressOptions(limits);
  // Refuse an oversized string before decoding it (4 characters per 3 bytes).
  if (lst.length > Math.ceil((options.maxInputBytes * 4) / 3)) {
    throw new UrbisError('STATUS_LIST_TOO_LARGE', 'compressed status list exceeds the input size limit');
  }
  let compressed: Uint8Array;
  try {
    compressed = base64urlDecode(lst);
  } catch (cause) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'status_list.lst is not base64url', { cause });
  }
  const bytes = compression.inflate(compressed, options);
  return StatusList.fromBytes({ bytes, bits });
}

/**
 * Builds the protected header of a Status List Token (§5.1).
 *
 * @example
 * ```ts
 * buildStatusListTokenHeader({ kid: 'did:web:city.example#key-1' });
 * // { typ: 'statuslist+jwt', alg: 'ES256', kid: 'did:web:city.example#key-1' }
 * ```
 */
export function buildStatusListTokenHeader({ kid }: { kid?: string } = {}): StatusListTokenHeader {
  const header: StatusListTokenHeader = { typ: STATUS_LIST_JWT_TYP, alg: 'ES256' };
  if (kid !== undefined) header.kid = kid;
  return header;
}

/**
 * Builds the (unsigned) claims of a Status List Token (§5.1): `sub`, `iat`,
 * optional `iss`, `exp`, `ttl`, and `status_list`. Pass either an encoded
 * `statusList` object or a `list` plus `compression` to encode it here.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for an empty `sub`, a non-integer
 *   `iat`/`exp`, `exp` not after `iat`, or a `ttl` that is not a positive number.
 *
 * @example
 * ```ts
 * const payload = buildStatusListTokenPayload({
 *   sub: 'https://city.example/status/1',
 *   iat: 1_700_000_000,
 *   exp: 1_700_086_400,
 *   ttl: 3600,
 *   list,
 *   compression,
 * });
 * ```
 */
export function buildStatusListTokenPayload(
  args: {
    sub: string;
    iat: number;
    iss?: string;
    exp?: number;
    ttl?: number;
  } & ({ statusList: TokenStatusListObject } | { list: StatusList; compression: Compression }),
): StatusListTokenPayload {
  const { sub, iat, iss, exp, ttl } = args;
  if (typeof sub !== 'string' || sub.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'sub must be a non-empty URI');
  if (!Number.isSafeInteger(iat) || iat < 0) throw new UrbisError('INVALID_ARGUMENT', 'iat must be an integer NumericDate');
  if (exp !== undefined && (!Number.isSafeInteger(exp) || exp <= iat)) {
    throw new UrbisError('INVALID_ARGUMENT', 'exp must be an integer NumericDate after iat');
  }
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0)) {
    throw new UrbisError('INVALID_ARGUMENT', 'ttl must be a positive number');
  }
  const statusList =
    'statusList' in args
      ? parseTokenStatusListObject(args.statusList)
      : encodeTokenStatusList({ list: args.list, compression: args.compression });
  return {
    ...(iss === undefined ? {} : { iss }),
    sub,
    iat,
    ...(exp === undefined ? {} : { exp }),
    ...(ttl === undefined ? {} : { ttl }),
    status_list: statusList,
  };
}
