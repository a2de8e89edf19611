import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue.js';
import { parseKey32 } from '../security/sealed-box.js';
import { deriveSecret, loadIssuerConfig, loadMasterKey } from './issuer-config.js';

const MASTER_HEX = 'a1'.repeat(32);
const WRITER_KEY = `0x${'ab'.repeat(32)}`;
const REGISTRY = `0x${'12'.repeat(20)}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'urbis-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** An environment with a data folder in the test's temporary folder (so nothing is written in the repository). */
const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ URBIS_DATA_DIR: dir, ...vars });

function configFailure(vars: Record<string, string>): { code: unknown; message: string } | undefined {
  try {
    loadIssuerConfig({ env: env(vars) });
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  return undefined;
}

describe('loadIssuerConfig: defaults', () => {
  test('an empty environment runs a local Gijón issuer on a SQLite file', () => {
    const config = loadIssuerConfig({ env: env() });
    expect(config).toMatchObject({
      cityId: 'gijon',
      cityName: 'Gijón',
      municipality: 'Gijón',
      referencePrefix: 'GIJ',
      host: '127.0.0.1',
      port: 4000,
      issuerUrl: 'http://127.0.0.1:4000',
      did: 'did:web:gijon.city.example',
      dataDir: resolve(dir),
      database: { engine: 'sqlite', path: join(resolve(dir), 'issuer.sqlite') },
      batchSize: 10,
      validityDays: 365,
      refreshTokenTtlDays: 180,
      maxJsonBytes: 64 * 1024,
      maxDocumentBytes: 5 * 1024 * 1024,
      notifierOutboxPath: join(resolve(dir), 'notifications.jsonl'),
      statusOutboxPath: join(resolve(dir), 'status-outbox.sqlite'),
      passwordCostLn: 15,
    });
    expect(config).not.toHaveProperty('chain');
    expect(config.catalogue).toEqual(DEFAULT_CATALOGUE);
    expect(config.catalogue[0]).not.toBe(DEFAULT_CATALOGUE[0]); // a copy the caller may change
    for (const secret of Object.values(config.secrets)) expect(secret).toHaveLength(32);
  });

  test('without URBIS_DATA_DIR the data folder is .urbis/issuer-<city> under the working directory', () => {
    const config = loadIssuerConfig({ env: { URBIS_CITY_ID: 'oviedo', URBIS_MASTER_KEY: MASTER_HEX } });
    expect(config.dataDir).toBe(resolve('.urbis', 'issuer-oviedo'));
    expect(config.referencePrefix).toBe('OVI');
    expect(config.did).toBe('did:web:oviedo.city.example');
    expect(existsSync(join(config.dataDir, 'master.key'))).toBe(false);
  });

  test('every variable is read', () => {
    const catalogueFile = join(dir, 'catalogue.json');
    writeFileSync(catalogueFile, JSON.stringify([{ id: 'zoo', names: { en: 'Zoo', es: 'Zoo', fr: 'Zoo' }, tiers: ['standard'] }]));
    const config = loadIssuerConfig({
      env: env({
        URBIS_CITY_ID: 'oviedo',
        URBIS_CITY_NAME: 'Oviedo',
        URBIS_MUNICIPALITY: 'Uviéu',
        URBIS_REFERENCE_PREFIX: 'OVD',
        URBIS_HOST: '0.0.0.0',
        URBIS_PORT: '8080',
        URBIS_ISSUER_URL: 'https://sede.oviedo.example/issuer',
        URBIS_ISSUER_DID: 'did:web:sede.oviedo.example',
        URBIS_MASTER_KEY: MASTER_HEX,
        URBIS_CATALOGUE_FILE: catalogueFile,
        URBIS_BATCH_SIZE: '25',
        URBIS_VALIDITY_DAYS: '30',
        URBIS_REFRESH_TOKEN_TTL_DAYS: '90',
        URBIS_PURGE_INTERVAL_MINUTES: '15',
        URBIS_CITY_COLOUR: '#A51C30',
        URBIS_PAPER_VALIDITY_DAYS: '30',
        URBIS_PASSWORD_COST_LN: '12',
        DATABASE_URL: 'postgresql://urbis@db.internal:5432/urbis',
        URBIS_CHAIN_RPC: 'http://127.0.0.1:8545',
        URBIS_CHAIN_ID: '31337',
        URBIS_STATUS_REGISTRY: REGISTRY,
        URBIS_CHAIN_WRITER_KEY: WRITER_KEY,
        URBIS_STATUS_LISTS: '0,3,,7',
        URBIS_STATUS_LIST_SIZE: '262144',
      }),
    });
    expect(config).toMatchObject({
      cityId: 'oviedo',
      cityName: 'Oviedo',
      municipality: 'Uviéu',
      referencePrefix: 'OVD',
      host: '0.0.0.0',
      port: 8080,
      issuerUrl: 'https://sede.oviedo.example/issuer',
      did: 'did:web:sede.oviedo.example',
      database: { engine: 'postgres', url: 'postgresql://urbis@db.internal:5432/urbis' },
      catalogue: [{ id: 'zoo', names: { en: 'Zoo', es: 'Zoo', fr: 'Zoo' }, tiers: ['standard'], requiredDocuments: [], active: true }],
      batchSize: 25,
      validityDays: 30,
      refreshTokenTtlDays: 90,
      purgeIntervalMinutes: 15,
      cityColour: '#a51c30',
      paperValidityDays: 30,
      passwordCostLn: 12,
      chain: { rpcUrl: 'http://127.0.0.1:8545', chainId: 31337, statusRegistry: REGISTRY, writerKey: WRITER_KEY, statusListIds: [0, 3, 7], statusListSize: 262_144 },
    });
  });

  test('paper cards and purging: defaults, and typed errors naming the variable for bad values', () => {
    expect(loadIssuerConfig({ env: env({}) })).toMatchObject({ cityColour: '#00529b', paperValidityDays: 90, purgeIntervalMinutes: 60 });
    for (const [name, value] of [
      ['URBIS_CITY_COLOUR', 'blue'],
      ['URBIS_CITY_COLOUR', '#12345'],
      ['URBIS_PAPER_VALIDITY_DAYS', '0'],
      ['URBIS_PAPER_VALIDITY_DAYS', '367'],
      ['URBIS_PURGE_INTERVAL_MINUTES', '0'],
      ['URBIS_PURGE_INTERVAL_MINUTES', 'hourly'],
    ] as const) {
      expect(() => loadIssuerConfig({ env: env({ [name]: value }) })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(name) }));
    }
  });

  test('the issuer URL defaults to the host and port', () => {
    expect(loadIssuerConfig({ env: env({ URBIS_HOST: 'localhost', URBIS_PORT: '4100' }) }).issuerUrl).toBe('http://localhost:4100');
  });

  test('a chain needs only the RPC URL, registry, writer key and lists: chain id and list size default', () => {
    const config = loadIssuerConfig({ env: env({ URBIS_CHAIN_RPC: 'http://127.0.0.1:8545', URBIS_STATUS_REGISTRY: REGISTRY, URBIS_CHAIN_WRITER_KEY: WRITER_KEY, URBIS_STATUS_LISTS: '1' }) });
    expect(config.chain).toEqual({ rpcUrl: 'http://127.0.0.1:8545', chainId: 7777, statusRegistry: REGISTRY, writerKey: WRITER_KEY, statusListIds: [1], statusListSize: 131_072 });
    expect(loadIssuerConfig({ env: env({ URBIS_CHAIN_RPC: '' }) })).not.toHaveProperty('chain');
  });

  test('DATABASE_URL chooses PostgreSQL (postgres:// or postgresql://); empty means SQLite', () => {
    expect(loadIssuerConfig({ env: env({ DATABASE_URL: 'postgres://u:p@h/db' }) }).database).toEqual({ engine: 'postgres', url: 'postgres://u:p@h/db' });
    expect(loadIssuerConfig({ env: env({ DATABASE_URL: '' }) }).database).toEqual({ engine: 'sqlite', path: join(resolve(dir), 'issuer.sqlite') });
  });

  test('empty numeric variables mean the default', () => {
    const config = loadIssuerConfig({ env: env({ URBIS_PORT: '', URBIS_BATCH_SIZE: '', URBIS_VALIDITY_DAYS: '', URBIS_REFRESH_TOKEN_TTL_DAYS: '', URBIS_PASSWORD_COST_LN: '' }) });
    expect(config).toMatchObject({ port: 4000, batchSize: 10, validityDays: 365, refreshTokenTtlDays: 180, passwordCostLn: 15 });
  });

  test('bounds are inclusive', () => {
    expect(loadIssuerConfig({ env: env({ URBIS_PORT: '0', URBIS_BATCH_SIZE: '1', URBIS_VALIDITY_DAYS: '1', URBIS_REFRESH_TOKEN_TTL_DAYS: '1', URBIS_PASSWORD_COST_LN: '10' }) })).toMatchObject({ port: 0, batchSize: 1, validityDays: 1, refreshTokenTtlDays: 1, passwordCostLn: 10 });
    expect(loadIssuerConfig({ env: env({ URBIS_PORT: '65535', URBIS_BATCH_SIZE: '100', URBIS_VALIDITY_DAYS: '1825', URBIS_REFRESH_TOKEN_TTL_DAYS: '730', URBIS_PASSWORD_COST_LN: '20' }) })).toMatchObject({ port: 65_535, batchSize: 100, validityDays: 1_825, refreshTokenTtlDays: 730, passwordCostLn: 20 });
  });

  test('overrides win over the environment and skip its checks', () => {
    const secrets = { documentKey: randomBytes(32), keySealingKey: randomBytes(32), offerKey: randomBytes(32), pseudonymSecret: randomBytes(32) };
    const config = loadIssuerConfig({
      env: env({ URBIS_PORT: 'not a port', URBIS_MASTER_KEY: 'not a key', URBIS_BATCH_SIZE: '0', URBIS_CATALOGUE_FILE: join(dir, 'missing.json') }),
      overrides: { port: 5000, secrets, batchSize: 3, catalogue: [], cityName: 'Avilés', database: { engine: 'sqlite', path: ':memory:' }, maxJsonBytes: 1024 },
    });
    expect(config).toMatchObject({ port: 5000, batchSize: 3, catalogue: [], cityName: 'Avilés', database: { engine: 'sqlite', path: ':memory:' }, maxJsonBytes: 1024, issuerUrl: 'http://127.0.0.1:5000' });
    expect(config.secrets).toBe(secrets);
    expect(existsSync(join(dir, 'master.key'))).toBe(false);
  });
});

describe('loadIssuerConfig: a bad variable is CONFIG_INVALID naming it, never its value', () => {
  const SECRET = 'SECRETVALUE';
  test.each([
    ['URBIS_CITY_ID', `Gijón-${SECRET}`],
    ['URBIS_CITY_ID', ''],
    ['URBIS_PORT', `port-${SECRET}`],
    ['URBIS_PORT', '65536'],
    ['URBIS_PORT', '-1'],
    ['URBIS_PORT', '80.5'],
    ['URBIS_ISSUER_DID', `did:key:z${SECRET}`],
    ['URBIS_ISSUER_DID', `did:web:${SECRET}..example`],
    ['URBIS_REFERENCE_PREFIX', 'gij'],
    ['URBIS_REFERENCE_PREFIX', 'G'],
    ['URBIS_REFERENCE_PREFIX', SECRET],
    ['URBIS_MASTER_KEY', SECRET],
    ['URBIS_MASTER_KEY', '00'.repeat(32)],
    ['URBIS_MASTER_KEY', 'ab'.repeat(31)],
    ['URBIS_BATCH_SIZE', '0'],
    ['URBIS_BATCH_SIZE', '101'],
    ['URBIS_VALIDITY_DAYS', '0'],
    ['URBIS_VALIDITY_DAYS', '1826'],
    ['URBIS_REFRESH_TOKEN_TTL_DAYS', '0'],
    ['URBIS_REFRESH_TOKEN_TTL_DAYS', '731'],
    ['URBIS_REFRESH_TOKEN_TTL_DAYS', '1.5'],
    ['URBIS_REFRESH_TOKEN_TTL_DAYS', `days-${SECRET}`],
    ['URBIS_PASSWORD_COST_LN', '9'],
    ['URBIS_PASSWORD_COST_LN', '21'],
    ['DATABASE_URL', `mysql://root:${SECRET}@db/urbis`],
  ])('%s=%p', (name, value) => {
    const error = configFailure({ [name]: value });
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).toContain(name);
    expect(error?.message).not.toContain(SECRET);
  });

  const CHAIN = { URBIS_CHAIN_RPC: 'http://127.0.0.1:8545', URBIS_STATUS_REGISTRY: REGISTRY, URBIS_CHAIN_WRITER_KEY: WRITER_KEY, URBIS_STATUS_LISTS: '1' };
  test.each([
    ['URBIS_STATUS_LISTS', ''],
    ['URBIS_STATUS_LISTS', `1,${SECRET}`],
    ['URBIS_STATUS_LISTS', '-1'],
    ['URBIS_STATUS_LISTS', '1.5'],
    ['URBIS_CHAIN_WRITER_KEY', `0x${SECRET}`],
    ['URBIS_CHAIN_WRITER_KEY', 'ab'.repeat(32)],
    ['URBIS_STATUS_REGISTRY', `0x${SECRET}`],
    ['URBIS_STATUS_REGISTRY', ''],
    ['URBIS_CHAIN_ID', '0'],
    ['URBIS_CHAIN_ID', `id-${SECRET}`],
    ['URBIS_STATUS_LIST_SIZE', '1000'],
    ['URBIS_STATUS_LIST_SIZE', String(2 ** 30 + 1)],
  ])('chain: %s=%p', (name, value) => {
    const error = configFailure({ ...CHAIN, [name]: value });
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).toContain(name);
    expect(error?.message).not.toContain(SECRET);
  });

  test('URBIS_ISSUER_URL: not http(s), a trailing slash, a query or not a URL', () => {
    for (const value of [`ftp://${SECRET}.example`, `https://${SECRET}.example/`, `https://${SECRET}.example/?q=1`, `not a url ${SECRET}`]) {
      const error = configFailure({ URBIS_ISSUER_URL: value });
      expect(error?.code).toBe('CONFIG_INVALID');
      expect(error?.message).not.toContain(SECRET);
      expect(error?.message).toContain('URBIS_ISSUER_URL');
    }
  });

  test('URBIS_CATALOGUE_FILE: missing, not JSON, or not an array', () => {
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, `{ "secret": "${SECRET}" `);
    const notArray = join(dir, 'object.json');
    writeFileSync(notArray, JSON.stringify({ services: [] }));
    for (const file of [join(dir, 'missing.json'), notJson, notArray]) {
      const error = configFailure({ URBIS_CATALOGUE_FILE: file });
      expect(error?.code).toBe('CONFIG_INVALID');
      expect(error?.message).toContain('URBIS_CATALOGUE_FILE');
      expect(error?.message).not.toContain(SECRET);
    }
  });

  test('URBIS_CATALOGUE_FILE holding an invalid service', () => {
    const badService = join(dir, 'bad-service.json');
    writeFileSync(badService, JSON.stringify([{ id: `Bad ${SECRET}`, names: { en: 'x', es: 'x', fr: 'x' }, tiers: ['standard'] }]));
    const error = configFailure({ URBIS_CATALOGUE_FILE: badService });
    expect(error?.message).not.toContain(SECRET);
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).toContain('URBIS_CATALOGUE_FILE');
  });
});

