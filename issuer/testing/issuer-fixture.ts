import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { freePort, HARDHAT_TEST_KEYS } from '../../registry/testing/hardhat-node.js';
import type { DeployedRegistries } from '../../registry/testing/deployed-registries.js';
import { readOutboxFile } from '../auth/notifier.js';
import { loadIssuerConfig, type IssuerConfig } from '../config/issuer-config.js';
import { createIssuer, type IssuerLog } from '../create-issuer.js';
import type { DatabaseEngine } from '../db/migrations.js';
import { newTestPostgresSchema } from '../db/testing/test-databases.js';

/** The minimum status list size the registry accepts. */
export const TEST_LIST_SIZE = 131_072;

/** An HTTP answer in tests. */
export interface TestResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies loosely and assert their shape
  body: any;
  text: string;
}

/** A running issuer for tests: real HTTP on 127.0.0.1, a real database, optional real chain. */
export interface IssuerFixture {
  url: string;
  issuer: Awaited<ReturnType<typeof createIssuer>>;
  config: IssuerConfig;
  dir: string;
  /** Signs in as the bootstrap admin; returns a bearer token. */
  adminToken(): Promise<string>;
  /** Creates a staff account with a role and signs it in. */
  staffToken(args: { role: 'clerk' | 'service_manager' | 'admin'; serviceId?: string }): Promise<string>;
  /** The last one-time code or tx_code sent by the notifier to `email`. */
  lastCodeSentTo(email: string): Promise<string>;
  /** JSON request helper: returns status, headers and parsed body. */
  request(method: string, path: string, options?: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

const ADMIN = { username: 'admin', password: 'correct horse battery staple' };

/**
 * Starts an issuer on a free port with a fresh database of `engine` (SQLite
 * file or a PostgreSQL schema) and a temporary data folder; with
 * `registries`, it publishes status to that chain through a list created
 * for city A's writer key (Hardhat account 1).
 */
export async function startIssuerFixture({
  engine = 'sqlite',
  registries,
  overrides = {},
  now,
  log,
  federationKey,
}: {
  engine?: DatabaseEngine;
  registries?: DeployedRegistries;
  overrides?: Partial<IssuerConfig>;
  now?: () => number;
  log?: IssuerLog;
  /** With `registries`: publish rotated keys to the federation registry with this key (e.g. city A's, Hardhat account 1). */
  federationKey?: string;
} = {}): Promise<IssuerFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'urbis-issuer-'));
  const pgSchema = engine === 'postgres' ? await newTestPostgresSchema() : undefined;
  const database = pgSchema === undefined ? { engine: 'sqlite' as const, path: join(dir, 'issuer.sqlite') } : pgSchema.location;
  const port = await freePort();
  let chain: IssuerConfig['chain'];
  if (registries !== undefined) {
    const writer = new Wallet(HARDHAT_TEST_KEYS[1]!);
    const listId = await registries.status.createList({ owner: writer.address, size: TEST_LIST_SIZE });
    chain = {
      rpcUrl: registries.node.url,
      chainId: 7777,
      statusRegistry: registries.deployment.statusRegistry,
      writerKey: HARDHAT_TEST_KEYS[1]!,
      statusListIds: [listId],
      statusListSize: TEST_LIST_SIZE,
      ...(federationKey === undefined ? {} : { federation: { trustedIssuerRegistry: registries.deployment.trustedIssuerRegistry, controllerKey: federationKey } }),
    };
  }
  const config = loadIssuerConfig({
    env: {},
    overrides: {
      port,
      host: '127.0.0.1',
      issuerUrl: `http://127.0.0.1:${port}`,
      dataDir: dir,
      secrets: { documentKey: randomBytes(32), keySealingKey: randomBytes(32), offerKey: randomBytes(32), pseudonymSecret: randomBytes(32) },
      passwordCostLn: 10,
      database,
      ...(chain === undefined ? {} : { chain }),
      ...overrides,
    },
  });
  const issuer = await createIssuer({ config, ...(now === undefined ? {} : { now }), ...(log === undefined ? {} : { log }) });
  await issuer.staff.create({ ...ADMIN, role: 'admin' });
  const { url } = await issuer.start();
  const fixture: IssuerFixture = {
    url,
    issuer,
    config,
    dir,
    async request(method, path, { token, json, body, headers = {} } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(json === undefined ? (body === undefined ? {} : { body }) : { body: JSON.stringify(json) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async adminToken() {
      const res = await fixture.request('POST', '/back-office/login', { json: ADMIN });
      if (res.status !== 200) throw new Error(`admin login failed: ${res.status}`);
      return res.body.token as string;
    },
    async staffToken({ role, serviceId }) {
      const username = `${role.replace('_', '-')}-${randomBytes(4).toString('hex')}`;
      const password = `password-${randomBytes(8).toString('hex')}`;
      await issuer.staff.create({ username, password, role, ...(serviceId === undefined ? {} : { serviceId }) });
      const res = await fixture.request('POST', '/back-office/login', { json: { username, password } });
      if (res.status !== 200) throw new Error(`staff login failed: ${res.status}`);
      return res.body.token as string;
    },
    async lastCodeSentTo(email) {
      const entries = (await readOutboxFile({ path: config.notifierOutboxPath })).filter((e) => e.to.email === email);
      const text = entries.at(-1)?.text ?? '';
      const match = /(\d{6})/.exec(text);
      if (match === null) throw new Error('no code was sent to this address');
      return match[1]!;
    },
    async close() {
      await issuer.stop();
      await pgSchema?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}
