/**
 * Status-list benchmark: a 1,000,000-entry 2-bit list with 1% of entries
 * revoked or suspended at random, published as an IETF Token Status List.
 * Reports the compressed size, the time to decode it once, and the cost of
 * one status check on the reader (median of several rounds of many checks),
 * for the node:zlib and pako implementations and, as a reference row, for
 * `@sd-jwt/jwt-status-list` 0.19.0 (one decode and a few checks: it is slow).
 *
 * Writes no files; `bench/run.ts` collects the rows.
 */
import { getListFromStatusListJWT, type StatusList as SdJwtStatusList } from '@sd-jwt/jwt-status-list';
import { performance } from 'node:perf_hooks';
import { base64urlDecode, base64urlEncodeString } from '../core/encoding/base64url.js';
import type { Compression } from '../core/status/compression.js';
import { createNodeCompression } from '../core/status/node-compression.js';
import { createPakoCompression } from '../core/status/pako-compression.js';
import { StatusValue, type StatusList } from '../core/status/status-list.js';
import { statusReaderFromTokenStatusList, type StatusReader } from '../core/status/status-reader.js';
import { markedList, xorshift32 } from './bench-data.js';
import { median } from './measure.js';
import { buildStatusListTokenHeader, encodeTokenStatusList, type TokenStatusListObject } from '../core/status/token-status-list.js';

export interface StatusBenchRow {
  name: string;
  entries: number;
  compressedBytes: number;
  decodeMs: number;
  checkMicros: number;
  checksPerSecond: number;
}

const ENTRIES = 1_000_000;
const MARKED_SHARE = 0.01;
const SEED = 0x5eed_1234;
const PROBES = 1 << 20;
const ROUNDS = 7;
const DECODE_RUNS = 5;

export async function benchStatus(): Promise<StatusBenchRow[]> {
  const random = xorshift32(SEED);
  const list = markedList({ random, size: ENTRIES, share: MARKED_SHARE, markOf: (draw) => (draw & 1 ? StatusValue.REVOKED : StatusValue.SUSPENDED) });
  const node = createNodeCompression();
  const pako = createPakoCompression();
  const statusList = encodeTokenStatusList({ list, compression: node });
  const probes = Uint32Array.from({ length: PROBES }, () => random() % ENTRIES);

  const rows: StatusBenchRow[] = [
    urbisRow({ name: 'urbis token-status-list reader (node:zlib)', statusList, compression: node, probes, list }),
    urbisRow({ name: 'urbis token-status-list reader (pako)', statusList, compression: pako, probes, list }),
    sdJwtRow({ statusList, probes, list }),
  ];
  return rows;
}

function urbisRow({
  name,
  statusList,
  compression,
  probes,
  list,
}: {
  name: string;
  statusList: TokenStatusListObject;
  compression: Compression;
  probes: Uint32Array;
  list: StatusList;
}): StatusBenchRow {
  const decodeTimes: number[] = [];
  let reader: StatusReader | undefined;
  for (let run = 0; run < DECODE_RUNS; run++) {
    const started = performance.now();
    reader = statusReaderFromTokenStatusList({ statusList, compression });
    decodeTimes.push(performance.now() - started);
  }
  const r = reader!;
  checkAgreement(r, list, probes);
  const checkMicros = medianCheckMicros(r, probes, ROUNDS, probes.length);
  return row({ name, statusList, decodeMs: median(decodeTimes), checkMicros });
}

function sdJwtRow({ statusList, probes, list }: { statusList: TokenStatusListObject; probes: Uint32Array; list: StatusList }): StatusBenchRow {
  // The library reads the list out of an (unverified) JWT.
  const payload = { sub: 'https://city.example/status/1', iat: 1_700_000_000, status_list: statusList };
  const jwt = `${base64urlEncodeString(JSON.stringify(buildStatusListTokenHeader()))}.${base64urlEncodeString(JSON.stringify(payload))}.c2ln`;
  const started = performance.now();
  const decoded: SdJwtStatusList = getListFromStatusListJWT(jwt);
  const decodeMs = performance.now() - started;
  const reader = { statusAt: (index: number) => decoded.getStatus(index) };
  checkAgreement(reader, list, probes.subarray(0, 10_000));
  const checkMicros = medianCheckMicros(reader, probes, 3, 100_000);
  return row({ name: '@sd-jwt/jwt-status-list 0.19.0 (reference)', statusList, decodeMs, checkMicros });
}

function row({
  name,
  statusList,
  decodeMs,
  checkMicros,
}: {
  name: string;
  statusList: TokenStatusListObject;
  decodeMs: number;
  checkMicros: number;
}): StatusBenchRow {
  return {
    name,
    entries: ENTRIES,
    compressedBytes: base64urlDecode(statusList.lst).length,
    decodeMs: round(decodeMs, 3),
    checkMicros: round(checkMicros, 5),
    checksPerSecond: Math.round(1e6 / checkMicros),
  };
}

/** µs per check: median over rounds, each timing `perRound` lookups. */
function medianCheckMicros(reader: Pick<StatusReader, 'statusAt'>, probes: Uint32Array, rounds: number, perRound: number): number {
  const times: number[] = [];
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < perRound; i++) sink += reader.statusAt(probes[i % probes.length]!);
    times.push(((performance.now() - started) * 1000) / perRound);
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the loop observable
  return median(times);
}

/** Every reader must answer like the list it was built from. */
function checkAgreement(reader: Pick<StatusReader, 'statusAt'>, list: StatusList, probes: Uint32Array): void {
  for (const index of probes) {
    if (reader.statusAt(index) !== list.get(index)) throw new Error('status bench: reader disagrees with the list');
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