describe('the master key and derived secrets', () => {
  test('without URBIS_MASTER_KEY a key is generated once in the data folder (mode 0600) and reused', () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = loadMasterKey({ env: {}, dataDir });
    const file = join(dataDir, 'master.key');
    expect(first).toHaveLength(32);
    expect(readFileSync(file, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(loadMasterKey({ env: {}, dataDir })).toEqual(first);
    expect(loadMasterKey({ env: { URBIS_MASTER_KEY: '' }, dataDir })).toEqual(first);
    expect(Buffer.from(first).equals(Buffer.from(loadMasterKey({ env: {}, dataDir: join(dir, 'other') })))).toBe(false);
  });

  test('two configurations of one data folder derive the same secrets', () => {
    const a = loadIssuerConfig({ env: env() });
    const b = loadIssuerConfig({ env: env() });
    expect(b.secrets).toEqual(a.secrets);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
  });

  test('URBIS_MASTER_KEY (hex, base64 or base64url) is used as given and no file is written', () => {
    const dataDir = join(dir, 'unused');
    const key = loadMasterKey({ env: { URBIS_MASTER_KEY: `${MASTER_HEX}\n` }, dataDir });
    expect(Buffer.from(key).toString('hex')).toBe(MASTER_HEX);
    expect(loadMasterKey({ env: { URBIS_MASTER_KEY: Buffer.from(MASTER_HEX, 'hex').toString('base64') }, dataDir })).toEqual(key);
    expect(existsSync(dataDir)).toBe(false);
  });

  test('a corrupted key file is CONFIG_INVALID, its content not repeated', () => {
    writeFileSync(join(dir, 'master.key'), 'SECRETVALUE\n', { mode: 0o600 });
    let error: { code?: unknown; message?: string } | undefined;
    try {
      loadMasterKey({ env: {}, dataDir: dir });
    } catch (e) {
      error = e as { code?: unknown; message?: string };
    }
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).not.toContain('SECRETVALUE');
  });

  test('the configuration\'s secrets are the master key expanded per purpose', () => {
    const { secrets } = loadIssuerConfig({ env: env({ URBIS_MASTER_KEY: MASTER_HEX }) });
    const master = parseKey32(MASTER_HEX, 'URBIS_MASTER_KEY');
    expect(secrets).toEqual({
      documentKey: deriveSecret(master, 'documents'),
      keySealingKey: deriveSecret(master, 'signing-keys'),
      offerKey: deriveSecret(master, 'offers'),
      pseudonymSecret: deriveSecret(master, 'pseudonyms'),
    });
    const hex = Object.values(secrets).map((s) => Buffer.from(s).toString('hex'));
    expect(new Set([...hex, MASTER_HEX]).size).toBe(5);
  });

  test('deriveSecret: 32 bytes, deterministic, different per purpose and per master key', () => {
    const master = new Uint8Array(randomBytes(32));
    const a = deriveSecret(master, 'documents');
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a).toHaveLength(32);
    expect(deriveSecret(new Uint8Array(master), 'documents')).toEqual(a);
    expect(Buffer.from(deriveSecret(master, 'offers')).equals(Buffer.from(a))).toBe(false);
    expect(Buffer.from(deriveSecret(master, 'Documents')).equals(Buffer.from(a))).toBe(false);
    expect(Buffer.from(deriveSecret(new Uint8Array(randomBytes(32)), 'documents')).equals(Buffer.from(a))).toBe(false);
  });
});

