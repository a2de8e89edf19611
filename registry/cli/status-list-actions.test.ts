import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Wallet } from 'ethers';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../bin/subcommand.js';
import { writeDeploymentsFile } from '../chain/deployments-file.js';
import { freePort, HARDHAT_TEST_KEYS } from '../testing/hardhat-node.js';
import { startDeployedRegistries, type DeployedRegistries } from '../testing/deployed-registries.js';
import { createChainCommand } from './chain-command.js';

const WRITER_KEY = HARDHAT_TEST_KEYS[3];
const WRITER = new Wallet(WRITER_KEY).address;
const SECOND = new Wallet(HARDHAT_TEST_KEYS[4]).address;
const CITY_A_KEY = HARDHAT_TEST_KEYS[1];

describe('urbis chain list-create | list-info | writer-grant | writer-revoke (real hardhat node)', () => {
  let r: DeployedRegistries;
  let deployments: string;
  const run = async (args: string[], env: Record<string, string> = {}): Promise<string[]> => {
    const lines: string[] = [];
    const io: CliIo = { out: (l) => void lines.push(l), err: (l) => void lines.push(l) };
    const code = await createChainCommand({ env }).run([...args, '--rpc', r.node.url, '--deployments', deployments], io);
    expect(code).toBe(0);
    return lines;
  };
  const refused = (args: string[], env: Record<string, string> = {}) => expect(run(args, env)).rejects;
  /** Creates a list with the deployer's NonceManager, which the CLI's transactions from the same account leave behind: reset it first. */
  const createList = (owner: string) => {
    r.signers[0]!.reset();
    return r.status.createList({ owner, size: 131_072 });
  };

  beforeAll(async () => {
    r = await startDeployedRegistries();
    deployments = join(mkdtempSync(join(tmpdir(), 'urbis-lists-')), '7777.json');
    writeDeploymentsFile({ path: deployments, deployment: r.deployment });
  }, 120_000);
  afterAll(async () => {
    await r?.stop();
  });

  it('creates a list for the writer with the deployer key (local default), and shows it', async () => {
    const created = await run(['list-create', '--owner', WRITER.toLowerCase(), '--size', '200000']);
    const listId = Number(/^list (\d+) created/.exec(created[0]!)![1]);
    expect(await r.status.listInfo(listId)).toMatchObject({ owner: WRITER, size: 200_000, sequence: 0 });
    const shown = (await run(['list-info', '--list', String(listId), '--account', WRITER])).join('\n');
    expect(shown).toContain(`owner                  ${WRITER}`);
    expect(shown).toContain(`${WRITER} writer: yes`);
  }, 60_000);

  it('the list writer grants and revokes a second writer; the registry agrees', async () => {
    const listId = await createList(WRITER);
    await run(['writer-grant', '--list', String(listId), '--account', SECOND], { URBIS_CHAIN_KEY: WRITER_KEY });
    expect(await r.status.isWriter({ listId, account: SECOND })).toBe(true);
    expect((await run(['list-info', '--list', String(listId), '--account', SECOND])).at(-1)).toBe(`${SECOND} writer: yes`);
    await run(['writer-revoke', '--list', String(listId), '--account', SECOND], { URBIS_CHAIN_KEY: WRITER_KEY });
    expect(await r.status.isWriter({ listId, account: SECOND })).toBe(false);
    expect(await r.status.isWriter({ listId, account: WRITER })).toBe(true);
  }, 60_000);

  it('a key that does not write the list (the deployer, a city) may not grant its writers → CHAIN_NOT_AUTHORIZED', async () => {
    const listId = await createList(WRITER);
    await refused(['writer-grant', '--list', String(listId), '--account', SECOND]).toMatchObject({ code: 'CHAIN_NOT_AUTHORIZED' });
    await refused(['writer-revoke', '--list', String(listId), '--account', WRITER], { URBIS_CHAIN_KEY: CITY_A_KEY }).toMatchObject({ code: 'CHAIN_NOT_AUTHORIZED' });
    expect(await r.status.isWriter({ listId, account: SECOND })).toBe(false);
    expect(await r.status.isWriter({ listId, account: WRITER })).toBe(true);
  }, 60_000);

  it('an account without LIST_CREATOR_ROLE may not create lists → CHAIN_NOT_AUTHORIZED', async () => {
    await refused(['list-create', '--owner', WRITER], { URBIS_CHAIN_KEY: CITY_A_KEY }).toMatchObject({ code: 'CHAIN_NOT_AUTHORIZED' });
  }, 60_000);

  it.each([
    ['an unknown list (grant)', 'STATUS_LIST_UNKNOWN', ['writer-grant', '--list', '999', '--account', SECOND]],
    ['an unknown list (revoke)', 'STATUS_LIST_UNKNOWN', ['writer-revoke', '--list', '999', '--account', SECOND]],
    ['an unknown list (info)', 'STATUS_LIST_UNKNOWN', ['list-info', '--list', '999']],
    ['a bad account address', 'INVALID_ARGUMENT', ['writer-grant', '--list', '0', '--account', '0x1234']],
    ['a wrong address checksum', 'INVALID_ARGUMENT', ['list-create', '--owner', WRITER.replace(/[a-f]/, (c) => c.toUpperCase())]],
    ['no owner', 'INVALID_ARGUMENT', ['list-create']],
    ['a list below 131072 entries', 'INVALID_ARGUMENT', ['list-create', '--owner', WRITER, '--size', '1000']],
    ['a list id that is not an integer', 'INVALID_ARGUMENT', ['list-info', '--list', 'x']],
    ['a malformed key', 'KEY_INVALID', ['list-create', '--owner', WRITER], { URBIS_CHAIN_KEY: '0x1234' }],
    ['no key on another chain', 'INVALID_ARGUMENT', ['list-create', '--owner', WRITER, '--chain-id', '1']],
  ] as const)('%s → %s', async (...row) => {
    const [, code, args, env] = row as unknown as [string, string, string[], Record<string, string> | undefined];
    await refused(args, env ?? {}).toMatchObject({ code });
  }, 60_000);

  it('an unreachable RPC → CHAIN_UNREACHABLE', async () => {
    const port = await freePort();
    const io: CliIo = { out: () => undefined, err: () => undefined };
    await expect(createChainCommand({ env: {} }).run(['list-create', '--owner', WRITER, '--rpc', `http://127.0.0.1:${port}`, '--deployments', deployments], io)).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE' });
  }, 60_000);
});
