import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { readJsonValueOrFile } from '../../registry/config/json-value-or-file.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import type { IssuerKeyInput } from '../../registry/snapshot/issuer-entries.js';
import { MAX_POLICY_FILE_CHARS, parseServicePolicies } from '../policy/parse-service-policies.js';
import type { ServicePolicies } from '../policy/service-policy.js';
import { checkTerminalId } from '../requests/terminal-id.js';

/** The chain a terminal syncs its snapshot from (JSON-RPC; optional: a terminal may live on USB snapshots alone). */
export interface TerminalChainConfig {
  rpcUrl: string;
  chainId: number;
}

/** The files a terminal keeps in its data folder. Nothing else is written there. */
export interface TerminalFiles {
  /** The signed snapshot (federation-signed, or re-signed by this terminal after a sync). */
  snapshot: string;
  /** The terminal's own snapshot key (private JWK, mode 0600). */
  snapshotKey: string;
  /** The replay journal (fingerprints and expiries only). */
  replayJournal: string;
  /** Aggregate counts per service and outcome. */
  counts: string;
  /** The same counts split per UTC day, for reports to the issuer (written only when `reportUrl` is set). */
  dailyCounts: string;
  /** The process id of the terminal process using the folder (one at a time). */
  lock: string;
}

/** Everything a terminal process needs. */
export interface TerminalConfig {
  /** `urbis:terminal:<id>`: the `client_id` of its requests and the `aud` its presentations carry. */
  terminalId: string;
  /** The data folder (absolute). */
  dataDir: string;
  files: TerminalFiles;
  /** Where the policies came from (absolute path). */
  policiesPath: string;
  policies: ServicePolicies;
  /** The service scanner-only presentations (DESIGN §4 flow b) are checked for; unset: only answers to this terminal's requests. */
  scannerServiceId?: string;
  /** The federation's snapshot signers this terminal accepts (public keys). */
  snapshotSigners: PublicJwk[];
  /** Issuers' public keys by DID (from their did:web documents), for bootstrap and sync to learn keys the registry lists by thumbprint. */
  issuerKeys?: Record<string, IssuerKeyInput[]>;
  chain?: TerminalChainConfig;
  /** `urbis terminal serve` syncs this often when a chain is configured (0: never). */
  syncIntervalSeconds: number;
  host: string;
  port: number;
  /**
   * The city issuer's URL (its Credential Issuer Identifier, no trailing slash) this terminal pushes its daily
   * counts to (`POST <reportUrl>/terminal-reports`, the report's `aud`); unset: no reports.
   */
  reportUrl?: string;
}

/** The demo's policies: Gijón's service points. */
export const DEFAULT_POLICIES_PATH = fileURLToPath(new URL('../policy/fixtures/gijon-policies.json', import.meta.url));

/** Default data folder, relative to the working directory. */
export const DEFAULT_TERMINAL_DIR = join('.urbis', 'terminal');

/** Default terminal id (a demo terminal; set `URBIS_TERMINAL_ID` for every real one). */
export const DEFAULT_TERMINAL_ID = 'urbis:terminal:local';

/** The files of a data folder. */
export function terminalFiles(dataDir: string): TerminalFiles {
  return {
    snapshot: join(dataDir, 'terminal.snapshot'),
    snapshotKey: join(dataDir, 'snapshot-key.json'),
    replayJournal: join(dataDir, 'replay.journal'),
    counts: join(dataDir, 'counts.json'),
    dailyCounts: join(dataDir, 'daily-counts.json'),
    lock: join(dataDir, 'terminal.lock'),
  };
}

/** Largest key file read (a few hundred keys). */
const invalid = (message: string, cause?: unknown): UrbisError => new UrbisError('CONFIG_INVALID', message, cause === undefined ? undefined : { cause });

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, { min, max }: { min: number; max: number }): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) throw invalid(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** A public P-256 JWK, or CONFIG_INVALID naming the variable (never the key: a private one would be a secret). */
function publicKeyOf(value: unknown, name: string): PublicJwk {
  try {
    return toPublicP256Jwk(value);
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'KEY_PRIVATE_IN_PUBLIC') throw invalid(`${name} holds a private key: give public keys only (and replace that key)`, cause);
    throw invalid(`${name} holds a value that is not a public P-256 JWK`, cause);
  }
}

