import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PrivateJwk, SigningKey } from '../../core/crypto/ports.js';
import { utf8Decode, utf8Encode } from '../../core/encoding/base64url.js';
import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { readLocalFile, writeLocalFile } from './local-file.js';

/**
 * The terminal's own snapshot key: an ES256 key that signs the snapshots the
 * terminal derives by delta sync, so that its own file passes the same
 * signature check as a federation snapshot when it restarts (see
 * `terminal-snapshot.ts` for why). It lives beside the snapshot, as a
 * private JWK in a JSON file of mode 0o600, and is trusted by this terminal
 * only: no other terminal configures it, and `load()` never accepts it.
 */

/** `kid` prefix of terminal snapshot keys (the rest is the key's RFC 7638 thumbprint). */
export const LOCAL_SNAPSHOT_KID_PREFIX = 'urbis-terminal-snapshot:';

/** Largest key file read (a P-256 private JWK is ~250 bytes). */
const MAX_KEY_FILE_BYTES = 4096;

/**
 * Opens the terminal's snapshot key at `path`, generating and saving one
 * (atomically, mode 0o600) when there is none and `create` is true.
 *
 * @throws UrbisError `KEY_INVALID` (the file is not a private P-256 JWK),
 *   `SNAPSHOT_MISSING` (no file and `create: false`),
 *   `SNAPSHOT_STORAGE_FAILED` (the file could not be read or written).
 *
 * @example
 * ```ts
 * const localSigner = await openLocalSnapshotKey({ path: '/var/lib/urbis/terminal-snapshot-key.json' });
 * const snapshot = await openTerminalSnapshot({ path, trustedSigners, localSigner, network });
 * ```
 */
export async function openLocalSnapshotKey({ path, create = true }: { path: string; create?: boolean }): Promise<SigningKey> {
  if (typeof path !== 'string' || path.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'the snapshot key needs a path');
  const crypto = createNodeCrypto();
  let privateJwk: PrivateJwk;
  try {
    privateJwk = parseKeyFile(await readLocalFile({ path, maxBytes: MAX_KEY_FILE_BYTES }));
  } catch (error) {
    if (!create || !isUrbisError(error, 'SNAPSHOT_MISSING')) throw error;
    privateJwk = crypto.generateKeyPair().privateJwk;
    await writeLocalFile({ path, bytes: utf8Encode(JSON.stringify(privateJwk)) });
  }
  const unnamed = crypto.signingKeyFromJwk({ privateJwk });
  const thumbprint = await calculateJwkThumbprint({ publicJwk: unnamed.publicJwk, hash: crypto.hash });
  return crypto.signingKeyFromJwk({ privateJwk, kid: `${LOCAL_SNAPSHOT_KID_PREFIX}${thumbprint}` });
}

function parseKeyFile(bytes: Uint8Array): PrivateJwk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(bytes));
  } catch (cause) {
    throw new UrbisError('KEY_INVALID', 'the terminal snapshot key file is not JSON', { cause });
  }
  const jwk = parsed as Partial<PrivateJwk> | null;
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new UrbisError('KEY_INVALID', 'the terminal snapshot key file is not a private P-256 JWK');
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d };
}
