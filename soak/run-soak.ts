/**
 * The reliability run (issue 7): the city demo (Hardhat, two issuers with
 * their publishers, Gijón's pool terminal) under load through the real HTTP
 * APIs for a bounded time, on loopback only, with the chain node "restarted"
 * (taken away and brought back) and one issuer restarted mid-run on the
 * same SQLite file and port. At the end: every revocation is visible at the
 * terminal after a final sync, no credential was issued twice, the
 * terminal's files and log lines hold no personal data, and every chain
 * outage was felt and recovered from.
 *
 * `npx tsx soak/run-soak.ts [--seconds 120] [--dir <folder>]`: prints the
 * figures and exits 0 only when every check passes.
 *
 * Chain outages: a restarted Hardhat node is a new, empty chain (the pinned
 * Hardhat 2.29.1 / EDR 0.12 has no state dump/load RPC), so the node keeps
 * running and every chain client — both issuers' status publishers and the
 * terminal's sync — reaches it through a loopback TCP proxy
 * (`chain-outage-proxy.ts`) that refuses connections and cuts open ones for
 * a few seconds: once per 50 s of run (at least once), then comes back on
 * the same URL. During each outage the back office revokes one more
 * entitlement; it must reach the chain once the node is back.
 *
 * Rate limits: each simulated citizen talks to the issuers from its own
 * loopback address (127.0.x.y, `loopback-fetch.ts`), as real citizens come
 * from their own, so the issuers' per-address limits (enrolment 20 per
 * 15 min, token 20 per min) apply per citizen and keep their defaults.
 * Staff work from 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCityDemo, type CityDemo, type CityDemoEvent } from '../demo/city-demo.js';
import type { DemoIssuer } from '../demo/city/demo-issuer.js';
import { freePort } from '../registry/testing/hardhat-node.js';
import { startChainOutageProxy } from './chain-outage-proxy.js';
import { createLoopbackFetch, loopbackClientAddress, type LoopbackFetch } from './loopback-fetch.js';
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
  /** Chain outages begun and ended (the chain's clients saw the node gone, then back). */
  outagesSurvived: number;
  /** Each chain outage's figures. */
  outages: OutageFigures[];
  /** Distinct loopback addresses the citizens came from. */
  clientAddresses: number;
  /** Errors the citizen loops met (e.g. while the issuer restarted), by message prefix. */
  loopErrors: Record<string, number>;
  checks: {
    revocationsVisible: { ok: boolean; detail: string };
    noDoubleIssuance: { ok: boolean; detail: string };
    terminalForgets: { ok: boolean; detail: string };
    chainOutagesRecovered: { ok: boolean; detail: string };
  };
  ok: boolean;
}

/** One chain outage, as the soak saw it. Times in ms; "after" means after the chain came back. */
export interface OutageFigures {
  /** When it began, seconds after the load started. */
  atSeconds: number;
  downMs: number;
  /** Open chain connections the outage cut. */
  connectionsCut: number;
  /** Terminal syncs that failed from the outage's start until the first successful one after it. */
  failedSyncs: number;
  /** Publisher retries (both issuers; `publisher.retry` and `chain.unreachable` events) from the start until the revocations were published. */
  failedPublishes: number;
  /** Revocations made while the chain was away. */
  revocationsDuring: number;
  /** Presentations the terminal accepted while the chain was away (from the snapshot held). */
  acceptedDuring: number;
  /** Whether the terminal held a snapshot, never older than the one at the start, all through the outage. */
  snapshotKept: boolean;
  /** First successful terminal sync after (undefined: none within 60 s). */
  terminalSyncedAfterMs?: number;
  /** Every status entry revoked during the outage reads revoked on chain, after (undefined: not within 60 s). */
  revocationsPublishedAfterMs?: number;
}

