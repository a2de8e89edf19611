import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { describeTerminalConfig } from './describe-terminal-config.js';
import { DEFAULT_POLICIES_PATH, loadTerminalConfig } from './terminal-config.js';

const crypto = createNodeCrypto();
const signer = crypto.generateKeyPair();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'urbis-terminal-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function failure(env: NodeJS.ProcessEnv): { code: unknown; message: string } | undefined {
  try {
    loadTerminalConfig({ env });
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  return undefined;
}

describe('loadTerminalConfig', () => {
  test('an empty environment: a demo terminal for Gijón on 127.0.0.1:4100, data in .urbis/terminal, no chain, no federation signer', () => {
    const config = loadTerminalConfig({ env: {} });
    expect(config).toMatchObject({
      terminalId: 'urbis:terminal:local',
      dataDir: resolve('.urbis/terminal'),
      policiesPath: DEFAULT_POLICIES_PATH,
      snapshotSigners: [],
      syncIntervalSeconds: 60,
      host: '127.0.0.1',
      port: 4100,
    });
    expect(config.files).toEqual({
      snapshot: resolve('.urbis/terminal/terminal.snapshot'),
      snapshotKey: resolve('.urbis/terminal/snapshot-key.json'),
      replayJournal: resolve('.urbis/terminal/replay.journal'),
      counts: resolve('.urbis/terminal/counts.json'),
      dailyCounts: resolve('.urbis/terminal/daily-counts.json'),
      lock: resolve('.urbis/terminal/terminal.lock'),
    });
    expect([...config.policies.keys()]).toEqual(['transport', 'library', 'pools', 'sports-booking', 'waste-centre', 'youth-pass', 'parking']);
    expect(config.scannerServiceId).toBeUndefined();
    expect(config.chain).toBeUndefined();
    expect(config.issuerKeys).toBeUndefined();
  });

  test('every variable is read: id, folder, policies, scanner service, signers inline or from a file, issuer keys, chain, sync period, listen address', () => {
    const policies = join(dir, 'policies.json');
    writeFileSync(policies, JSON.stringify({ version: 1, policies: [{ serviceId: 'museum', accept: [{ type: 'ResidentCredential', predicates: ['age_over_18'] }] }] }));
    const signersFile = join(dir, 'signers.json');
    writeFileSync(signersFile, JSON.stringify([{ ...signer.publicJwk, kid: 'federation-1' }]));
    const issuerKey = crypto.generateKeyPair().publicJwk;
    const config = loadTerminalConfig({
      env: {
        URBIS_TERMINAL_ID: 'urbis:terminal:oviedo-museum-2',
        URBIS_TERMINAL_DIR: join(dir, 'data'),
        URBIS_TERMINAL_POLICIES: policies,
        URBIS_TERMINAL_SCANNER_SERVICE: 'museum',
        URBIS_SNAPSHOT_SIGNERS: signersFile,
        URBIS_SNAPSHOT_ISSUER_KEYS: JSON.stringify({ 'did:web:oviedo.example': [{ ...issuerKey, kid: 'did:web:oviedo.example#k1' }, { publicJwk: issuerKey, kid: 'k2' }] }),
        URBIS_CHAIN_RPC: 'http://127.0.0.1:8545',
        URBIS_CHAIN_ID: '31337',
        URBIS_TERMINAL_SYNC_SECONDS: '0',
        URBIS_TERMINAL_HOST: '0.0.0.0',
        URBIS_TERMINAL_PORT: '8080',
      },
    });
    expect(config).toMatchObject({
      terminalId: 'urbis:terminal:oviedo-museum-2',
      dataDir: join(dir, 'data'),
      policiesPath: policies,
      scannerServiceId: 'museum',
      snapshotSigners: [{ kty: 'EC', crv: 'P-256', x: signer.publicJwk.x, y: signer.publicJwk.y, kid: 'federation-1' }],
      issuerKeys: {
        'did:web:oviedo.example': [
          { publicJwk: { x: issuerKey.x }, kid: 'did:web:oviedo.example#k1' },
          { publicJwk: { x: issuerKey.x }, kid: 'k2' },
        ],
      },
      chain: { rpcUrl: 'http://127.0.0.1:8545', chainId: 31337 },
      syncIntervalSeconds: 0,
      host: '0.0.0.0',
      port: 8080,
    });
    expect([...config.policies.keys()]).toEqual(['museum']);
    expect(loadTerminalConfig({ env: { URBIS_SNAPSHOT_SIGNERS: JSON.stringify([signer.publicJwk]) } }).snapshotSigners).toHaveLength(1);
  });

  test('overrides win over the environment', () => {
    const config = loadTerminalConfig({ env: { URBIS_TERMINAL_PORT: '9000', URBIS_TERMINAL_SCANNER_SERVICE: 'pools' }, overrides: { port: 0, dataDir: dir, scannerServiceId: undefined } });
    expect(config.port).toBe(0);
    expect(config.files.snapshot).toBe(join(dir, 'terminal.snapshot'));
    expect(config.scannerServiceId).toBeUndefined();
  });

  test.each([
    [{ URBIS_TERMINAL_ID: 'pool-1' }, 'URBIS_TERMINAL_ID must be urbis:terminal:<id> (letters, digits, . _ : -)'],
    [{ URBIS_TERMINAL_PORT: '70000' }, 'URBIS_TERMINAL_PORT must be an integer from 0 to 65535'],
    [{ URBIS_TERMINAL_PORT: '80abc' }, 'URBIS_TERMINAL_PORT must be an integer from 0 to 65535'],
    [{ URBIS_TERMINAL_SYNC_SECONDS: '-5' }, 'URBIS_TERMINAL_SYNC_SECONDS must be an integer from 0 to 86400'],
    [{ URBIS_TERMINAL_HOST: 'evil host/' }, 'URBIS_TERMINAL_HOST must be a host name or an IP address'],
    [{ URBIS_TERMINAL_SCANNER_SERVICE: 'casino' }, 'URBIS_TERMINAL_SCANNER_SERVICE must name a service of the policy file'],
    [{ URBIS_TERMINAL_POLICIES: '/nonexistent/policies.json' }, 'URBIS_TERMINAL_POLICIES must name a readable policy file'],
    [{ URBIS_SNAPSHOT_SIGNERS: '/nonexistent/signers.json' }, 'URBIS_SNAPSHOT_SIGNERS is neither JSON nor a readable file'],
    [{ URBIS_SNAPSHOT_SIGNERS: '[' }, 'URBIS_SNAPSHOT_SIGNERS is not valid JSON'],
    [{ URBIS_SNAPSHOT_SIGNERS: '[]' }, 'URBIS_SNAPSHOT_SIGNERS must be a non-empty JSON array of public JWKs'],
    [{ URBIS_SNAPSHOT_SIGNERS: '[{"kty":"OKP"}]' }, 'URBIS_SNAPSHOT_SIGNERS holds a value that is not a public P-256 JWK'],
    [{ URBIS_SNAPSHOT_ISSUER_KEYS: '["x"]' }, 'URBIS_SNAPSHOT_ISSUER_KEYS must be a JSON object: issuer DID → array of public JWKs'],
    [{ URBIS_SNAPSHOT_ISSUER_KEYS: '{"gijon":[]}' }, 'URBIS_SNAPSHOT_ISSUER_KEYS must map issuer DIDs to arrays of public JWKs'],
    [{ URBIS_CHAIN_RPC: 'ftp://chain' }, 'URBIS_CHAIN_RPC must be an http(s) URL'],
    ...['ftp://issuer.example', 'http://127.0.0.1:4001/', 'https://issuer.example/?q=1', 'https://issuer.example/#f', 'https://u:p@issuer.example', 'not a url'].map(
      (value) => [{ URBIS_TERMINAL_REPORT_URL: value }, 'URBIS_TERMINAL_REPORT_URL must be the issuer URL: http(s), no query, fragment, user information or trailing slash'] as const,
    ),
    [{ URBIS_CHAIN_RPC: 'http://127.0.0.1:8545', URBIS_CHAIN_ID: '0' }, 'URBIS_CHAIN_ID must be an integer from 1 to 2147483648'],
  ])('%j → CONFIG_INVALID naming the variable', (env, message) => {
    expect(failure(env as NodeJS.ProcessEnv)).toEqual({ code: 'CONFIG_INVALID', message });
  });

  test('a policy file that does not parse: CONFIG_INVALID naming the variable, with the parser reason', () => {
    const policies = join(dir, 'bad.json');
    writeFileSync(policies, JSON.stringify({ version: 1, policies: [{ serviceId: 'Museum!', accept: [] }] }));
    const problem = failure({ URBIS_TERMINAL_POLICIES: policies });
    expect(problem?.code).toBe('CONFIG_INVALID');
    expect(problem?.message).toMatch(/^URBIS_TERMINAL_POLICIES holds invalid policies \(/);
  });

  test('secrets are never echoed: a private key as a signer, a token in the RPC URL', () => {
    const privateSigner = JSON.stringify([signer.privateJwk]);
    const problem = failure({ URBIS_SNAPSHOT_SIGNERS: privateSigner });
    expect(problem).toEqual({ code: 'CONFIG_INVALID', message: 'URBIS_SNAPSHOT_SIGNERS holds a private key: give public keys only (and replace that key)' });
    expect(problem!.message).not.toContain(signer.privateJwk.d);
    const keysProblem = failure({ URBIS_SNAPSHOT_ISSUER_KEYS: JSON.stringify({ 'did:web:a.example': [signer.privateJwk] }) });
    expect(keysProblem?.message).not.toContain(signer.privateJwk.d);

    const token = 'sk-live-0123456789abcdef';
    expect(failure({ URBIS_CHAIN_RPC: `gopher://user:${token}@chain.example/` })?.message).not.toContain(token);
    const described = JSON.stringify(describeTerminalConfig(loadTerminalConfig({ env: { URBIS_CHAIN_RPC: `https://user:${token}@chain.example/rpc/${token}?key=${token}`, URBIS_SNAPSHOT_SIGNERS: JSON.stringify([signer.publicJwk]) } })));
    expect(described).not.toContain(token);
    expect(described).not.toContain(signer.publicJwk.x);
    expect(JSON.parse(described)).toMatchObject({ chain: { rpc: 'https://chain.example', chainId: 7777 }, snapshotSigners: ['key 1'], services: expect.arrayContaining(['pools']) });
  });

  test('URBIS_TERMINAL_REPORT_URL: the issuer counts are pushed to (unset: no reports), shown by its origin only', () => {
    expect(loadTerminalConfig({ env: {} }).reportUrl).toBeUndefined();
    expect(loadTerminalConfig({ env: { URBIS_TERMINAL_REPORT_URL: '' } }).reportUrl).toBeUndefined();
    const config = loadTerminalConfig({ env: { URBIS_TERMINAL_REPORT_URL: 'https://sede.gijon.example/issuer' } });
    expect(config.reportUrl).toBe('https://sede.gijon.example/issuer');
    expect(describeTerminalConfig(config)).toMatchObject({ reportTo: 'https://sede.gijon.example' });
    expect(describeTerminalConfig(loadTerminalConfig({ env: {} }))).toMatchObject({ reportTo: null });
    expect(loadTerminalConfig({ env: { URBIS_TERMINAL_REPORT_URL: 'ftp://x' }, overrides: { reportUrl: 'http://127.0.0.1:4001' } }).reportUrl).toBe('http://127.0.0.1:4001');
  });
});