function parseSnapshotSigners(raw: string): PublicJwk[] {
  const name = 'URBIS_SNAPSHOT_SIGNERS';
  const value = readJsonValueOrFile({ raw, name });
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${name} must be a non-empty JSON array of public JWKs`);
  return value.map((jwk) => publicKeyOf(jwk, name));
}

function parseIssuerKeys(raw: string): Record<string, IssuerKeyInput[]> {
  const name = 'URBIS_SNAPSHOT_ISSUER_KEYS';
  const value = readJsonValueOrFile({ raw, name });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${name} must be a JSON object: issuer DID → array of public JWKs`);
  const out: Record<string, IssuerKeyInput[]> = {};
  for (const [did, keys] of Object.entries(value)) {
    if (!/^did:[a-z0-9]+:\S+$/.test(did) || !Array.isArray(keys)) throw invalid(`${name} must map issuer DIDs to arrays of public JWKs`);
    out[did] = keys.map((key: unknown) => {
      const entry = key as { publicJwk?: unknown; kid?: unknown } | null;
      if (typeof entry === 'object' && entry !== null && 'publicJwk' in entry) {
        return { publicJwk: publicKeyOf(entry.publicJwk, name), ...(typeof entry.kid === 'string' ? { kid: entry.kid } : {}) };
      }
      const publicJwk = publicKeyOf(key, name);
      return { publicJwk, ...(publicJwk.kid === undefined ? {} : { kid: publicJwk.kid }) };
    });
  }
  return out;
}

function loadPolicies(path: string): ServicePolicies {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw invalid('URBIS_TERMINAL_POLICIES must name a readable policy file', cause);
  }
  if (text.length > MAX_POLICY_FILE_CHARS) throw invalid('URBIS_TERMINAL_POLICIES names a file larger than the 1 MiB a policy file may be');
  try {
    return parseServicePolicies(text);
  } catch (cause) {
    // Policy files are public configuration (no person, no secret): the parser's message helps the operator.
    throw invalid(`URBIS_TERMINAL_POLICIES holds invalid policies (${(cause as Error).message})`, cause);
  }
}

function reportUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env['URBIS_TERMINAL_REPORT_URL'];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  // Like the RPC URL, never repeated in the message.
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '' || raw.endsWith('/')) {
    throw invalid('URBIS_TERMINAL_REPORT_URL must be the issuer URL: http(s), no query, fragment, user information or trailing slash');
  }
  return raw;
}

function chainOf(env: NodeJS.ProcessEnv): TerminalChainConfig | undefined {
  const rpcUrl = env['URBIS_CHAIN_RPC'];
  if (rpcUrl === undefined || rpcUrl === '') return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(rpcUrl);
  } catch {
    parsed = undefined;
  }
  // The URL may carry a token: the message never repeats it.
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw invalid('URBIS_CHAIN_RPC must be an http(s) URL');
  return { rpcUrl, chainId: integer(env, 'URBIS_CHAIN_ID', 7777, { min: 1, max: 2 ** 31 }) };
}

/**
 * Reads a terminal's configuration from environment variables (every one
 * optional: the defaults run a demo terminal for Gijón's services on
 * 127.0.0.1:4100 with its data in `.urbis/terminal`):
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `URBIS_TERMINAL_ID` | `urbis:terminal:<id>`: the `client_id` of its requests, the `aud` presentations must carry | `urbis:terminal:local` |
 * | `URBIS_TERMINAL_DIR` | data folder: `terminal.snapshot`, `snapshot-key.json` (the terminal's own snapshot key), `replay.journal`, `counts.json`, `daily-counts.json` (with reporting), `terminal.lock` (a process id) — nothing else | `.urbis/terminal` |
 * | `URBIS_TERMINAL_POLICIES` | the service policy file (JSON, `verifier/policy/service-policies.schema.json`) | Gijón's fixture `verifier/policy/fixtures/gijon-policies.json` |
 * | `URBIS_TERMINAL_SCANNER_SERVICE` | enables the scanner-only flow (DESIGN §4 b) for this service: a presentation that answers no request is checked for it | none: only answers to this terminal's requests |
 * | `URBIS_SNAPSHOT_SIGNERS` | the federation's snapshot signers: a JSON array of public P-256 JWKs, or the path of a file holding one | none: only the terminal's own file loads (see `urbis terminal sync --bootstrap`) |
 * | `URBIS_SNAPSHOT_ISSUER_KEYS` | issuers' public keys, `{ "<did>": [jwk or { publicJwk, kid }] }` inline or as a file path; only keys whose thumbprint the federation registry lists are taken | none: keys already in the snapshot are kept |
 * | `URBIS_CHAIN_RPC`, `URBIS_CHAIN_ID` | the chain to sync from (JSON-RPC) | none (no sync); `7777` |
 * | `URBIS_TERMINAL_SYNC_SECONDS` | how often `serve` syncs when a chain is set (0 never) | `60` |
 * | `URBIS_TERMINAL_HOST`, `URBIS_TERMINAL_PORT` | where the local HTTP API listens | `127.0.0.1`, `4100` |
 * | `URBIS_TERMINAL_REPORT_URL` | the city issuer's URL: `serve` pushes the daily counts there (signed with the snapshot key, after each successful sync; `urbis terminal report` on demand); the issuer lists this terminal's key in `URBIS_TERMINAL_KEYS` (`urbis terminal report --print-key`) | none: no reports |
 *
 * Nothing is created or opened here except reading the policy and key
 * files; `openTerminal` opens the data folder.
 *
 * @throws UrbisError `CONFIG_INVALID` naming the variable, never repeating
 *   its value (an RPC URL may carry a token, a key file a private key).
 *
 * @example
 * ```ts
 * const config = loadTerminalConfig({ env: process.env });
 * const { terminal, close } = await openTerminal({ config });
 * ```
 */
