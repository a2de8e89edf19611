/**
 * The reliability run (issue 7): the city demo (Hardhat, two issuers with
 * their publishers, Gijón's pool terminal) under load through the real HTTP
 * APIs for a bounded time, on loopback only, with one issuer restarted
 * mid-run on the same SQLite file and port. At the end: every revocation
 * is visible at the terminal after a final sync, no credential was issued
 * twice, and the terminal's files and log lines hold no personal data.
 *
 * `npx tsx soak/run-soak.ts [--seconds 120] [--dir <folder>]`: prints the
 * figures and exits 0 only when every check passes.
 *
 * Not done here: chain outages. `startCityDemo` gives the issuers and the
 * terminal the Hardhat node's own URL (`chain.node.url`, `chain.connection`)
 * and takes no other RPC URL, so a loopback JSON-RPC proxy cannot be put in
 * between without changing demo code; the publisher is not exposed by
 * `DemoIssuer` either, so it cannot be paused from here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCityDemo, type CityDemo } from '../demo/city-demo.js';
import type { DemoIssuer } from '../demo/city/demo-issuer.js';
import { readOutboxFile } from '../issuer/auth/notifier.js';
import { createIssuer } from '../issuer/create-issuer.js';
import { documentForm, enrolmentBody, samplePdf } from '../issuer/testing/city-data.js';
import { parsePresentationRequest, prepareConsent, presentWithConsent } from '../holder-wallet/presentation/index.js';
import { createMemoryStorage, createWalletStore, type WalletStore } from '../holder-wallet/store/index.js';
import { TEST_KDF } from '../holder-wallet/testing/wallet-fixtures.js';
import { receiveOffer, trustIssuer } from '../holder-wallet/wallet/index.js';
import type { TerminalVerdict } from '../verifier/terminal/terminal.js';

type CityId = 'gijon' | 'oviedo';

export interface SoakOptions {
  /** How long the load runs (default 120). */
  seconds?: number;
  /** Concurrent citizen loops (default 4). */
  citizens?: number;
  /** The demo folder (default: a fresh temporary one, deleted at the end). */
  dir?: string;
  /** Progress lines (default: nowhere). */
  log?: (line: string) => void;
}

export interface SoakReport {
  seconds: number;
  enrolments: number;
  /** Credentials (one-time copies) received by the wallets. */
  issued: number;
  presentations: number;
  accepted: number;
  /** Rejections per error code (a verdict with several failures counts under each). */
  rejected: Record<string, number>;
  latencyMs: { p50: number; p99: number };
  revocations: number;
  issuerRestarts: number;
  /** Chain outages survived: always 0 here (see the file's header). */
  outagesSurvived: number;
  /** Errors the citizen loops met (e.g. while the issuer restarted), by message prefix. */
  loopErrors: Record<string, number>;
  checks: {
    revocationsVisible: { ok: boolean; detail: string };
    noDoubleIssuance: { ok: boolean; detail: string };
    terminalForgets: { ok: boolean; detail: string };
  };
  ok: boolean;
}

interface Citizen {
  cityId: CityId;
  reference: string;
  store: WalletStore;
  /** Every personal value given at enrolment (for the privacy scan). */
  personal: string[];
}

const GIVEN = ['Covadonga', 'Pelayo', 'Xuacu', 'Aurelia', 'Nel', 'Xana', 'Llucía', 'Adosinda', 'Fruela', 'Gontrodo'];
const FAMILY = ['Fernández', 'Menéndez', 'García', 'Pérez', 'Suárez', 'Álvarez', 'Llana', 'Cuesta', 'Rodríguez', 'Valdés'];
const STREETS = ['Calle Corrida', 'Avenida de la Costa', 'Calle Uría', 'Calle Cimadevilla', 'Calle Gascona', 'Calle Marqués de San Esteban'];

