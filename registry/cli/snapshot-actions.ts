import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCliOptions } from '../../bin/parse-options.js';
import type { CliIo, SubcommandAction } from '../../bin/subcommand.js';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { publicPartOf } from '../../core/keys/public-jwk.js';
import { buildSnapshot } from '../snapshot/build-snapshot.js';
import { snapshotSignerKid } from '../snapshot/snapshot-signature.js';
import { chainIdOf, integerOption, openCliRegistries, type CliEnv } from './chain-cli-context.js';
import { parseListSpecs } from '../snapshot/list-specs.js';
import { readIssuerKeyMap, readSnapshotSigningKey } from './snapshot-inputs.js';

/** Usage lines of the snapshot actions, for `urbis chain --help`. */
export const SNAPSHOT_USAGE = `  urbis chain snapshot --out <file> --lists <id=uri,…> --rpc <url> [--confirmations <n>] [--chain-id 7777] [--deployments <file>]
      Builds a federation-signed terminal snapshot from chain state (head minus --confirmations):
      every list named (URI = the one credentials carry, e.g. https://issuer.city.example/status/3),
      every issuer of the federation registry with the keys of URBIS_SNAPSHOT_ISSUER_KEYS the
      registry lists (same format as the terminal's). Signed with URBIS_SNAPSHOT_SIGNING_KEY (a private
      P-256 JWK, inline or a file); terminals whose URBIS_SNAPSHOT_SIGNERS lists its public key accept
      it with \`urbis terminal load --file <file>\`.
  urbis chain snapshot-key --out <file>
      Generates a snapshot signing key: writes the private JWK to <file> (mode 0600, never
      overwritten) and prints the public JWK to put in every terminal's URBIS_SNAPSHOT_SIGNERS.`;

/**
 * `urbis chain snapshot` and `urbis chain snapshot-key`: federation-signed
 * snapshots for `urbis terminal load`, over `buildSnapshot`.
 */
export function snapshotActions({ env }: { env: CliEnv }): Record<string, SubcommandAction> {
  return {
    snapshot: async (args: string[], io: CliIo): Promise<number> => {
      const values = parseCliOptions(args, {
        rpc: { type: 'string' },
        'chain-id': { type: 'string' },
        deployments: { type: 'string' },
        out: { type: 'string' },
        lists: { type: 'string' },
        confirmations: { type: 'string' },
      });
      if (values.out === undefined || values.out === '') throw new UrbisError('INVALID_ARGUMENT', '--out <file> is required');
      const lists = parseListSpecs(values.lists ?? '');
      const confirmations = values.confirmations === undefined ? 0 : integerOption(values.confirmations, 'confirmations', { max: 1_000_000 });
      const signingKey = readSnapshotSigningKey(env);
      const issuerKeys = readIssuerKeyMap(env);
      const hash = createNodeCrypto().hash;
      const registries = await openCliRegistries({ rpc: values.rpc, chainId: chainIdOf(values['chain-id']), deploymentsPath: values.deployments });
      try {
        const { content, bytes } = await buildSnapshot({
          chain: registries.chain,
          statusClient: registries.status,
          trustClient: registries.trust,
          lists,
          signingKey,
          confirmations,
          hash,
          ...(issuerKeys === undefined ? {} : { issuerKeys }),
        });
        writeAtomically(values.out, bytes, 0o644);
        const withoutKeys = content.issuers.filter((i) => i.keys.length === 0).map((i) => i.did);
        io.out(`snapshot of block ${content.sync.blockNumber}: ${content.issuers.length} issuer(s), ${content.lists.length} status list(s), ${bytes.length} bytes`);
        io.out(`signed by              ${await snapshotSignerKid({ signingKey, hash })}`);
        if (withoutKeys.length > 0) io.out(`no keys for            ${withoutKeys.join(', ')} (add them to URBIS_SNAPSHOT_ISSUER_KEYS: their credentials will not verify)`);
        io.out(`written to             ${values.out}`);
        return 0;
      } finally {
        registries.close();
      }
    },

    'snapshot-key': async (args: string[], io: CliIo): Promise<number> => {
      const values = parseCliOptions(args, { out: { type: 'string' } });
      if (values.out === undefined || values.out === '') throw new UrbisError('INVALID_ARGUMENT', '--out <file> is required');
      const { privateJwk } = createNodeCrypto().generateKeyPair();
      mkdirSync(dirname(values.out), { recursive: true });
      try {
        writeFileSync(values.out, `${JSON.stringify(privateJwk)}\n`, { mode: 0o600, flag: 'wx' });
      } catch (cause) {
        if ((cause as { code?: unknown }).code === 'EEXIST') throw new UrbisError('STATE_CONFLICT', 'that file exists already: a signing key is never overwritten', { cause });
        throw new UrbisError('INVALID_ARGUMENT', 'cannot write the key file there', { cause });
      }
      io.out(`private key written to ${values.out} (mode 0600): use it as URBIS_SNAPSHOT_SIGNING_KEY, keep it offline`);
      io.out('public key, for every terminal\'s URBIS_SNAPSHOT_SIGNERS (a JSON array of such keys):');
      io.out(JSON.stringify(publicPartOf(privateJwk)));
      return 0;
    },
  };
}

/** Writes a file atomically (temporary file, then rename). */
function writeAtomically(path: string, bytes: Uint8Array, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes, { mode });
    renameSync(temporary, path);
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', 'cannot write the snapshot file there', { cause });
  }
}