interface Citizen {
  cityId: CityId;
  reference: string;
  store: WalletStore;
  /** The citizen's own connection to the issuers (from its own loopback address). */
  fetch: LoopbackFetch;
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
  /** Every operator event of the issuers and the terminal, with the time it was heard. */
  const events: { at: number; event: CityDemoEvent }[] = [];
  const hear = (event: CityDemoEvent): void => {
    events.push({ at: Date.now(), event });
  };
  const chainPort = await freePort();
  const proxy = await startChainOutageProxy({ target: { host: '127.0.0.1', port: chainPort } });
  let demo: CityDemo;
  try {
    demo = await startCityDemo({
      baseDir,
      ports: { chain: chainPort, gijon: 0, oviedo: 0, terminal: 0, wallet: 0 },
      seed: false,
      terminalSyncSeconds: 1,
      clientRpcUrl: proxy.url,
      onEvent: hear,
      log: (line) => {
        demoLines.push(line);
      },
    });
  } catch (error) {
    await proxy.stop();
    throw error;
  }
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
    outages: [],
    clientAddresses: 0,
    loopErrors: {},
    checks: {
      revocationsVisible: { ok: false, detail: 'not run' },
      noDoubleIssuance: { ok: false, detail: 'not run' },
      terminalForgets: { ok: false, detail: 'not run' },
      chainOutagesRecovered: { ok: false, detail: 'not run' },
    },
    ok: false,
  };
  const latencies: number[] = [];
  const all: Citizen[] = [];
  const revoked: Citizen[] = [];
  /** When each revocation was made (ms). */
  const revokedAt = new Map<Citizen, number>();
  const tokens = new Map<string, string>();
  /** The outage in progress (presentations accepted meanwhile are counted in it). */
  let currentOutage: OutageFigures | undefined;

  /** An issuer API call; `from`: the citizen's own connection (default: the staff's, from 127.0.0.1). */
  async function call(
    issuer: DemoIssuer,
    method: string,
    path: string,
    { token, json, body, expected, from = fetch }: { token?: string; json?: unknown; body?: FormData; expected: number; from?: LoopbackFetch },
  ): Promise<Record<string, unknown>> {
    const response = await from(`${issuer.url}${path}`, {
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
    const from = createLoopbackFetch({ localAddress: loopbackClientAddress(report.clientAddresses++) });
    const enrolled = await call(issuer, 'POST', '/front-office/enrolments', {
      from,
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
    await call(issuer, 'POST', '/front-office/me/documents', { from, token: session, body: documentForm({ kind: 'proof_of_address', bytes: samplePdf(`URBIS-SOAK-PROOF-${reference}`) }), expected: 201 });
    try {
      await call(issuer, 'POST', `/back-office/applications/${reference}/decision`, { token: await staffToken(issuer, 'clerk'), json: { decision: 'validate' }, expected: 200 });
    } catch (error) {
      // A restarted issuer keeps its sessions in SQLite, but sign in again if the token was refused.
      tokens.delete(`${issuer.city.cityId}/clerk`);
      throw error;
    }
    report.enrolments++;
    const offer = await call(issuer, 'POST', '/front-office/me/offers', { from, token: session, expected: 201 });
    const entries = (await readOutboxFile({ path: issuer.config.notifierOutboxPath })).filter((e) => e.to.email === email);
    const txCode = /(\d{6})/.exec(entries.at(-1)?.text ?? '')?.[1];
    if (txCode === undefined) throw new Error(`${cityId} no tx_code in the outbox`);
    const store = await createWalletStore({ storage: createMemoryStorage(), passphrase: 'correct horse battery staple', kdf: TEST_KDF });
    await trustIssuer({ store, issuerUrl: issuer.url, name: issuer.city.cityName, now: now() });
    const received = await receiveOffer({ store, offer: offer['deepLink'] as string, txCode, fetch: from });
    if (received.configurations.some((c) => c.outcome !== 'received')) throw new Error(`${cityId} offer not fully received`);
    const citizen: Citizen = { cityId, reference, store, fetch: from, personal: [givenName, familyName, `${givenName} ${familyName}`, birthdate, street, email, reference, txCode] };
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
    if (verdict.ok && currentOutage !== undefined) currentOutage.acceptedDuring++;
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
    revokedAt.set(citizen, Date.now());
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
        // One loop round in three a new citizen enrols (from a new address); the others, an enrolled citizen comes back.
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
    restarted = await createIssuer({ config: gijon.config, log: (entry) => hear({ source: 'gijon', event: entry.event, ...(entry.code === undefined ? {} : { code: entry.code }) }) });
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

  /** The status entries (list id, index) of the citizen's pools copies: what a revocation of its batch writes on chain. */
  async function poolsEntries(citizen: Citizen): Promise<{ listId: number; index: number }[]> {
    const issuer = issuers[citizen.cityId];
    const out: { listId: number; index: number }[] = [];
    for (const stored of (await citizen.store.load()).credentials.filter((c) => c.serviceId === 'pools')) {
      const entry = statusEntry(issuerPayload(stored.credential));
      const hash = entry?.lastIndexOf('#') ?? -1;
      if (entry === undefined || entry.slice(0, hash) !== issuer.statusListUri) throw new Error(`${citizen.cityId} a pools copy with an unexpected status entry`);
      out.push({ listId: issuer.listId, index: Number(entry.slice(hash + 1)) });
    }
    return out;
  }

  /** Waits (until `since + ms`) for `done()` to hold: the ms from `since` until it did, or undefined. */
  async function within(since: number, ms: number, done: () => boolean | Promise<boolean>): Promise<number | undefined> {
    for (;;) {
      if (await done()) return Date.now() - since;
      if (Date.now() - since > ms) return undefined;
      await sleep(100);
    }
  }

  /** Outages: how many, when (ms after the load starts), how long. */
  const outageCount = Math.max(1, Math.floor(seconds / 50));
  const outageMs = Math.min(8, Math.max(4, Math.round(seconds / 15))) * 1000;
  const outageStarts = Array.from({ length: outageCount }, (_, k) => Math.round(seconds * 1000 * (outageCount === 1 ? 0.2 : 0.2 + (0.5 * k) / (outageCount - 1))));
  const loadStarted = Date.now();
  /** Measurements of each outage's recovery, which go on while the load continues. */
  const recoveries: Promise<void>[] = [];

  /** One outage: the chain goes away; the back office revokes meanwhile; the chain comes back; recovery is measured in the background. */
  async function chainOutage(startAt: number): Promise<void> {
    await sleep(Math.max(0, loadStarted + startAt - Date.now()));
    const snapshot = demo.parts.terminal.opened.snapshot;
    const blockBefore = snapshot.current()?.syncPoint.blockNumber ?? -1;
    const figures: OutageFigures = { atSeconds: Math.round((Date.now() - loadStarted) / 100) / 10, downMs: 0, connectionsCut: 0, failedSyncs: 0, failedPublishes: 0, revocationsDuring: 0, acceptedDuring: 0, snapshotKept: true };
    const cutBefore = proxy.stats().cut;
    log(`chain outage ${report.outages.length + 1}: the node is away for ${outageMs / 1000} s…`);
    const began = Date.now();
    await proxy.outage();
    currentOutage = figures;
    report.outages.push(figures);
    const watchSnapshot = setInterval(() => {
      const held = snapshot.current();
      if (held === undefined || held.syncPoint.blockNumber < blockBefore) figures.snapshotKept = false;
    }, 100);
    const during: Citizen[] = [];
    try {
      // The back office revokes one Gijón entitlement while the chain is away (an idle citizen holding one).
      const revokeOne = async (): Promise<void> => {
        while (Date.now() < began + outageMs - 500) {
          const candidate = active.find((c) => c.cityId === 'gijon' && !busy.has(c) && !revoked.includes(c));
          if (candidate !== undefined) {
            busy.add(candidate);
            try {
              retire(candidate);
              await revoke(candidate);
              return;
            } finally {
              busy.delete(candidate);
            }
          }
          await sleep(200);
        }
      };
      await Promise.all([revokeOne().catch(countError), sleep(outageMs)]);
    } finally {
      await proxy.restore();
      clearInterval(watchSnapshot);
      currentOutage = undefined;
    }
    const restoredAt = Date.now();
    figures.downMs = restoredAt - began;
    figures.connectionsCut = proxy.stats().cut - cutBefore;
    report.outagesSurvived++;
    for (const [citizen, at] of revokedAt) if (at >= began && at <= restoredAt) during.push(citizen);
    figures.revocationsDuring = during.length;
    log(`chain outage ${report.outages.length}: the node is back (${during.length} revocations made meanwhile)`);

    recoveries.push(
      (async () => {
        const entries = (await Promise.all(during.map((c) => poolsEntries(c)))).flat();
        const chainStatus = demo.parts.chain.status; // the node directly, not through the proxy
        const [synced, published] = await Promise.all([
          within(restoredAt, 60_000, () => events.some((e) => e.at >= restoredAt && e.event.event === 'terminal.synced')),
          entries.length === 0 ? undefined : within(restoredAt, 60_000, async () => (await Promise.all(entries.map((e) => chainStatus.statusOf(e)))).every((v) => v === 1)),
        ]);
        if (synced !== undefined) figures.terminalSyncedAfterMs = synced;
        if (published !== undefined) figures.revocationsPublishedAfterMs = published;
        const syncedAt = restoredAt + (synced ?? 60_000);
        const publishedAt = restoredAt + (published ?? 60_000);
        figures.failedSyncs = events.filter((e) => e.at >= began && e.at <= syncedAt && e.event.event === 'terminal.sync-failed').length;
        figures.failedPublishes = events.filter((e) => e.at >= began && e.at <= publishedAt && e.event.source !== 'terminal' && (e.event.event === 'publisher.retry' || e.event.event === 'chain.unreachable')).length;
      })().catch(countError),
    );
  }

  try {
    log(`load for ${seconds} s with ${citizens} concurrent citizen loops, ${outageCount} chain outage(s) of ${outageMs / 1000} s, one issuer restart…`);
    await Promise.all([
      ...Array.from({ length: citizens }, (_, i) => citizenLoop(i)),
      restartGijonHalfway().catch(countError),
      (async () => {
        for (const startAt of outageStarts) await chainOutage(startAt);
      })().catch(countError),
    ]);
    await Promise.all(recoveries);

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

    // (d) every chain outage was felt (syncs and publishes failed), the terminal kept its snapshot, and everything recovered.
    const problems: string[] = [];
    if (report.outages.length < outageCount) problems.push(`${report.outages.length}/${outageCount} outages run`);
    report.outages.forEach((o, i) => {
      const n = `outage ${i + 1}`;
      if (o.failedSyncs === 0) problems.push(`${n}: no terminal sync failed (not felt)`);
      if (o.failedPublishes === 0) problems.push(`${n}: no publisher retry (not felt)`);
      if (!o.snapshotKept) problems.push(`${n}: the terminal lost its snapshot`);
      if (o.terminalSyncedAfterMs === undefined) problems.push(`${n}: the terminal did not sync again`);
      if (o.revocationsDuring === 0) problems.push(`${n}: no revocation was made meanwhile`);
      else if (o.revocationsPublishedAfterMs === undefined) problems.push(`${n}: its revocations did not reach the chain`);
    });
    report.checks.chainOutagesRecovered = {
      ok: problems.length === 0,
      detail:
        problems.length > 0
          ? problems.join('; ')
          : `${report.outages.length} outages: terminal synced again ${report.outages.map((o) => `${o.terminalSyncedAfterMs} ms`).join(', ')} after; revocations made meanwhile on chain ${report.outages.map((o) => `${o.revocationsPublishedAfterMs} ms`).join(', ')} after`,
    };
  } finally {
    const sorted = [...latencies].sort((a, b) => a - b);
    const quantile = (q: number): number => (sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10);
    report.latencyMs = { p50: quantile(0.5), p99: quantile(0.99) };
    await restarted?.stop().catch(() => undefined);
    await demo.stop().catch(() => undefined); // Gijón's first instance is already stopped: its second stop may complain.
    await proxy.stop();
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
  log(`  citizens' client addresses  ${report.clientAddresses} (one loopback address each)`);
  log(`  chain outages survived      ${report.outagesSurvived}`);
  report.outages.forEach((o, i) =>
    log(
      `    #${i + 1} at ${o.atSeconds} s, down ${o.downMs} ms: ${o.connectionsCut} connections cut, ${o.failedSyncs} failed terminal syncs, ${o.failedPublishes} publisher retries, ` +
        `${o.revocationsDuring} revocations and ${o.acceptedDuring} accepted presentations meanwhile, snapshot ${o.snapshotKept ? 'kept' : 'LOST'}; ` +
        `after: terminal synced in ${o.terminalSyncedAfterMs ?? '—'} ms, revocations on chain in ${o.revocationsPublishedAfterMs ?? '—'} ms`,
    ),
  );
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