const now = (): number => Math.floor(Date.now() / 1000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[randomBytes(1)[0]! % items.length]!;
/** Random lowercase letters (names accept letters only, not digits). */
const letters = (n: number): string => [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

/** Runs the soak and returns its figures and checks (never throws for a failed check; throws if the demo cannot start). */
export async function runSoak({ seconds = 120, citizens = 4, dir, log = () => undefined }: SoakOptions = {}): Promise<SoakReport> {
  const baseDir = dir ?? (await mkdtemp(join(tmpdir(), 'urbis-soak-')));
  const demoLines: string[] = [];
  const demo: CityDemo = await startCityDemo({
    baseDir,
    ports: { chain: 0, gijon: 0, oviedo: 0, terminal: 0, wallet: 0 },
    seed: false,
    terminalSyncSeconds: 1,
    log: (line) => {
      demoLines.push(line);
    },
  });
  const issuers = demo.parts.issuers;
  let restarted: Awaited<ReturnType<typeof createIssuer>> | undefined;

  const report: SoakReport = {
    seconds,
    enrolments: 0,
    issued: 0,
    presentations: 0,
    accepted: 0,
    rejected: {},
    latencyMs: { p50: 0, p99: 0 },
    revocations: 0,
    issuerRestarts: 0,
    outagesSurvived: 0,
    loopErrors: {},
    checks: {
      revocationsVisible: { ok: false, detail: 'not run' },
      noDoubleIssuance: { ok: false, detail: 'not run' },
      terminalForgets: { ok: false, detail: 'not run' },
    },
    ok: false,
  };
  const latencies: number[] = [];
  const all: Citizen[] = [];
  const revoked: Citizen[] = [];
  const tokens = new Map<string, string>();

  async function call(issuer: DemoIssuer, method: string, path: string, { token, json, body, expected }: { token?: string; json?: unknown; body?: FormData; expected: number }): Promise<Record<string, unknown>> {
    const response = await fetch(`${issuer.url}${path}`, {
      method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    if (response.status !== expected) {
      let type = '';
      try {
        type = ` ${(JSON.parse(text) as { type?: string }).type ?? ''}`;
      } catch {
        /* not JSON */
      }
      throw new Error(`${issuer.city.cityId} ${method} ${path.replace(/\/[A-Z]{3}-[\w-]+/, '/:ref').replace(/credentials\/[^/]+/, 'credentials/:id')} ${response.status}${type}`);
    }
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  }

  async function staffToken(issuer: DemoIssuer, role: 'admin' | 'clerk'): Promise<string> {
    const key = `${issuer.city.cityId}/${role}`;
    const known = tokens.get(key);
    if (known !== undefined) return known;
    const account = issuer.staff.find((s) => s.role === role)!;
    const login = await call(issuer, 'POST', '/back-office/login', { json: { username: account.username, password: account.password }, expected: 200 });
    tokens.set(key, login['token'] as string);
    return login['token'] as string;
  }

  /** A new fictional citizen enrols, the clerk validates, the wallet receives the offer. */
  async function enrolAndReceive(cityId: CityId): Promise<Citizen> {
    const issuer = issuers[cityId];
    const givenName = `${pick(GIVEN)}${letters(5)}`;
    const familyName = `${pick(FAMILY)} ${pick(FAMILY)}${letters(4)}`;
    // Gijón's citizens hold a pools entitlement; Oviedo's are seniors (accepted at Gijón's pools as federation residents).
    const birthdate = cityId === 'gijon' ? `19${70 + (randomBytes(1)[0]! % 30)}-0${1 + (randomBytes(1)[0]! % 9)}-1${randomBytes(1)[0]! % 9}` : `19${40 + (randomBytes(1)[0]! % 15)}-0${1 + (randomBytes(1)[0]! % 9)}-2${randomBytes(1)[0]! % 8}`;
    const street = `${pick(STREETS)} ${10 + (randomBytes(1)[0]! % 89)}, ${1 + (randomBytes(1)[0]! % 9)}º ${randomBytes(2).toString('hex').toUpperCase()}`;
    const email = `${givenName.toLowerCase()}.${randomBytes(4).toString('hex')}@example.org`;
    const services = cityId === 'gijon' ? [{ service_id: 'pools', tier: 'standard' }] : [{ service_id: 'library', tier: 'standard' }];
    const enrolled = await call(issuer, 'POST', '/front-office/enrolments', {
      json: enrolmentBody({
        given_name: givenName,
        family_name: familyName,
        birthdate,
        email,
        address: { street_address: street, postal_code: issuer.city.postalCode, locality: issuer.city.municipality, country: 'ES' },
        resident_since: '2010-01-01',
        services,
      }),
      expected: 201,
    });
    const reference = (enrolled['application'] as { reference: string }).reference;
    const session = (enrolled['session'] as { token: string }).token;
    await call(issuer, 'POST', '/front-office/me/documents', { token: session, body: documentForm({ kind: 'proof_of_address', bytes: samplePdf(`URBIS-SOAK-PROOF-${reference}`) }), expected: 201 });
    try {
      await call(issuer, 'POST', `/back-office/applications/${reference}/decision`, { token: await staffToken(issuer, 'clerk'), json: { decision: 'validate' }, expected: 200 });
    } catch (error) {
      // A restarted issuer keeps its sessions in SQLite, but sign in again if the token was refused.
      tokens.delete(`${issuer.city.cityId}/clerk`);
      throw error;
    }
    report.enrolments++;
    const offer = await call(issuer, 'POST', '/front-office/me/offers', { token: session, expected: 201 });
    const entries = (await readOutboxFile({ path: issuer.config.notifierOutboxPath })).filter((e) => e.to.email === email);
    const txCode = /(\d{6})/.exec(entries.at(-1)?.text ?? '')?.[1];
    if (txCode === undefined) throw new Error(`${cityId} no tx_code in the outbox`);
    const store = await createWalletStore({ storage: createMemoryStorage(), passphrase: 'correct horse battery staple', kdf: TEST_KDF });
    await trustIssuer({ store, issuerUrl: issuer.url, name: issuer.city.cityName, now: now() });
    const received = await receiveOffer({ store, offer: offer['deepLink'] as string, txCode });
    if (received.configurations.some((c) => c.outcome !== 'received')) throw new Error(`${cityId} offer not fully received`);
    const citizen: Citizen = { cityId, reference, store, personal: [givenName, familyName, `${givenName} ${familyName}`, birthdate, street, email, reference, txCode] };
    all.push(citizen);
    return citizen;
  }

  /** The terminal's request over HTTP, answered by the wallet, posted back. */
  async function present(citizen: Citizen): Promise<TerminalVerdict> {
    const requested = await fetch(`${demo.urls.terminal.api}/request?service=pools`);
    if (requested.status !== 200) throw new Error(`terminal GET /request ${requested.status}`);
    const { link } = (await requested.json()) as { link: string };
    const consent = await prepareConsent({ request: parsePresentationRequest(link), document: await citizen.store.load() });
    const { text } = await presentWithConsent({ consent, store: citizen.store, now: now() });
    const started = performance.now();
    const response = await fetch(`${demo.urls.terminal.api}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });
    const verdict = (await response.json()) as TerminalVerdict;
    latencies.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`terminal POST /presentations/verify ${response.status}`);
    report.presentations++;
    if (verdict.ok) report.accepted++;
    else for (const code of new Set(failureCodes(verdict))) report.rejected[code] = (report.rejected[code] ?? 0) + 1;
    return verdict;
  }

  /** The admin revokes the citizen's pools entitlement batch. */
  async function revoke(citizen: Citizen): Promise<void> {
    const issuer = issuers[citizen.cityId];
    const auth = await staffToken(issuer, 'admin');
    const application = (await call(issuer, 'GET', `/back-office/applications/${citizen.reference}`, { token: auth, expected: 200 })) as { credentials?: { id: string; serviceId?: string }[] };
    const batch = application.credentials?.find((b) => b.serviceId === 'pools');
    if (batch === undefined) throw new Error(`${citizen.cityId} no pools batch`);
    await call(issuer, 'POST', `/back-office/credentials/${batch.id}/status`, { token: auth, json: { action: 'revoke', reason: 'issuer-decision' }, expected: 200 });
    report.revocations++;
    revoked.push(citizen);
  }

  const deadline = Date.now() + seconds * 1000;
  const countError = (error: unknown): void => {
    const key = (error instanceof Error ? error.message : String(error)).slice(0, 80);
    report.loopErrors[key] = (report.loopErrors[key] ?? 0) + 1;
  };

  /** Citizens still holding unspent copies and not revoked (present again: the usual load). */
  const active: Citizen[] = [];
  /** Citizens a loop is presenting for right now (one wallet is used by one loop at a time). */
  const busy = new Set<Citizen>();

  const retire = (citizen: Citizen): void => {
    const at = active.indexOf(citizen);
    if (at >= 0) active.splice(at, 1);
  };

  async function presentOrRetire(citizen: Citizen): Promise<void> {
    const pools = (await citizen.store.load()).credentials.filter((c) => c.serviceId === 'pools');
    const unspent = Math.min(...[...new Set(pools.map((c) => c.format))].map((format) => pools.filter((c) => c.format === format && c.spentAt === undefined).length));
    // A Gijón citizen keeps two entitlement copies of each format for the final revocation check.
    if (citizen.cityId === 'gijon' && unspent <= 2) return retire(citizen);
    let verdict: TerminalVerdict;
    try {
      verdict = await present(citizen);
    } catch (error) {
      // The wallet has spent every copy the request matches: this citizen is done (a refresh is not part of the run).
      if (error instanceof Error && error.message.includes('every matching copy is spent')) return retire(citizen);
      throw error;
    }
    // About one accepted Gijón entitlement in four is revoked by the back office.
    if (verdict.ok && citizen.cityId === 'gijon' && randomBytes(1)[0]! < 64 && !revoked.includes(citizen)) {
      retire(citizen);
      await revoke(citizen);
    }
  }

  async function citizenLoop(index: number): Promise<void> {
    let round = 0;
    while (Date.now() < deadline) {
      const cityId: CityId = (index + round) % 3 === 2 ? 'oviedo' : 'gijon';
      round++;
      try {
        // Enrolment is rate limited per client address (20 per 15 min on loopback): when refused, an enrolled citizen comes back instead.
        let citizen: Citizen | undefined;
        if (round % 3 === 1 || active.length === 0) {
          try {
            citizen = await enrolAndReceive(cityId);
            active.push(citizen);
          } catch (error) {
            countError(error);
          }
        }
        const idle = active.filter((c) => !busy.has(c));
        citizen ??= idle[randomBytes(1)[0]! % Math.max(1, idle.length)];
        if (citizen === undefined || busy.has(citizen)) {
          await sleep(200);
          continue;
        }
        busy.add(citizen);
        try {
          await presentOrRetire(citizen);
        } finally {
          busy.delete(citizen);
        }
      } catch (error) {
        countError(error);
        await sleep(250);
      }
    }
  }

  async function restartGijonHalfway(): Promise<void> {
    await sleep((seconds * 1000) / 2);
    const gijon = issuers.gijon;
    log('restarting Gijón’s issuer (same SQLite file, same port)…');
    await gijon.stop();
    restarted = await createIssuer({ config: gijon.config });
    // The port may linger for a moment after close.
    for (let attempt = 0; ; attempt++) {
      try {
        await restarted.start();
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        await sleep(200);
      }
    }
    tokens.delete('gijon/clerk');
    tokens.delete('gijon/admin');
    report.issuerRestarts++;
    log('Gijón’s issuer is back');
  }

  try {
    log(`load for ${seconds} s with ${citizens} concurrent citizen loops…`);
    await Promise.all([...Array.from({ length: citizens }, (_, i) => citizenLoop(i)), restartGijonHalfway().catch(countError)]);

    // (a) every revocation visible at the terminal after a final sync: a fresh copy of each revoked batch is refused.
    const waitUntil = Date.now() + 30_000;
    const pending = new Set(revoked);
    const wrong: string[] = [];
    while (pending.size > 0 && Date.now() < waitUntil) {
      await sleep(1_000);
      await demo.parts.terminal.syncNow();
      for (const citizen of [...pending]) {
        const verdict = await present(citizen).catch((error: unknown) => {
          countError(error);
          return undefined;
        });
        if (verdict !== undefined && !verdict.ok && failureCodes(verdict).includes('STATUS_REVOKED')) pending.delete(citizen);
        else if (verdict !== undefined && !verdict.ok) wrong.push(failureCodes(verdict).join(','));
      }
    }
    report.checks.revocationsVisible = {
      ok: pending.size === 0 && report.revocations > 0,
      detail: `${report.revocations - pending.size}/${report.revocations} revoked batches refused with STATUS_REVOKED${wrong.length > 0 ? ` (other refusals on the way: ${[...new Set(wrong)].join(' ')})` : ''}`,
    };

    // (b) no credential issued twice: no two copies share a status entry or a holder key.
    /** Claim values, pseudonyms, disclosure salts and holder keys read from the copies (searched for in (c)). */
    const secrets: string[] = [];
    const statusEntries = new Map<string, number>();
    const holderKeys = new Map<string, number>();
    for (const citizen of all) {
      for (const stored of (await citizen.store.load()).credentials) {
        report.issued++;
        const payload = issuerPayload(stored.credential);
        const status = statusEntry(payload);
        const cnf = (payload['cnf'] as { jwk?: { x?: string; y?: string } } | undefined)?.jwk;
        const key = cnf === undefined ? undefined : `${cnf.x}.${cnf.y}`;
        if (cnf?.x !== undefined) secrets.push(cnf.x);
        secrets.push(...disclosedSecrets(stored.credential));
        if (status !== undefined) statusEntries.set(status, (statusEntries.get(status) ?? 0) + 1);
        if (key !== undefined) holderKeys.set(key, (holderKeys.get(key) ?? 0) + 1);
      }
    }
    const sharedStatus = [...statusEntries.values()].filter((n) => n > 1).length;
    const sharedKeys = [...holderKeys.values()].filter((n) => n > 1).length;
    report.checks.noDoubleIssuance = {
      ok: report.issued > 0 && sharedStatus === 0 && sharedKeys === 0 && statusEntries.size === report.issued && holderKeys.size === report.issued,
      detail: `${report.issued} copies, ${statusEntries.size} distinct status entries, ${holderKeys.size} distinct holder keys, ${sharedStatus} shared status entries, ${sharedKeys} shared holder keys`,
    };

    // (c) the terminal's files and log lines hold no personal data.
    const needles = [...new Set([...all.flatMap((c) => c.personal), ...secrets])].filter((v) => v.length >= 4);
    const haystacks: { where: string; text: string }[] = [{ where: 'terminal log lines', text: demoLines.filter((l) => l.includes('[terminal]')).join('\n') }];
    for (const file of await filesUnder(join(baseDir, 'terminal'))) haystacks.push({ where: file, text: (await readFile(file)).toString('latin1') + (await readFile(file)).toString('utf8') });
    const found: string[] = [];
    for (const { where, text } of haystacks) for (const needle of needles) if (text.includes(needle) || text.includes(Buffer.from(needle, 'utf8').toString('base64url'))) found.push(`${where}`);
    report.checks.terminalForgets = {
      ok: found.length === 0 && needles.length > 0,
      detail: `${needles.length} personal values, claim values, pseudonyms, salts and holder keys of ${all.length} citizens searched in ${haystacks.length - 1} terminal files and ${demoLines.filter((l) => l.includes('[terminal]')).length} terminal log lines: ${found.length === 0 ? 'none found' : `found in ${[...new Set(found)].join(', ')}`}`,
    };
  } finally {
    const sorted = [...latencies].sort((a, b) => a - b);
    const quantile = (q: number): number => (sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10);
    report.latencyMs = { p50: quantile(0.5), p99: quantile(0.99) };
    await restarted?.stop().catch(() => undefined);
    await demo.stop().catch(() => undefined); // Gijón's first instance is already stopped: its second stop may complain.
    if (dir === undefined) await rm(baseDir, { recursive: true, force: true });
  }
  report.ok = Object.values(report.checks).every((c) => c.ok);
  return report;
}

function failureCodes(verdict: TerminalVerdict): string[] {
  const failures = (verdict as { failures?: { code: string }[] }).failures ?? [];
  return failures.map((f) => f.code);
}

/** The issuer-signed JWT's payload of an SD-JWT (`jwt~disclosures~…`) or a plain JWT. */
function issuerPayload(credential: string): Record<string, unknown> {
  const jwt = credential.split('~')[0]!;
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Claims that are the same for many citizens (the policy's own words, the city), not personal. */
const PUBLIC_CLAIMS = new Set(['service_id', 'tier', 'locality', 'country', 'postal_code', 'region', 'municipality']);

/** Each disclosure's salt and its string values (of non-public claims, nested objects included). */
function disclosedSecrets(credential: string): string[] {
  const out: string[] = [];
  const walk = (name: string | undefined, value: unknown): void => {
    if (typeof value === 'string' && (name === undefined || !PUBLIC_CLAIMS.has(name))) out.push(value);
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(Array.isArray(value) ? name : k, v);
  };
  for (const disclosure of credential.split('~').slice(1).filter((d) => d !== '' && !d.includes('.'))) {
    const parsed = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8')) as unknown[];
    out.push(String(parsed[0]), disclosure);
    if (parsed.length === 3) walk(String(parsed[1]), parsed[2]);
    else walk(undefined, parsed[1]);
  }
  return out;
}

/** `uri#idx` of the credential's status entry (IETF `status.status_list` or W3C `credentialStatus`). */
function statusEntry(payload: Record<string, unknown>): string | undefined {
  const ietf = (payload['status'] as { status_list?: { uri: string; idx: number } } | undefined)?.status_list;
  if (ietf !== undefined) return `${ietf.uri}#${ietf.idx}`;
  const w3c = payload['credentialStatus'] as { statusListCredential?: string; statusListIndex?: string | number } | { statusListCredential?: string; statusListIndex?: string | number }[] | undefined;
  const entry = Array.isArray(w3c) ? w3c[0] : w3c;
  return entry === undefined ? undefined : `${entry.statusListCredential}#${entry.statusListIndex}`;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

function printReport(report: SoakReport, log: (line: string) => void): void {
  log('');
  log(`Urbis reliability run: ${report.seconds} s`);
  log(`  enrolments validated        ${report.enrolments}`);
  log(`  credential copies issued    ${report.issued}`);
  log(`  presentations verified      ${report.presentations} (accepted ${report.accepted})`);
  for (const [code, n] of Object.entries(report.rejected)) log(`  rejected ${code.padEnd(20)}${n}`);
  log(`  verification latency       p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms (HTTP round trip)`);
  log(`  revocations                 ${report.revocations}`);
  log(`  issuer restarts             ${report.issuerRestarts}`);
  log(`  chain outages survived      ${report.outagesSurvived} (not simulated: the demo takes no RPC URL for a proxy)`);
  for (const [message, n] of Object.entries(report.loopErrors)) log(`  loop error ×${n}: ${message}`);
  for (const [name, check] of Object.entries(report.checks)) log(`  ${check.ok ? 'PASS' : 'FAIL'} ${name}: ${check.detail}`);
  log(report.ok ? 'all checks passed' : 'SOME CHECKS FAILED');
}

async function main(argv: string[]): Promise<number> {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const seconds = Number(option('--seconds') ?? 120);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    console.error('--seconds must be between 1 and 3600');
    return 2;
  }
  const dir = option('--dir');
  const report = await runSoak({ seconds, ...(dir === undefined ? {} : { dir }), log: (line) => console.log(line) });
  printReport(report, (line) => console.log(line));
  return report.ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
