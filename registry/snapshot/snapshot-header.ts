import type { PublicJwk } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { SnapshotCheckpoint, SnapshotContent, SnapshotIssuer, SnapshotSyncPoint } from './snapshot-content.js';

/**
 * The JSON header of the snapshot format (see `snapshot-format.ts`): its
 * wire shape, and a strict reader that refuses anything else with
 * `SNAPSHOT_MALFORMED` (wrong types, out-of-range numbers, duplicate list
 * ids or URIs, unknown bit widths). Read only after the signature verified,
 * so its limits guard against a faulty builder rather than an attacker.
 */

/** One list in the header; its payload is the next `length` bytes after the previous list's. */
export interface HeaderList {
  listId: number;
  uri: string;
  size: number;
  bits: 2;
  sequence: number;
  /** Bytes of its DEFLATE (zlib) payload. */
  length: number;
}

export interface SnapshotHeader {
  chainId: number;
  statusRegistry: string;
  trustedIssuerRegistry: string;
  sync: SnapshotSyncPoint;
  issuers: SnapshotIssuer[];
  lists: HeaderList[];
  journal: SnapshotCheckpoint[];
}

/** Bounds on what a header may declare. */
export interface HeaderLimits {
  maxLists: number;
  maxIssuers: number;
  /** Largest list, in entries (10 MiB of 2-bit entries, DESIGN §4). */
  maxListEntries: number;
}

/** The header of `content`, given each list's payload length. */
export function headerOf(content: SnapshotContent, payloadLengths: readonly number[]): SnapshotHeader {
  return {
    chainId: content.chainId,
    statusRegistry: content.statusRegistry,
    trustedIssuerRegistry: content.trustedIssuerRegistry,
    sync: { ...content.sync },
    issuers: content.issuers,
    lists: content.lists.map((l, i) => ({ listId: l.listId, uri: l.uri, size: l.list.size, bits: 2, sequence: l.sequence, length: payloadLengths[i]! })),
    journal: content.journal,
  };
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;
const MAX_STRING = 2048;
const MAX_KEYS = 64;
const MAX_TYPES = 64;
const MAX_UINT64_SAFE = Number.MAX_SAFE_INTEGER;

function malformed(path: string, problem: string): never {
  throw new UrbisError('SNAPSHOT_MALFORMED', `snapshot header: ${path} ${problem}`);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) malformed(path, 'must be an object');
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value)) malformed(path, 'must be an array');
  if (value.length > max) malformed(path, `has more than ${max} elements`);
  return value;
}

function integer(value: unknown, path: string, min = 0, max = MAX_UINT64_SAFE): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) malformed(path, `must be an integer in ${min}..${max}`);
  return value;
}

function string(value: unknown, path: string, pattern?: RegExp): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_STRING) malformed(path, 'must be a non-empty string');
  if (pattern !== undefined && !pattern.test(value)) malformed(path, 'has the wrong form');
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') malformed(path, 'must be a boolean');
  return value;
}

/**
 * Checks a parsed header and returns it typed.
 * @throws UrbisError `SNAPSHOT_MALFORMED`
 */
export function readHeader(value: unknown, limits: HeaderLimits): SnapshotHeader {
  const h = object(value, 'header');
  const s = object(h.sync, 'sync');
  const sync: SnapshotSyncPoint = {
    blockNumber: integer(s.blockNumber, 'sync.blockNumber'),
    blockHash: string(s.blockHash, 'sync.blockHash', HASH),
    blockTime: integer(s.blockTime, 'sync.blockTime'),
    syncedAt: integer(s.syncedAt, 'sync.syncedAt'),
  };
  const header: SnapshotHeader = {
    chainId: integer(h.chainId, 'chainId', 1),
    statusRegistry: string(h.statusRegistry, 'statusRegistry', ADDRESS),
    trustedIssuerRegistry: string(h.trustedIssuerRegistry, 'trustedIssuerRegistry', ADDRESS),
    sync,
    issuers: array(h.issuers, 'issuers', limits.maxIssuers).map((v, i) => readIssuer(v, `issuers[${i}]`)),
    lists: array(h.lists, 'lists', limits.maxLists).map((v, i) => readList(v, `lists[${i}]`, limits)),
    journal: array(h.journal, 'journal', 1024).map((v, i) => readCheckpoint(v, `journal[${i}]`)),
  };
  const ids = new Set<number>();
  const uris = new Set<string>();
  for (const list of header.lists) {
    if (ids.has(list.listId)) malformed('lists', 'repeat a list id');
    if (uris.has(list.uri)) malformed('lists', 'repeat a URI');
    ids.add(list.listId);
    uris.add(list.uri);
  }
  const dids = new Set<string>();
  for (const issuer of header.issuers) {
    if (dids.has(issuer.did)) malformed('issuers', 'repeat a DID');
    dids.add(issuer.did);
  }
  let previous = -1;
  for (const checkpoint of header.journal) {
    if (checkpoint.blockNumber <= previous || checkpoint.blockNumber >= header.sync.blockNumber) {
      malformed('journal', 'must list earlier blocks, oldest first');
    }
    previous = checkpoint.blockNumber;
    for (const undo of checkpoint.undo) if (!ids.has(undo.listId)) malformed('journal', 'names a list the snapshot does not hold');
  }
  return header;
}

