import { parseCliOptions } from '../../bin/parse-options.js';
import type { CliIo, SubcommandAction } from '../../bin/subcommand.js';
import { checkedAddress } from '../chain/status-registry-client.js';
import { accountKeyOf, chainIdOf, integerOption, openCliRegistries, type CliEnv } from './chain-cli-context.js';

/** The smallest list StatusRegistry accepts (2^17 entries), the default size. */
const MIN_LIST_SIZE = 131_072;
/** The largest (2^30 entries). */
const MAX_LIST_SIZE = 2 ** 30;

const CONNECTION = { rpc: { type: 'string' }, 'chain-id': { type: 'string' }, deployments: { type: 'string' } } as const;

/** Usage lines of the status-list actions, for `urbis chain --help`. */
export const STATUS_LIST_USAGE = `  urbis chain list-create --owner <address> [--size 131072] --rpc <url> [--chain-id 7777] [--deployments <file>]
      Creates a status list owned by <address> (its first writer: the issuer's URBIS_CHAIN_WRITER_KEY
      account) and prints its id (for URBIS_STATUS_LISTS). Signed with URBIS_CHAIN_KEY, an account
      holding LIST_CREATOR_ROLE (the deployer).
  urbis chain list-info --list <id> --rpc <url> [--account <address>] [--chain-id 7777] [--deployments <file>]
      Shows a list's owner, size, batches applied and last update block; with --account, whether
      that account may write it.
  urbis chain writer-grant --list <id> --account <address> --rpc <url> [--chain-id 7777] [--deployments <file>]
  urbis chain writer-revoke --list <id> --account <address> --rpc <url> [--chain-id 7777] [--deployments <file>]
      Grants or revokes a list's writer role (a second publisher key, a key rotation). Signed with
      URBIS_CHAIN_KEY, which must be a current writer of the list: a list's writers, and nobody else
      (not the deployer), manage its writers. A list left without writers is frozen for good.`;

/**
 * The status-list actions of `urbis chain`: `list-create`, `list-info`,
 * `writer-grant`, `writer-revoke`, over `StatusRegistryClient`.
 */
export function statusListActions({ env }: { env: CliEnv }): Record<string, SubcommandAction> {
  const open = async (values: Record<string, string | undefined>, withKey: boolean) => {
    const chainId = chainIdOf(values['chain-id']);
    return openCliRegistries({
      rpc: values.rpc,
      chainId,
      deploymentsPath: values.deployments,
      ...(withKey ? { key: accountKeyOf({ env, name: 'URBIS_CHAIN_KEY', chainId }) } : {}),
    });
  };

  const changeWriter = (grant: boolean) => async (args: string[], io: CliIo): Promise<number> => {
    const values = parseCliOptions(args, { ...CONNECTION, list: { type: 'string' }, account: { type: 'string' } });
    const listId = integerOption(values.list, 'list');
    const account = checkedAddress(values.account ?? '');
    const registries = await open(values, true);
    try {
      if (grant) await registries.status.grantWriter({ listId, account });
      else await registries.status.revokeWriter({ listId, account });
      io.out(`list ${listId}: ${account} ${grant ? 'may now write it' : 'may no longer write it'}`);
      return 0;
    } finally {
      registries.close();
    }
  };

  return {
    'list-create': async (args, io) => {
      const values = parseCliOptions(args, { ...CONNECTION, owner: { type: 'string' }, size: { type: 'string' } });
      const owner = checkedAddress(values.owner ?? '');
      const size = values.size === undefined ? MIN_LIST_SIZE : integerOption(values.size, 'size', { min: MIN_LIST_SIZE, max: MAX_LIST_SIZE });
      const registries = await open(values, true);
      try {
        const listId = await registries.status.createList({ owner, size });
        io.out(`list ${listId} created: ${size} entries, owner ${owner}`);
        return 0;
      } finally {
        registries.close();
      }
    },
    'list-info': async (args, io) => {
      const values = parseCliOptions(args, { ...CONNECTION, list: { type: 'string' }, account: { type: 'string' } });
      const listId = integerOption(values.list, 'list');
      const account = values.account === undefined ? undefined : checkedAddress(values.account);
      const registries = await open(values, false);
      try {
        const info = await registries.status.listInfo(listId);
        io.out(`list                   ${info.listId}`);
        io.out(`owner                  ${info.owner}`);
        io.out(`size                   ${info.size}`);
        io.out(`batches applied        ${info.sequence}`);
        io.out(`last update block      ${info.lastUpdateBlock === 0 ? 'none' : info.lastUpdateBlock}`);
        if (account !== undefined) io.out(`${account} writer: ${(await registries.status.isWriter({ listId, account })) ? 'yes' : 'no'}`);
        return 0;
      } finally {
        registries.close();
      }
    },
    'writer-grant': changeWriter(true),
    'writer-revoke': changeWriter(false),
  };
}
