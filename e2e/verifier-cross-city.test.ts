import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../bin/subcommand.js';
import type { CredentialTypeName } from '../core/credentials/credential-types.js';
import { base64urlEncode } from '../core/encoding/base64url.js';
import type { UrbisErrorCode } from '../core/errors/urbis-error.js';
import { createCredentialKit, type CredentialKit } from '../core/test-kit/credential-kit.js';
import { writeDeploymentsFile } from '../registry/chain/deployments-file.js';
import { issuerIdOf } from '../registry/chain/trusted-issuer-registry-client.js';
import { accreditIssuer } from '../registry/snapshot/chain-fixtures.js';
import { startDeployedRegistries, type DeployedRegistries } from '../registry/testing/deployed-registries.js';
import { processTerminalCliDeps } from '../verifier/cli/process-cli-deps.js';
import type { TerminalCliDeps } from '../verifier/cli/terminal-cli-deps.js';
import { createTerminalCommand } from '../verifier/cli/terminal-command.js';
import { createVerifyCommand } from '../verifier/cli/verify-command.js';
import type { TerminalVerdict } from '../verifier/terminal/terminal.js';

/**
 * Issue 6, point 6: city A's terminal verifies residents of city B when B
 * is a federation member accredited for ResidentCredential, and refuses
 * with a distinct code when B is suspended (ISSUER_SUSPENDED) or an issuer
 * is not accredited for the type (ISSUER_NOT_ACCREDITED). Three issuers,
 * one real Hardhat node; the terminal is driven through its CLI only
 * (`urbis terminal sync --bootstrap`, `urbis verify`, `urbis terminal sync`).
 */