export function loadTerminalConfig({ env = process.env, overrides = {} }: { env?: NodeJS.ProcessEnv; overrides?: Partial<TerminalConfig> } = {}): TerminalConfig {
  const rawId = overrides.terminalId ?? env['URBIS_TERMINAL_ID'] ?? DEFAULT_TERMINAL_ID;
  let terminalId: string;
  try {
    terminalId = checkTerminalId(rawId === '' ? DEFAULT_TERMINAL_ID : rawId);
  } catch (cause) {
    throw invalid('URBIS_TERMINAL_ID must be urbis:terminal:<id> (letters, digits, . _ : -)', cause);
  }
  const dirValue = env['URBIS_TERMINAL_DIR'];
  const dataDir = resolve(overrides.dataDir ?? (dirValue === undefined || dirValue === '' ? DEFAULT_TERMINAL_DIR : dirValue));
  const policiesValue = env['URBIS_TERMINAL_POLICIES'];
  const policiesPath = resolve(overrides.policiesPath ?? (policiesValue === undefined || policiesValue === '' ? DEFAULT_POLICIES_PATH : policiesValue));
  const policies = overrides.policies ?? loadPolicies(policiesPath);

  const scannerValue = env['URBIS_TERMINAL_SCANNER_SERVICE'];
  const scannerServiceId = 'scannerServiceId' in overrides ? overrides.scannerServiceId : scannerValue === undefined || scannerValue === '' ? undefined : scannerValue;
  if (scannerServiceId !== undefined && !policies.has(scannerServiceId)) throw invalid('URBIS_TERMINAL_SCANNER_SERVICE must name a service of the policy file');

  const signersValue = env['URBIS_SNAPSHOT_SIGNERS'];
  const snapshotSigners = overrides.snapshotSigners ?? (signersValue === undefined || signersValue === '' ? [] : parseSnapshotSigners(signersValue));
  const keysValue = env['URBIS_SNAPSHOT_ISSUER_KEYS'];
  const issuerKeys = 'issuerKeys' in overrides ? overrides.issuerKeys : keysValue === undefined || keysValue === '' ? undefined : parseIssuerKeys(keysValue);
  const chain = 'chain' in overrides ? overrides.chain : chainOf(env);
  const reportUrl = 'reportUrl' in overrides ? overrides.reportUrl : reportUrlOf(env);

  const host = overrides.host ?? (env['URBIS_TERMINAL_HOST'] || '127.0.0.1');
  if (!/^[A-Za-z0-9.:[\]-]{1,253}$/.test(host)) throw invalid('URBIS_TERMINAL_HOST must be a host name or an IP address');
  return {
    terminalId,
    dataDir,
    files: overrides.files ?? terminalFiles(dataDir),
    policiesPath,
    policies,
    ...(scannerServiceId === undefined ? {} : { scannerServiceId }),
    snapshotSigners,
    ...(issuerKeys === undefined ? {} : { issuerKeys }),
    ...(chain === undefined ? {} : { chain }),
    syncIntervalSeconds: overrides.syncIntervalSeconds ?? integer(env, 'URBIS_TERMINAL_SYNC_SECONDS', 60, { min: 0, max: 86_400 }),
    host,
    port: overrides.port ?? integer(env, 'URBIS_TERMINAL_PORT', 4100, { min: 0, max: 65_535 }),
    ...(reportUrl === undefined ? {} : { reportUrl }),
  };
}