function readIssuer(value: unknown, path: string): SnapshotIssuer {
  const o = object(value, path);
  const keyThumbprints = array(o.keyThumbprints, `${path}.keyThumbprints`, MAX_KEYS).map((t, i) => string(t, `${path}.keyThumbprints[${i}]`, THUMBPRINT));
  const keys = array(o.keys, `${path}.keys`, MAX_KEYS).map((k, i) => {
    const key = object(k, `${path}.keys[${i}]`);
    const thumbprint = string(key.thumbprint, `${path}.keys[${i}].thumbprint`, THUMBPRINT);
    if (!keyThumbprints.includes(thumbprint)) malformed(`${path}.keys[${i}]`, 'is not one of the listed thumbprints');
    return { kid: string(key.kid, `${path}.keys[${i}].kid`), thumbprint, publicJwk: readJwk(key.publicJwk, `${path}.keys[${i}].publicJwk`) };
  });
  return {
    did: string(o.did, `${path}.did`, /^did:/),
    keyThumbprints,
    keys,
    credentialTypes: array(o.credentialTypes, `${path}.credentialTypes`, MAX_TYPES).map((t, i) => string(t, `${path}.credentialTypes[${i}]`)),
    validFrom: integer(o.validFrom, `${path}.validFrom`),
    validUntil: integer(o.validUntil, `${path}.validUntil`),
    suspended: boolean(o.suspended, `${path}.suspended`),
  };
}

function readJwk(value: unknown, path: string): PublicJwk {
  const o = object(value, path);
  if (o.kty !== 'EC' || o.crv !== 'P-256' || 'd' in o) malformed(path, 'must be a public P-256 JWK');
  const coordinate = /^[A-Za-z0-9_-]{43}$/;
  return { kty: 'EC', crv: 'P-256', x: string(o.x, `${path}.x`, coordinate), y: string(o.y, `${path}.y`, coordinate) };
}

function readList(value: unknown, path: string, limits: HeaderLimits): HeaderList {
  const o = object(value, path);
  if (o.bits !== 2) malformed(`${path}.bits`, 'must be 2');
  return {
    listId: integer(o.listId, `${path}.listId`),
    uri: string(o.uri, `${path}.uri`),
    size: integer(o.size, `${path}.size`, 1, limits.maxListEntries),
    bits: 2,
    sequence: integer(o.sequence, `${path}.sequence`),
    length: integer(o.length, `${path}.length`, 1),
  };
}

function readCheckpoint(value: unknown, path: string): SnapshotCheckpoint {
  const o = object(value, path);
  return {
    blockNumber: integer(o.blockNumber, `${path}.blockNumber`),
    blockHash: string(o.blockHash, `${path}.blockHash`, HASH),
    undo: array(o.undo, `${path}.undo`, 4096).map((u, i) => {
      const undo = object(u, `${path}.undo[${i}]`);
      const entries = array(undo.entries, `${path}.undo[${i}].entries`, 2 ** 24);
      if (entries.length % 2 !== 0) malformed(`${path}.undo[${i}].entries`, 'must hold index, value pairs');
      for (let k = 0; k < entries.length; k += 2) {
        integer(entries[k], `${path}.undo[${i}].entries`, 0, 2 ** 30 - 1);
        integer(entries[k + 1], `${path}.undo[${i}].entries`, 0, 2);
      }
      return {
        listId: integer(undo.listId, `${path}.undo[${i}].listId`),
        sequence: integer(undo.sequence, `${path}.undo[${i}].sequence`),
        reread: boolean(undo.reread, `${path}.undo[${i}].reread`),
        entries: entries as number[],
      };
    }),
  };
}
