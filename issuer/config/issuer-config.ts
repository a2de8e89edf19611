import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { readJsonValueOrFile } from '../../registry/config/json-value-or-file.js';
import { didWebToUrl } from '../../core/did/did-web-url.js';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue.js';
import { checkServiceDefinition, type ServiceDefinition } from '../catalogue/service-definition.js';
import { databaseLocation, type DatabaseLocation } from '../db/open-database.js';
import { DEFAULT_REFRESH_TOKEN_TTL_DAYS } from '../issuance/refresh-tokens.js';
import { checkIssuerUrl } from '../oid4vci/endpoints.js';
import { parseKey32 } from '../security/sealed-box.js';

/** Keys derived from the master key, one per purpose (HKDF-like HMAC expansion, so one leaked subkey reveals no other). */
export interface IssuerSecrets {
  /** AES-256-GCM key of supporting documents at rest. */
  documentKey: Uint8Array;
  /** AES-256-GCM key sealing the issuer's private signing keys in the database. */
  keySealingKey: Uint8Array;
  /** HMAC key of pre-authorized codes and tx_codes. */
  offerKey: Uint8Array;
  /** HMAC key of per-service pseudonyms. Must never change: pseudonyms would. */
  pseudonymSecret: Uint8Array;
}

/** The chain the issuer publishes status to. */
export interface IssuerChainConfig {
  rpcUrl: string;
  chainId: number;
  statusRegistry: string;
  /** The writer key of the issuer's status lists (hex private key). */
  writerKey: string;
  /** Status lists the chain operator created for this issuer's writer address. */
  statusListIds: number[];
  /** Entries per list (as created on chain). */
  statusListSize: number;
  /** The federation: the TrustedIssuerRegistry and the key of the city that controls this issuer's entry (to publish rotated keys). */
  federation?: { trustedIssuerRegistry: string; controllerKey: string };
}

/** Everything an issuer process needs. */
export interface IssuerConfig {
  /** Slug of the city, e.g. `gijon`. */
  cityId: string;
  cityName: string;
  /** The city's colour on printed paper cards, `#rrggbb` (`URBIS_CITY_COLOUR`). */
  cityColour: string;
  /** Validity of printed paper passes, days (`URBIS_PAPER_VALIDITY_DAYS`, 1 to 366, default 90). */
  paperValidityDays: number;
  /** `municipality` claim. */
  municipality: string;
  /** Prefix of application references, e.g. `GIJ`. */
  referencePrefix: string;
  /** Credential Issuer Identifier and base of every public URL (no trailing slash). */
  issuerUrl: string;
  /** The issuer's did:web (its document is served at `/.well-known/did.json`). */
  did: string;
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseLocation;
  secrets: IssuerSecrets;
  catalogue: ServiceDefinition[];
  batchSize: number;
  validityDays: number;
  /**
   * Lifetime of each OAuth refresh token, days (`URBIS_REFRESH_TOKEN_TTL_DAYS`, default 180). Tokens
   * rotate: every refresh returns a new one with a fresh lifetime, so a wallet that refreshes at least
   * once per period keeps its grant; one idle longer needs a new offer.
   */
  refreshTokenTtlDays: number;
  /** How often expired sessions and one-time codes are purged, minutes (`URBIS_PURGE_INTERVAL_MINUTES`, 1 to 1,440, default 60). */
  purgeIntervalMinutes: number;
  /** JSON bodies above this are refused before parsing. */
  maxJsonBytes: number;
  maxDocumentBytes: number;
  /** File the default notifier writes one-time codes and offers to. */
  notifierOutboxPath: string;
  /** Outbox of status changes (the registry publisher's SQLite file). */
  statusOutboxPath: string;
  chain?: IssuerChainConfig;
  /** Staff password hashing cost (scrypt log2 N). */
  passwordCostLn: number;
  /**
   * The terminals whose signed count reports the issuer accepts (`POST /terminal-reports`): terminal id
   * (`urbis:terminal:<id>`) → the terminal's public P-256 JWK (its own snapshot key). Empty: no report is accepted.
   */
  terminalKeys: Record<string, PublicJwk>;
}

