import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { SigningKey } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toPrivateP256Jwk, toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import type { IssuerKeyInput } from '../snapshot/issuer-entries.js';
import { readJsonValueOrFile } from '../config/json-value-or-file.js';
import type { CliEnv } from './chain-cli-context.js';

/**
 * Inputs of `urbis chain snapshot`, read exactly as the terminal reads its
 * own (`verifier/config/terminal-config.ts`, `registry/snapshot/list-specs.ts`):
 * `--lists <id=uri,…>`, `URBIS_SNAPSHOT_ISSUER_KEYS`, and the federation
 * signing key `URBIS_SNAPSHOT_SIGNING_KEY` whose public half terminals list
 * in `URBIS_SNAPSHOT_SIGNERS`.
 */

/**
 * The federation's snapshot signing key from `URBIS_SNAPSHOT_SIGNING_KEY`:
 * a private P-256 JWK, inline or the path of a file holding it (as
 * `urbis chain snapshot-key` writes it). Its `kid`, when it has one, names
 * the key in the signature (terminals must then list the public key with
 * the same `kid`); else its RFC 7638 thumbprint does.
 * @throws UrbisError `CONFIG_INVALID` (unset, unreadable, not a private P-256 JWK).
 */
export function readSnapshotSigningKey(env: CliEnv): SigningKey {
  const name = 'URBIS_SNAPSHOT_SIGNING_KEY';
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') throw new UrbisError('CONFIG_INVALID', `set ${name} to the federation's snapshot signing key (a private P-256 JWK, inline or a file; see urbis chain snapshot-key)`);
  const value = readJsonValueOrFile({ raw, name });
  try {
    const privateJwk = toPrivateP256Jwk(value);
    const kid = (value as { kid?: unknown }).kid;
    return createNodeCrypto().signingKeyFromJwk({ privateJwk, ...(typeof kid === 'string' && kid !== '' ? { kid } : {}) });
  } catch (cause) {
    throw new UrbisError('CONFIG_INVALID', `${name} is not a private P-256 JWK`, { cause });
  }
}

/**
 * `URBIS_SNAPSHOT_ISSUER_KEYS`: `{ "<did>": [jwk or {publicJwk, kid}] }`,
 * inline or a file path; undefined when unset. Only keys whose thumbprint
 * the federation registry lists go into the snapshot.
 * @throws UrbisError `CONFIG_INVALID`.
 */
export function readIssuerKeyMap(env: CliEnv): Record<string, IssuerKeyInput[]> | undefined {
  const name = 'URBIS_SNAPSHOT_ISSUER_KEYS';
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = readJsonValueOrFile({ raw, name });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UrbisError('CONFIG_INVALID', `${name} must be a JSON object: issuer DID → array of public JWKs`);
  const out: Record<string, IssuerKeyInput[]> = {};
  for (const [did, keys] of Object.entries(value)) {
    if (!/^did:[a-z0-9]+:\S+$/.test(did) || !Array.isArray(keys)) throw new UrbisError('CONFIG_INVALID', `${name} must map issuer DIDs to arrays of public JWKs`);
    out[did] = keys.map((key: unknown) => {
      const entry = key as { publicJwk?: unknown; kid?: unknown } | null;
      const given = typeof entry === 'object' && entry !== null && 'publicJwk' in entry ? entry.publicJwk : key;
      let publicJwk;
      try {
        publicJwk = toPublicP256Jwk(given);
      } catch (cause) {
        throw new UrbisError('CONFIG_INVALID', `${name} holds a value that is not a public P-256 JWK`, { cause });
      }
      const kid = typeof entry === 'object' && entry !== null && typeof entry.kid === 'string' ? entry.kid : publicJwk.kid;
      return { publicJwk, ...(kid === undefined ? {} : { kid }) };
    });
  }
  return out;
}
