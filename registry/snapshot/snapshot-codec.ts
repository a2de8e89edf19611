import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { Hasher, SigningKey } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import type { Compression } from '../../core/status/compression.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import type { SnapshotContent } from './snapshot-content.js';
import { appendSignature, encodeSnapshotBody, parseSnapshotFrame, readSnapshotContent, type SnapshotLimits } from './snapshot-format.js';
import { signSnapshotBody } from './snapshot-signature.js';

/**
 * Serializes and signs a snapshot (format: `snapshot-format.ts`; signature:
 * `snapshot-signature.ts`).
 *
 * @throws UrbisError `ALG_NOT_ALLOWED` (not an ES256 key), `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const bytes = await encodeSnapshot({ content, signingKey: crypto.signingKeyFromJwk({ privateJwk, kid: 'snapshots-2026' }) });
 * writeFileSync('terminal.snapshot', bytes);
 * ```
 */
export async function encodeSnapshot({
  content,
  signingKey,
  iat = Math.floor(Date.now() / 1000),
  hash = createNodeCrypto().hash,
  compression = createNodeCompression(),
}: {
  content: SnapshotContent;
  signingKey: SigningKey;
  /** Signature time, epoch seconds (default now). */
  iat?: number;
  hash?: Hasher;
  compression?: Compression;
}): Promise<Uint8Array> {
  const body = encodeSnapshotBody({ content, compression });
  const signature = await signSnapshotBody({ body, signingKey, hash, iat });
  return appendSignature(body, signature);
}

/** A decoded, NOT verified, snapshot. */
export interface DecodedSnapshot {
  content: SnapshotContent;
  /** The signature trailer's JOSE header and payload, as found. */
  signature: { header: Record<string, unknown>; payload: Record<string, unknown> };
}

/**
 * Decodes a snapshot WITHOUT verifying its signature: for tools that
 * inspect a file. A terminal loads snapshots with `verifyAndLoadSnapshot`.
 *
 * @throws UrbisError `SNAPSHOT_MALFORMED`, `SNAPSHOT_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const { content } = decodeSnapshot({ bytes });
 * console.log(content.sync.blockNumber, content.lists.length);
 * ```
 */
export function decodeSnapshot({
  bytes,
  limits,
  compression = createNodeCompression(),
}: {
  bytes: Uint8Array;
  limits?: SnapshotLimits;
  compression?: Compression;
}): DecodedSnapshot {
  const frame = parseSnapshotFrame(bytes, limits);
  let jws: ReturnType<typeof decodeCompactJws>;
  try {
    jws = decodeCompactJws(frame.signature);
  } catch (cause) {
    throw new UrbisError('SNAPSHOT_MALFORMED', 'the snapshot signature is not a compact JWS', { cause });
  }
  return {
    content: readSnapshotContent({ frame, compression, ...(limits === undefined ? {} : { limits }) }),
    signature: { header: jws.header, payload: jws.payload },
  };
}
