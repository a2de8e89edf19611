import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Wallet } from 'ethers';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../bin/subcommand.js';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { writeDeploymentsFile } from '../chain/deployments-file.js';
import { HARDHAT_TEST_KEYS } from '../testing/hardhat-node.js';
import { startDeployedRegistries, type DeployedRegistries } from '../testing/deployed-registries.js';
import { createFederationCommand } from './federation-command.js';

const CITY_A = { URBIS_FEDERATION_KEY: HARDHAT_TEST_KEYS[1] };
const CITY_B = { URBIS_FEDERATION_KEY: HARDHAT_TEST_KEYS[2] };
const OUTSIDER = { URBIS_FEDERATION_KEY: HARDHAT_TEST_KEYS[3] };
const DID = 'did:web:cli.city.example';
const NOW = 1_790_000_000;

describe('urbis federation (real hardhat node, cities A and B, threshold 2)', () => {
  let r: DeployedRegistries;
  let dir: string;
  let deployments: string;
  const crypto = createNodeCrypto();
  const run = async (args: string[], env: Record<string, string>): Promise<string> => {
    const lines: string[] = [];
    const io: CliIo = { out: (l) => void lines.push(l), err: (l) => void lines.push(l) };
    const code = await createFederationCommand({ env, now: () => NOW }).run([...args, '--rpc', r.node.url, '--deployments', deployments], io);
    expect(code).toBe(0);
    return lines.join('\n');
  };
  const proposalIdOf = (out: string): string => /^proposal (\d+):/m.exec(out)![1]!;

  beforeAll(async () => {
    r = await startDeployedRegistries({ threshold: 2 });
    dir = mkdtempSync(join(tmpdir(), 'urbis-federation-'));
    deployments = join(dir, '7777.json');
    writeDeploymentsFile({ path: deployments, deployment: r.deployment });
  }, 120_000);
  afterAll(async () => {
    await r?.stop();
  });

  it('accredits an issuer from its DID document by two votes, then suspends it', async () => {
    const key = crypto.generateKeyPair().publicJwk;
    const didDocument = join(dir, 'did.json');
    writeFileSync(didDocument, JSON.stringify({ id: DID, verificationMethod: [{ id: `${DID}#k1`, type: 'JsonWebKey2020', publicKeyJwk: key }] }));
    const proposed = await run(['propose', '--kind', 'accredit-issuer', '--did', DID, '--types', 'ResidentCredential,ServiceEntitlementCredential', '--keys', didDocument, '--valid-until', '2031-01-01', '--execute'], CITY_A);
    expect(proposed).toMatch(/1 of 2 approval\(s\), not executed yet/);
    const id = proposalIdOf(proposed);

    const open = await run(['show'], CITY_B);
    expect(open).toContain('members (2 of 2 approve a change)');
    expect(open).toContain(`#${id} AccreditIssuer ${DID} (ResidentCredential, ServiceEntitlementCredential; 2026-09-21 → 2031-01-01; 1 key(s); controller ${new Wallet(CITY_A.URBIS_FEDERATION_KEY).address})`);

    expect(await run(['approve', '--proposal', id, '--execute'], CITY_B)).toMatch(/2 of 2 approval\(s\), executed/);
    const [issuer] = await r.trust.issuers();
    expect(issuer).toMatchObject({ did: DID, controller: new Wallet(CITY_A.URBIS_FEDERATION_KEY).address, credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'], validFrom: NOW, validUntil: Date.UTC(2031, 0, 1) / 1000, suspended: false });
    const shown = JSON.parse(await run(['show', '--json'], {})) as { proposals: unknown[]; issuers: { did: string }[] };
    expect(shown.proposals).toEqual([]);
    expect(shown.issuers.map((i) => i.did)).toEqual([DID]);

    const suspend = proposalIdOf(await run(['propose', '--kind', 'suspend-issuer', '--did', DID], CITY_B));
    await run(['approve', '--proposal', suspend], CITY_A);
    expect(await run(['execute', '--proposal', suspend], CITY_A)).toMatch(/executed/);
    expect((await r.trust.issuers())[0]!.suspended).toBe(true);
    expect(await run(['show', '--all'], {})).toContain(`#${suspend} SuspendIssuer ${DID} — by ${new Wallet(CITY_B.URBIS_FEDERATION_KEY).address}, 2 of 2 approval(s), executed`);
  }, 120_000);

  it('changes membership and the threshold', async () => {
    const newcomer = new Wallet(HARDHAT_TEST_KEYS[4]).address;
    const admit = proposalIdOf(await run(['propose', '--kind', 'admit-member', '--member', newcomer], CITY_A));
    await run(['approve', '--proposal', admit, '--execute'], CITY_B);
    expect(await r.trust.members()).toContain(newcomer);
    const lower = proposalIdOf(await run(['propose', '--kind', 'change-threshold', '--threshold', '1'], CITY_A));
    await run(['approve', '--proposal', lower, '--execute'], CITY_B);
    expect(await r.trust.threshold()).toBe(1);
    expect(await run(['propose', '--kind', 'unsuspend-issuer', '--did', DID, '--execute'], CITY_A)).toMatch(/1 of 1 approval\(s\), executed/);
    expect((await r.trust.issuers())[0]!.suspended).toBe(false);
  }, 120_000);

  it.each([
    ['a key that is not a member', 'CHAIN_NOT_AUTHORIZED', ['propose', '--kind', 'remove-issuer', '--did', DID], OUTSIDER],
    ['an unknown proposal', 'RESOURCE_NOT_FOUND', ['approve', '--proposal', '999'], CITY_A],
    ['an unknown kind', 'INVALID_ARGUMENT', ['propose', '--kind', 'crown-king'], CITY_A],
    ['a kind without its options', 'INVALID_ARGUMENT', ['propose', '--kind', 'admit-member'], CITY_A],
    ['a bad member address', 'INVALID_ARGUMENT', ['propose', '--kind', 'admit-member', '--member', '0xnope'], CITY_A],
    ['accreditation without keys', 'INVALID_ARGUMENT', ['propose', '--kind', 'accredit-issuer', '--did', 'did:web:x.example', '--types', 'A', '--valid-until', '2031-01-01'], CITY_A],
    ['a validity that ends before it starts', 'INVALID_ARGUMENT', ['propose', '--kind', 'update-accreditation', '--did', DID, '--types', 'A', '--valid-until', '2020-01-01'], CITY_A],
    ['a thumbprint that is not 32 bytes', 'INVALID_ARGUMENT', ['propose', '--kind', 'accredit-issuer', '--did', 'did:web:x.example', '--types', 'A', '--thumbprints', 'abc', '--valid-until', '2031-01-01'], CITY_A],
    ['an issuer accredited already (refused at execution)', 'STATE_CONFLICT', ['propose', '--kind', 'accredit-issuer', '--did', DID, '--types', 'A', '--thumbprints', Buffer.alloc(32, 0x11).toString('base64url'), '--valid-until', '2031-01-01', '--execute'], CITY_A],
    ['a malformed member key', 'KEY_INVALID', ['approve', '--proposal', '0'], { URBIS_FEDERATION_KEY: 'nope' }],
  ] as const)('%s → %s', async (_label, code, args, env) => {
    await expect(run([...args], env)).rejects.toMatchObject({ code });
  }, 60_000);

  it('--help prints the kinds; no action prints the usage with exit 2', async () => {
    const lines: string[] = [];
    const io: CliIo = { out: (l) => void lines.push(l), err: () => undefined };
    expect(await createFederationCommand({ env: {} }).run(['--help'], io)).toBe(0);
    expect(lines.join('\n')).toContain('accredit-issuer --did <did>');
    expect(await createFederationCommand({ env: {} }).run([], io)).toBe(2);
  });
});