/** Terminal ids as terminals configure them (`URBIS_TERMINAL_ID`; the same pattern as verifier/requests/terminal-id.ts). */
export const TERMINAL_ID_PATTERN = /^(?:urn:)?urbis:terminal:[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Most terminals one issuer takes reports from. */
const MAX_TERMINALS = 10_000;

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** HMAC expansion of the master key for one purpose. */
export function deriveSecret(master: Uint8Array, purpose: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', master).update(`urbis-issuer-secret-v1:${purpose}`).digest());
}

/**
 * The master key: `URBIS_MASTER_KEY` (32 bytes, hex/base64/base64url), or for
 * development a key generated once into `<dataDir>/master.key` (mode 0600).
 * Production sets the variable from a secret store; the key never goes in
 * the database, and it never changes (documents and pseudonyms depend on it).
 */
export function loadMasterKey({ env, dataDir }: { env: NodeJS.ProcessEnv; dataDir: string }): Uint8Array {
  const configured = env['URBIS_MASTER_KEY'];
  if (configured !== undefined && configured !== '') return parseKey32(configured, 'URBIS_MASTER_KEY');
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parseKey32(readFileSync(file, 'utf8'), file);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, { min, max }: { min: number; max: number }): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UrbisError('CONFIG_INVALID', `${name} must be an integer from ${min} to ${max}`);
  return value;
}

/**
 * `URBIS_TERMINAL_KEYS`: a JSON object `{ "<terminal id>": <public P-256 JWK> }`, inline or the path of a file
 * holding it (read as every key list is: registry/config/json-value-or-file.ts). Every entry is checked; a private key is refused (and never repeated).
 */
function parseTerminalKeys(raw: string): Record<string, PublicJwk> {
  const name = 'URBIS_TERMINAL_KEYS';
  // Room for MAX_TERMINALS entries of a terminal id and a public JWK each.
  const value = readJsonValueOrFile({ raw, name, maxChars: MAX_TERMINALS * 1024 });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UrbisError('CONFIG_INVALID', `${name} must be a JSON object: terminal id → public JWK`);
  const entries = Object.entries(value);
  if (entries.length > MAX_TERMINALS) throw new UrbisError('CONFIG_INVALID', `${name} lists more than ${MAX_TERMINALS} terminals`);
  const keys: Record<string, PublicJwk> = {};
  for (const [terminalId, jwk] of entries) {
    if (!TERMINAL_ID_PATTERN.test(terminalId) || terminalId === '__proto__') throw new UrbisError('CONFIG_INVALID', `${name} keys must be terminal ids (urbis:terminal:<id>)`);
    try {
      keys[terminalId] = toPublicP256Jwk(jwk);
    } catch (cause) {
      if ((cause as { code?: unknown }).code === 'KEY_PRIVATE_IN_PUBLIC') throw new UrbisError('CONFIG_INVALID', `${name} holds a private key: give public keys only (and replace that key)`, { cause });
      throw new UrbisError('CONFIG_INVALID', `${name} holds a value that is not a public P-256 JWK`, { cause });
    }
  }
  return keys;
}

/** A `#rrggbb` colour from the environment. */
function colour(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^#[0-9a-fA-F]{6}$/.test(raw)) throw new UrbisError('CONFIG_INVALID', `${name} must be a #rrggbb colour`);
  return raw.toLowerCase();
}

/**
 * Reads the issuer's configuration from environment variables (every one
 * optional; the defaults run a local city on 127.0.0.1:4000 with a SQLite file):
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `URBIS_CITY_ID`, `URBIS_CITY_NAME`, `URBIS_MUNICIPALITY`, `URBIS_REFERENCE_PREFIX` | the city | `gijon`, `Gijón`, `Gijón`, `GIJ` |
 * | `URBIS_HOST`, `URBIS_PORT` | where to listen | `127.0.0.1`, `4000` |
 * | `URBIS_ISSUER_URL` | public base URL = Credential Issuer Identifier | `http://HOST:PORT` |
 * | `URBIS_ISSUER_DID` | the issuer's did:web | `did:web:<city>.city.example` |
 * | `URBIS_DATA_DIR` | SQLite file, documents, outboxes | `.urbis/issuer-<city>` |
 * | `DATABASE_URL` | PostgreSQL instead of SQLite | — |
 * | `URBIS_MASTER_KEY` | 32-byte master key | generated in the data dir (development) |
 * | `URBIS_CATALOGUE_FILE` | JSON array of services | Gijón-like default catalogue |
 * | `URBIS_BATCH_SIZE`, `URBIS_VALIDITY_DAYS` | copies per request, validity | `10`, `365` |
 * | `URBIS_PURGE_INTERVAL_MINUTES` | how often expired sessions and one-time codes are deleted (1 to 1,440) | `60` |
 * | `URBIS_CITY_COLOUR`, `URBIS_PAPER_VALIDITY_DAYS` | printed paper cards: the city's colour (`#rrggbb`), validity of a paper pass in days (1 to 366) | `#00529b`, `90` |
 * | `URBIS_REFRESH_TOKEN_TTL_DAYS` | lifetime of each OAuth refresh token (1 to 730; rotation gives each new one a fresh lifetime) | `180` |
 * | `URBIS_CHAIN_RPC`, `URBIS_CHAIN_ID`, `URBIS_STATUS_REGISTRY`, `URBIS_CHAIN_WRITER_KEY`, `URBIS_STATUS_LISTS`, `URBIS_STATUS_LIST_SIZE` | status publishing | none: revocations wait in the outbox |
 * | `URBIS_TRUSTED_ISSUER_REGISTRY`, `URBIS_FEDERATION_KEY` | publish rotated keys to the federation (the controlling city's key) | none: rotate in the registry by hand |
 * | `URBIS_TERMINAL_KEYS` | terminals whose signed count reports are accepted: JSON object `{ "urbis:terminal:<id>": <public P-256 JWK> }` inline or a file path (a terminal prints its key with `urbis terminal report --print-key`) | none: every report is refused |
 *
 * @throws UrbisError `CONFIG_INVALID` naming the variable (never its value).
 */
