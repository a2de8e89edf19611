import { open } from 'node:fs/promises';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { DEFAULT_VERIFICATION_LIMITS } from '../../core/verification/verification-policy.js';

/**
 * Where `urbis verify` takes a presentation from, read with a bound: at
 * most one byte more than the 64 KiB a presentation may be, so that an
 * oversized input reaches the terminal as oversized (`INPUT_TOO_LARGE`,
 * counted like any rejection) without ever being read, let alone parsed,
 * in full.
 */

/** Bytes read at most: the limit plus one, to tell "too large" from "exactly the limit". */
export const MAX_PRESENTATION_INPUT_BYTES = DEFAULT_VERIFICATION_LIMITS.maxPresentationBytes + 1;

/** Reads at most `maxBytes` from a stream (e.g. stdin), then stops reading. */
export async function readBounded(stream: AsyncIterable<Uint8Array | string>, maxBytes = MAX_PRESENTATION_INPUT_BYTES): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    const take = bytes.subarray(0, maxBytes - length);
    chunks.push(take);
    length += take.length;
    if (length >= maxBytes) break;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Reads at most `maxBytes` of a file: the presentation text, or the wallet
 * QR's compact bytes (the terminal tells them apart).
 *
 * @throws UrbisError `INVALID_ARGUMENT` when the file cannot be read (the
 *   message names neither the path nor any content).
 *
 * @example
 * ```ts
 * const presentation = await readPresentationFile({ path: 'scan.bin' });
 * const verdict = await terminal.verify({ presentation });
 * ```
 */
export async function readPresentationFile({ path, maxBytes = MAX_PRESENTATION_INPUT_BYTES }: { path: string; maxBytes?: number }): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', `--file cannot be read${typeof (cause as { code?: unknown }).code === 'string' ? ` (${(cause as { code: string }).code})` : ''}`, { cause });
  }
  try {
    const buffer = new Uint8Array(maxBytes);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, maxBytes - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length >= maxBytes) break;
    }
    return buffer.subarray(0, length);
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', '--file cannot be read', { cause });
  } finally {
    await handle.close();
  }
}
