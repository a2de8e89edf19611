import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaimPath } from '../../../core/credentials/credential-types.js';
import type { NodeSigningKey } from '../../../core/crypto/node-crypto.js';
import { base64urlEncode } from '../../../core/encoding/base64url.js';
import { createCredentialKit, type CredentialKit } from '../../../core/test-kit/credential-kit.js';
import type { SdJwtCredentialFormat } from '../../../core/verification/verification-result.js';
import { encodeSnapshot } from '../../../registry/snapshot/snapshot-codec.js';
import { kitSnapshotContent } from '../../snapshot/testing/kit-snapshot-content.js';

/** The folder's terminal id (the KB-JWT `aud` of its presentations). */
export const FOLDER_TERMINAL_ID = 'urbis:terminal:gijon-pool-1';
/** Status indices of the folder's snapshot: revoked and suspended. */
export const FOLDER_REVOKED_INDEX = 900;
export const FOLDER_SUSPENDED_INDEX = 901;

/** A terminal data folder provisioned as an operator would: a federation-signed snapshot and the environment naming it. */
export interface TerminalFolder {
  /** The data folder (URBIS_TERMINAL_DIR). */
  dir: string;
  /** The environment of a terminal using the folder (id, folder, signers as inline JSON). */
  env: Record<string, string>;
  kit: CredentialKit;
  /** The federation's snapshot key (to sign more snapshots for `load`). */
  federationKey: NodeSigningKey;
  /** The federation-signed snapshot at `block` with sync time `syncedAt` (defaults: 40, `now - 60`). */
  snapshotBytes(args?: { block?: number; syncedAt?: number }): Promise<Uint8Array>;
  /** A fresh holder's credential (pools entitlement, `dc+sd-jwt`, a valid status index by default). */
  issue(args?: { statusIndex?: number; format?: SdJwtCredentialFormat }): Promise<{ credential: string; holder: ReturnType<CredentialKit['newHolder']> }>;
  /** A scanner-only presentation: a wallet nonce, bound to the folder's terminal and `now`. */
  scan(args: { credential: string; holder: ReturnType<CredentialKit['newHolder']>; claims?: readonly ClaimPath[]; audience?: string; iat?: number }): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A temporary terminal data folder holding a federation-signed snapshot
 * that trusts the core kit's issuer (its status list: one index revoked,
 * one suspended), with the environment (`URBIS_TERMINAL_DIR`,
 * `URBIS_TERMINAL_ID`, `URBIS_SNAPSHOT_SIGNERS`) a terminal process would
 * be given. Test support.
 *
 * @example
 * ```ts
 * const folder = await createTerminalFolder({ now });
 * const config = loadTerminalConfig({ env: folder.env });
 * ```
 */
export async function createTerminalFolder({ now = Math.floor(Date.now() / 1000), snapshot = true }: { now?: number; snapshot?: boolean } = {}): Promise<TerminalFolder> {
  const kit = createCredentialKit({ now });
  const { crypto } = kit;
  const dir = await mkdtemp(join(tmpdir(), 'urbis-terminal-folder-'));
  const federation = crypto.generateKeyPair();
  const federationKey = crypto.signingKeyFromJwk({ privateJwk: federation.privateJwk, kid: 'federation-snapshots' });
  const snapshotBytes = async ({ block = 40, syncedAt = now - 60 }: { block?: number; syncedAt?: number } = {}) => {
    const content = await kitSnapshotContent({ kit, block, syncedAt, statuses: { [FOLDER_REVOKED_INDEX]: 1, [FOLDER_SUSPENDED_INDEX]: 2 } });
    return encodeSnapshot({ content, signingKey: federationKey, iat: now });
  };
  if (snapshot) await writeFile(join(dir, 'terminal.snapshot'), await snapshotBytes());
  return {
    dir,
    env: { URBIS_TERMINAL_DIR: dir, URBIS_TERMINAL_ID: FOLDER_TERMINAL_ID, URBIS_SNAPSHOT_SIGNERS: JSON.stringify([{ ...federation.publicJwk, kid: 'federation-snapshots' }]) },
    kit,
    federationKey,
    snapshotBytes,
    async issue({ statusIndex, format = 'dc+sd-jwt' } = {}) {
      const holder = kit.newHolder();
      const credential = await kit.issue({ format, type: 'ServiceEntitlementCredential', holder, ...(statusIndex === undefined ? {} : { statusIndex }) });
      return { credential, holder };
    },
    scan({ credential, holder, claims = [['service_id'], ['tier']], audience = FOLDER_TERMINAL_ID, iat = now }) {
      return kit.present({ credential, holder, claims, nonce: `wallet-${base64urlEncode(crypto.randomBytes(12))}`, audience, iat });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