describe('cross-city: a terminal of city A and residents of other cities, one Hardhat node', () => {
  const TERMINAL_ID = 'urbis:terminal:gijon-museum-1';
  let r: DeployedRegistries;
  let dir: string;
  let env: Record<string, string>;
  /** Three cities' issuers (each a kit with its own key and DID). */
  const cities: Record<'gijon' | 'oviedo' | 'aviles' | 'vigo', CredentialKit & { did: string }> = {} as never;

  const deps = (): TerminalCliDeps => ({ ...processTerminalCliDeps(), env });
  async function cli(command: 'terminal' | 'verify', ...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    const subcommand = command === 'terminal' ? createTerminalCommand(deps()) : createVerifyCommand(deps());
    return { code: await subcommand.run(args, io), out, err };
  }

  /** A resident of `city` presents `age_over_18` (scanner flow, bound to this terminal) at the museum; the CLI's verdict. */
  async function visit(city: keyof typeof cities, type: CredentialTypeName = 'ResidentCredential', service = 'museum'): Promise<{ code: number; verdict: TerminalVerdict }> {
    const kit = cities[city];
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', type, holder, overrides: { issuer: { id: kit.did, signingKey: kit.issuer.signingKey }, statusListUri: 'https://federation.urbis.example/status/0' } as never });
    const claims = type === 'ResidentCredential' ? [['age_over_18']] : [['service_id'], ['tier']];
    const presentation = await kit.present({ credential, holder, claims, nonce: `wallet-${base64urlEncode(kit.crypto.randomBytes(12))}`, audience: TERMINAL_ID, iat: Math.floor(Date.now() / 1000) });
    const { code, out, err } = await cli('verify', '--service', service, '--json', presentation);
    expect(err).toEqual([]);
    return { code, verdict: JSON.parse(out.join('')) as TerminalVerdict };
  }
  const codes = (verdict: TerminalVerdict): UrbisErrorCode[] => (verdict.ok ? [] : verdict.failures.map((f) => f.code));

  beforeAll(async () => {
    r = await startDeployedRegistries();
    dir = await mkdtemp(join(tmpdir(), 'urbis-cross-city-'));
    const now = Math.floor(Date.now() / 1000);
    const issuerKeys: Record<string, { publicJwk: unknown; kid: string }[]> = {};
    for (const [name, signer] of [['gijon', 1], ['oviedo', 2], ['aviles', 2]] as const) {
      const base = createCredentialKit({ now });
      const did = `did:web:${name}.urbis.example`;
      const kid = `${did}#key-1`;
      const signingKey = base.crypto.signingKeyFromJwk({ privateJwk: base.issuer.keyPair.privateJwk, kid });
      cities[name] = Object.assign(base, { did, issuer: { ...base.issuer, id: did, kid, signingKey } });
      issuerKeys[did] = [{ publicJwk: base.issuer.keyPair.publicJwk, kid }];
      await accreditIssuer({
        trust: r.trust,
        did,
        controller: await r.signers[signer]!.getAddress(),
        keys: [base.issuer.keyPair.publicJwk],
        // Avilés is accredited for service entitlements only.
        credentialTypes: name === 'aviles' ? ['ServiceEntitlementCredential'] : ['ResidentCredential', 'ServiceEntitlementCredential'],
        hash: base.crypto.hash,
      });
    }
    const listOwner = await r.signers[3]!.getAddress();
    const listId = await r.status.createList({ owner: listOwner, size: 131_072 });
    const deployments = join(dir, 'deployments.json');
    writeDeploymentsFile({ path: deployments, deployment: r.deployment });
    const policies = join(dir, 'policies.json');
    await writeFile(
      policies,
      JSON.stringify({
        version: 1,
        policies: [
          { serviceId: 'museum', accept: [{ type: 'ResidentCredential', issuers: 'federation', predicates: ['age_over_18'] }] },
          { serviceId: 'pools', issuers: ['did:web:gijon.urbis.example'], accept: [{ type: 'ServiceEntitlementCredential' }] },
        ],
      }),
    );
    env = {
      URBIS_TERMINAL_ID: TERMINAL_ID,
      URBIS_TERMINAL_DIR: join(dir, 'terminal'),
      URBIS_TERMINAL_POLICIES: policies,
      URBIS_SNAPSHOT_ISSUER_KEYS: JSON.stringify(issuerKeys),
      URBIS_CHAIN_RPC: r.node.url,
      URBIS_CHAIN_ID: '7777',
    };
    const bootstrapped = await cli('terminal', 'sync', '--bootstrap', '--lists', `${listId}=https://federation.urbis.example/status/0`, '--deployments', deployments);
    expect(bootstrapped.err).toEqual([]);
    expect(bootstrapped.code).toBe(0);
    expect(bootstrapped.out[0]).toMatch(/^bootstrapped: block \d+, 3 issuer\(s\), 1 status list\(s\), signed by this terminal$/);
    // A bootstrap never replaces a held snapshot (it could roll statuses back).
    await expect(cli('terminal', 'sync', '--bootstrap', '--lists', `${listId}=https://federation.urbis.example/status/0`, '--deployments', deployments)).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
  }, 120_000);

  afterAll(async () => {
    await r?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("a resident of Oviedo (a member accredited for ResidentCredential) is accepted at Gijón's museum, as is a resident of Gijón", async () => {
    const oviedo = await visit('oviedo');
    expect(oviedo).toMatchObject({ code: 0, verdict: { ok: true, serviceId: 'museum', accepted: 'resident', credentialType: 'ResidentCredential', claims: { age_over_18: true } } });
    expect((await visit('gijon')).code).toBe(0);
  });

  it('an issuer not accredited for ResidentCredential (Avilés: entitlements only) → ISSUER_NOT_ACCREDITED', async () => {
    const aviles = await visit('aviles');
    expect(aviles.code).toBe(1);
    expect(codes(aviles.verdict)).toEqual(['ISSUER_NOT_ACCREDITED']);
  });

  it("a policy that names Gijón's issuer only refuses Oviedo's accredited entitlement: POLICY_ISSUER_NOT_ACCEPTED (the federation trusts it, the service does not)", async () => {
    expect(codes((await visit('oviedo', 'ServiceEntitlementCredential', 'pools')).verdict)).toEqual(['POLICY_ISSUER_NOT_ACCEPTED']);
    expect((await visit('gijon', 'ServiceEntitlementCredential', 'pools')).code).toBe(0);
  });

  it('the federation suspends Oviedo; after a sync its residents get ISSUER_SUSPENDED; lifted by another vote, accepted again', async () => {
    const suspend = await r.trust.propose({ kind: 'SuspendIssuer', issuerId: issuerIdOf(cities.oviedo.did) });
    await r.trust.execute(suspend);
    expect((await visit('oviedo')).code).toBe(0); // offline: the terminal knows only once it syncs
    const synced = await cli('terminal', 'sync');
    expect(synced.code).toBe(0);
    expect(synced.out[0]).toMatch(/^synced: block \d+/);
    const suspended = await visit('oviedo');
    expect(suspended.code).toBe(1);
    expect(codes(suspended.verdict)).toEqual(['ISSUER_SUSPENDED']);
    expect((await visit('gijon')).code).toBe(0);

    const lift = await r.trust.propose({ kind: 'UnsuspendIssuer', issuerId: issuerIdOf(cities.oviedo.did) });
    await r.trust.execute(lift);
    expect((await cli('terminal', 'sync')).code).toBe(0);
    expect((await visit('oviedo')).code).toBe(0);
  });

  it('a city accredited after the bootstrap is unknown (ISSUER_UNTRUSTED) until a sync brings its entry, with its key from URBIS_SNAPSHOT_ISSUER_KEYS', async () => {
    const base = createCredentialKit({ now: Math.floor(Date.now() / 1000) });
    const did = 'did:web:vigo.urbis.example';
    const kid = `${did}#key-1`;
    cities.vigo = Object.assign(base, { did, issuer: { ...base.issuer, id: did, kid, signingKey: base.crypto.signingKeyFromJwk({ privateJwk: base.issuer.keyPair.privateJwk, kid }) } });
    await accreditIssuer({ trust: r.trust, did, controller: await r.signers[2]!.getAddress(), keys: [base.issuer.keyPair.publicJwk], credentialTypes: ['ResidentCredential'], hash: base.crypto.hash });
    expect(codes((await visit('vigo')).verdict)).toEqual(['ISSUER_UNTRUSTED']);
    env['URBIS_SNAPSHOT_ISSUER_KEYS'] = JSON.stringify({ ...JSON.parse(env['URBIS_SNAPSHOT_ISSUER_KEYS']!), [did]: [{ publicJwk: base.issuer.keyPair.publicJwk, kid }] });
    expect((await cli('terminal', 'sync')).code).toBe(0);
    expect((await visit('vigo')).code).toBe(0);
  });

  it('the counts say which codes were seen, per service, and nothing else', async () => {
    const health = await cli('terminal', 'health');
    expect(health.code).toBe(0);
    const counts = JSON.parse(health.out.join('\n')).counts.services;
    expect(counts.museum).toMatchObject({ rejectedByCode: { ISSUER_NOT_ACCREDITED: 1, ISSUER_SUSPENDED: 1, ISSUER_UNTRUSTED: 1 } });
    expect(counts.pools).toMatchObject({ accepted: 1, rejectedByCode: { POLICY_ISSUER_NOT_ACCEPTED: 1 } });
  });
});