export function loadIssuerConfig({ env = process.env, overrides = {} }: { env?: NodeJS.ProcessEnv; overrides?: Partial<IssuerConfig> } = {}): IssuerConfig {
  const cityId = overrides.cityId ?? env['URBIS_CITY_ID'] ?? 'gijon';
  if (!SLUG.test(cityId)) throw new UrbisError('CONFIG_INVALID', 'URBIS_CITY_ID must be a lowercase slug');
  const host = overrides.host ?? env['URBIS_HOST'] ?? '127.0.0.1';
  const port = overrides.port ?? integer(env, 'URBIS_PORT', 4000, { min: 0, max: 65_535 });
  const issuerUrl = overrides.issuerUrl ?? env['URBIS_ISSUER_URL'] ?? `http://${host}:${port}`;
  try {
    checkIssuerUrl(issuerUrl);
  } catch (cause) {
    throw new UrbisError('CONFIG_INVALID', 'URBIS_ISSUER_URL must be an absolute http(s) URL with no query, fragment, user information or trailing slash', { cause });
  }
  const did = overrides.did ?? env['URBIS_ISSUER_DID'] ?? `did:web:${cityId}.city.example`;
  try {
    didWebToUrl(did);
  } catch (cause) {
    throw new UrbisError('CONFIG_INVALID', 'URBIS_ISSUER_DID must be a did:web', { cause });
  }
  const dataDir = resolve(overrides.dataDir ?? env['URBIS_DATA_DIR'] ?? join('.urbis', `issuer-${cityId}`));
  const referencePrefix = overrides.referencePrefix ?? env['URBIS_REFERENCE_PREFIX'] ?? cityId.slice(0, 3).toUpperCase();
  if (!/^[A-Z]{2,5}$/.test(referencePrefix)) throw new UrbisError('CONFIG_INVALID', 'URBIS_REFERENCE_PREFIX must be 2 to 5 capital letters');
  let catalogue = overrides.catalogue;
  if (catalogue === undefined) {
    const file = env['URBIS_CATALOGUE_FILE'];
    if (file !== undefined && file !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (cause) {
        throw new UrbisError('CONFIG_INVALID', 'URBIS_CATALOGUE_FILE must be a readable JSON file', { cause });
      }
      if (!Array.isArray(parsed)) throw new UrbisError('CONFIG_INVALID', 'URBIS_CATALOGUE_FILE must hold a JSON array');
      try {
        catalogue = parsed.map(checkServiceDefinition);
      } catch (cause) {
        throw new UrbisError('CONFIG_INVALID', `URBIS_CATALOGUE_FILE holds an invalid service (${(cause as Error).message})`, { cause });
      }
    } else catalogue = DEFAULT_CATALOGUE.map((s) => ({ ...s }));
  }
  let secrets = overrides.secrets;
  if (secrets === undefined) {
    const master = loadMasterKey({ env, dataDir });
    secrets = { documentKey: deriveSecret(master, 'documents'), keySealingKey: deriveSecret(master, 'signing-keys'), offerKey: deriveSecret(master, 'offers'), pseudonymSecret: deriveSecret(master, 'pseudonyms') };
  }
  let chain = overrides.chain;
  if (chain === undefined && env['URBIS_CHAIN_RPC'] !== undefined && env['URBIS_CHAIN_RPC'] !== '') {
    const lists = (env['URBIS_STATUS_LISTS'] ?? '').split(',').filter((s) => s !== '').map(Number);
    if (lists.length === 0 || lists.some((n) => !Number.isSafeInteger(n) || n < 0)) throw new UrbisError('CONFIG_INVALID', 'URBIS_STATUS_LISTS must list the issuer\'s status list ids');
    const writerKey = env['URBIS_CHAIN_WRITER_KEY'] ?? '';
    if (!/^0x[0-9a-fA-F]{64}$/.test(writerKey)) throw new UrbisError('CONFIG_INVALID', 'URBIS_CHAIN_WRITER_KEY must be a 32-byte hex private key');
    const registry = env['URBIS_STATUS_REGISTRY'] ?? '';
    if (!/^0x[0-9a-fA-F]{40}$/.test(registry)) throw new UrbisError('CONFIG_INVALID', 'URBIS_STATUS_REGISTRY must be a contract address');
    const federationRegistry = env['URBIS_TRUSTED_ISSUER_REGISTRY'] ?? '';
    const controllerKey = env['URBIS_FEDERATION_KEY'] ?? '';
    if (federationRegistry !== '' && !/^0x[0-9a-fA-F]{40}$/.test(federationRegistry)) throw new UrbisError('CONFIG_INVALID', 'URBIS_TRUSTED_ISSUER_REGISTRY must be a contract address');
    if (federationRegistry !== '' && !/^0x[0-9a-fA-F]{64}$/.test(controllerKey)) throw new UrbisError('CONFIG_INVALID', 'URBIS_FEDERATION_KEY must be a 32-byte hex private key');
    chain = {
      ...(federationRegistry === '' ? {} : { federation: { trustedIssuerRegistry: federationRegistry, controllerKey } }),
      rpcUrl: env['URBIS_CHAIN_RPC']!,
      chainId: integer(env, 'URBIS_CHAIN_ID', 7777, { min: 1, max: 2 ** 31 }),
      statusRegistry: registry,
      writerKey,
      statusListIds: lists,
      statusListSize: integer(env, 'URBIS_STATUS_LIST_SIZE', 131_072, { min: 131_072, max: 2 ** 30 }),
    };
  }
  const databaseUrl = env['DATABASE_URL'];
  return {
    cityId,
    cityName: overrides.cityName ?? env['URBIS_CITY_NAME'] ?? 'Gijón',
    cityColour: overrides.cityColour ?? colour(env, 'URBIS_CITY_COLOUR', '#00529b'),
    paperValidityDays: overrides.paperValidityDays ?? integer(env, 'URBIS_PAPER_VALIDITY_DAYS', 90, { min: 1, max: 366 }),
    municipality: overrides.municipality ?? env['URBIS_MUNICIPALITY'] ?? 'Gijón',
    referencePrefix,
    issuerUrl,
    did,
    host,
    port,
    dataDir,
    database: overrides.database ?? databaseLocation({ ...(databaseUrl === undefined ? {} : { databaseUrl }), sqlitePath: join(dataDir, 'issuer.sqlite') }),
    secrets,
    catalogue,
    batchSize: overrides.batchSize ?? integer(env, 'URBIS_BATCH_SIZE', 10, { min: 1, max: 100 }),
    validityDays: overrides.validityDays ?? integer(env, 'URBIS_VALIDITY_DAYS', 365, { min: 1, max: 1_825 }),
    refreshTokenTtlDays: overrides.refreshTokenTtlDays ?? integer(env, 'URBIS_REFRESH_TOKEN_TTL_DAYS', DEFAULT_REFRESH_TOKEN_TTL_DAYS, { min: 1, max: 730 }),
    purgeIntervalMinutes: overrides.purgeIntervalMinutes ?? integer(env, 'URBIS_PURGE_INTERVAL_MINUTES', 60, { min: 1, max: 1_440 }),
    maxJsonBytes: overrides.maxJsonBytes ?? 64 * 1024,
    maxDocumentBytes: overrides.maxDocumentBytes ?? 5 * 1024 * 1024,
    notifierOutboxPath: overrides.notifierOutboxPath ?? join(dataDir, 'notifications.jsonl'),
    statusOutboxPath: overrides.statusOutboxPath ?? join(dataDir, 'status-outbox.sqlite'),
    ...(chain === undefined ? {} : { chain }),
    passwordCostLn: overrides.passwordCostLn ?? integer(env, 'URBIS_PASSWORD_COST_LN', 15, { min: 10, max: 20 }),
    terminalKeys: overrides.terminalKeys ?? (env['URBIS_TERMINAL_KEYS'] === undefined || env['URBIS_TERMINAL_KEYS'] === '' ? {} : parseTerminalKeys(env['URBIS_TERMINAL_KEYS'])),
  };
}