describe('URBIS_TERMINAL_KEYS: the terminals whose count reports are accepted', () => {
  const SECRET_D = 'S'.repeat(43);
  const jwk = { kty: 'EC' as const, crv: 'P-256' as const, x: 'x'.repeat(43), y: 'y'.repeat(43) };

  test('absent or empty: no terminal', () => {
    expect(loadIssuerConfig({ env: env() }).terminalKeys).toEqual({});
    expect(loadIssuerConfig({ env: env({ URBIS_TERMINAL_KEYS: '' }) }).terminalKeys).toEqual({});
  });

  test('inline JSON or a file: terminal id → public JWK (only the public members kept)', () => {
    const inline = loadIssuerConfig({ env: env({ URBIS_TERMINAL_KEYS: JSON.stringify({ 'urbis:terminal:gijon-pool-1': { ...jwk, use: 'sig' }, 'urn:urbis:terminal:bus.7': jwk }) }) });
    expect(inline.terminalKeys).toEqual({ 'urbis:terminal:gijon-pool-1': jwk, 'urn:urbis:terminal:bus.7': jwk });
    const file = join(dir, 'terminals.json');
    writeFileSync(file, JSON.stringify({ 'urbis:terminal:gijon-pool-1': jwk }));
    expect(loadIssuerConfig({ env: env({ URBIS_TERMINAL_KEYS: file }) }).terminalKeys).toEqual({ 'urbis:terminal:gijon-pool-1': jwk });
  });

  test('overrides win', () => {
    expect(loadIssuerConfig({ env: env({ URBIS_TERMINAL_KEYS: 'not json' }), overrides: { terminalKeys: { 'urbis:terminal:a': jwk } } }).terminalKeys).toEqual({ 'urbis:terminal:a': jwk });
  });

  test.each([
    ['a missing file', join('/nonexistent', 'terminals.json')],
    ['not JSON', `{ "urbis:terminal:a": ${SECRET_D}`],
    ['an array', `[${JSON.stringify(jwk)}]`],
    ['a key that is not a terminal id', JSON.stringify({ [`pool-${SECRET_D}`]: jwk })],
    ['__proto__ as a terminal id', '{"__proto__": {}}'],
    ['a value that is not a JWK', JSON.stringify({ 'urbis:terminal:a': SECRET_D })],
    ['an RSA key', JSON.stringify({ 'urbis:terminal:a': { kty: 'RSA', n: SECRET_D, e: 'AQAB' } })],
    ['a private key', JSON.stringify({ 'urbis:terminal:a': { ...jwk, d: SECRET_D } })],
  ])('%s is CONFIG_INVALID naming the variable, never its value', (_name, value) => {
    const error = configFailure({ URBIS_TERMINAL_KEYS: value });
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).toContain('URBIS_TERMINAL_KEYS');
    expect(error?.message).not.toContain(SECRET_D);
  });

  test('a private key is named as such (so the operator replaces it)', () => {
    expect(configFailure({ URBIS_TERMINAL_KEYS: JSON.stringify({ 'urbis:terminal:a': { ...jwk, d: SECRET_D } }) })?.message).toMatch(/private key/);
  });
});
