/**
 * The backend of the one-command demo (issue 7): the embedded chain with
 * both registries, two federated city issuers (Gijón and Oviedo, each with
 * its own SQLite file), Gijón's pool terminal, and a handful of fictional
 * citizens seeded through the issuers' real HTTP APIs. Everything listens
 * on loopback only. `demo/city-demo-main.ts` runs it until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeDeploymentsFile } from '../registry/chain/deployments-file.js';
import { freePort } from '../registry/testing/hardhat-node.js';
import { DEMO_CITIES, DEMO_CITIZENS, type DemoCitySpec } from './city/demo-cities.js';
import { startDemoChain, type DemoChain } from './city/demo-chain.js';
import { startDemoIssuer, type DemoIssuer, type DemoStaffAccount } from './city/demo-issuer.js';
import { DEMO_TERMINAL_ID, startDemoTerminal, type DemoTerminal } from './city/demo-terminal.js';
import { publicPartOf } from '../core/keys/public-jwk.js';
import { openLocalSnapshotKey } from '../verifier/snapshot/local-snapshot-key.js';
import { startDemoWalletServer } from './city/demo-wallet-server.js';
import { seedCitizens, type SeededOffer } from './city/seed-citizens.js';

/** Where each part listens (0: a free port, chosen at start). */
export interface CityDemoPorts {
  chain: number;
  gijon: number;
  oviedo: number;
  terminal: number;
  /** The browser wallet's static pages (its own origin). */
  wallet: number;
}

/** The demo's usual ports. */
export const DEFAULT_CITY_DEMO_PORTS: CityDemoPorts = { chain: 8545, gijon: 4001, oviedo: 4002, terminal: 4100, wallet: 4200 };

/** What the demo prints and a test drives. */
export interface CityDemoUrls {
  chainRpc: string;
  issuers: Record<DemoCitySpec['cityId'], { api: string; openapi: string; metadata: string; didDocument: string; did: string }>;
  terminal: { api: string; health: string; request: string; screen: string };
  /** The browser wallet page, on its own origin. */
  wallet: string;
}

export interface CityDemo {
  urls: CityDemoUrls;
  /** The seeded citizens' offers (empty with `seed: false`). */
  offers: SeededOffer[];
  /** Staff accounts per city (admin and clerk), for the back office. */
  staff: Record<DemoCitySpec['cityId'], DemoStaffAccount[]>;
  /** The running parts, for tests and for the web pages to come (`chain.connection` talks to the node directly, never through `clientRpcUrl`). */
  parts: { chain: DemoChain; issuers: Record<DemoCitySpec['cityId'], DemoIssuer>; terminal: DemoTerminal };
  /** Stops the terminal, the issuers and the chain (idempotent). */
  stop(): Promise<void>;
}

export interface CityDemoOptions {
  /**
   * The demo's folder: `gijon/` and `oviedo/` (SQLite, documents, master key,
   * notifier outbox), `terminal/` (+ `policies.json`), `deployments.json`.
   * The Hardhat chain keeps nothing across restarts, so a previous run's
   * state in these subfolders is deleted at start (nothing else in the folder is touched).
   */
  baseDir: string;
  ports?: Partial<CityDemoPorts>;
  /** Enrol, validate and offer credentials to the fictional citizens (default true). */
  seed?: boolean;
  /** Where progress and the URLs go, one line at a time (default: nowhere). */
  log?: (line: string) => void;
  /** How often the terminal syncs from the chain (default 5 s). */
  terminalSyncSeconds?: number;
  /**
   * The JSON-RPC URL the chain's clients use — both issuers' status
   * publishers and the terminal's sync — in place of the node's own URL
   * (the default). The soak puts a loopback proxy there to take the chain
   * away and bring it back; it must forward to the node at `ports.chain`.
   * The demo's own deployment and governance talk to the node directly.
   */
  clientRpcUrl?: string;
  /** Hears every operator event of the issuers (all of them, not only those with a code) and every terminal sync outcome. */
  onEvent?: (event: CityDemoEvent) => void;
}

/** An operator event: which part, what happened, an error code; never anything personal. */
export interface CityDemoEvent {
  source: DemoCitySpec['cityId'] | 'terminal';
  /** An issuer's event (`publisher.retry`, `publisher.batch-confirmed`, `chain.unreachable`, …), or `terminal.synced` / `terminal.sync-failed`. */
  event: string;
  code?: string;
  /** The block a successful terminal sync reached. */
  block?: number;
}

/** The subfolders the demo owns under `baseDir`. */
const OWNED = ['gijon', 'oviedo', 'terminal', 'wallet', 'policies.json', 'deployments.json', 'demo.json'];

/**
 * Starts the whole demo in this process and returns its URLs and offers;
 * `stop()` stops everything. On a failure while starting, whatever had
 * started is stopped before the error is thrown.
 *
 * @example
 * ```ts
 * const demo = await startCityDemo({ baseDir: '.urbis/demo', log: console.log });
 * process.once('SIGINT', () => void demo.stop());
 * ```
 */
export async function startCityDemo({ baseDir, ports = {}, seed = true, log = () => undefined, terminalSyncSeconds = 5, clientRpcUrl, onEvent = () => undefined }: CityDemoOptions): Promise<CityDemo> {
  const base = resolve(baseDir);
  await mkdir(base, { recursive: true, mode: 0o700 });
  if (existsSync(join(base, 'demo.json'))) {
    log(`clearing the previous demo state in ${base} (the chain starts empty every time)`);
    for (const name of OWNED) await rm(join(base, name), { recursive: true, force: true });
  }
  // The marker of a demo folder, written before anything else so that a run that fails half-way is cleared next time.
  await writeFile(join(base, 'demo.json'), `${JSON.stringify({ startingAt: new Date().toISOString() })}\n`);
  const chosen: CityDemoPorts = { ...DEFAULT_CITY_DEMO_PORTS, ...ports };
  for (const key of Object.keys(chosen) as (keyof CityDemoPorts)[]) if (chosen[key] === 0) chosen[key] = await freePort();

  const stoppers: { name: string; stop: () => Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    while (stoppers.length > 0) {
      const part = stoppers.pop()!;
      try {
        await part.stop();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'the demo did not stop cleanly');
  };

  try {
    log(`starting the embedded chain (Hardhat, chain id 7777) on 127.0.0.1:${chosen.chain} and deploying the registries…`);
    const chain = await startDemoChain({ port: chosen.chain });
    stoppers.push({ name: 'chain', stop: chain.stop });
    writeDeploymentsFile({ path: join(base, 'deployments.json'), deployment: chain.deployment });
    log(`  StatusRegistry ${chain.deployment.statusRegistry}, TrustedIssuerRegistry ${chain.deployment.trustedIssuerRegistry} (members: Gijón, Oviedo; threshold 1)`);
    const rpcUrl = clientRpcUrl ?? chain.node.url;
    if (rpcUrl !== chain.node.url) log(`  the issuers' publishers and the terminal reach the chain through ${rpcUrl}`);

    // Gijón's terminal pushes its aggregate counts to Gijón's issuer (the back office's statistics), signed with the
    // terminal's own snapshot key: made here, before either starts, so the issuer can be told the key.
    await mkdir(join(base, 'terminal'), { recursive: true, mode: 0o700 });
    const terminalKey = await openLocalSnapshotKey({ path: join(base, 'terminal', 'snapshot-key.json') });

    const issuers = {} as Record<DemoCitySpec['cityId'], DemoIssuer>;
    for (const city of DEMO_CITIES) {
      log(`starting ${city.cityName}'s issuer on 127.0.0.1:${chosen[city.cityId]} and accrediting it in the federation…`);
      const issuer = await startDemoIssuer({
        city,
        port: chosen[city.cityId],
        dataDir: join(base, city.cityId),
        chain,
        rpcUrl,
        terminalKeys: city.cityId === 'gijon' ? { [DEMO_TERMINAL_ID]: publicPartOf(terminalKey.publicJwk) } : {},
        // Operator events with a code are problems worth showing; routine events stay quiet.
        log: (entry) => {
          onEvent({ source: city.cityId, event: entry.event, ...(entry.code === undefined ? {} : { code: entry.code }) });
          if (entry.code !== undefined) log(`  [${city.cityId}] ${entry.event} ${entry.code}`);
        },
      });
      stoppers.push({ name: city.cityId, stop: issuer.stop });
      issuers[city.cityId] = issuer;
    }

    log(`starting Gijón's pool terminal (${DEMO_TERMINAL_ID}) on 127.0.0.1:${chosen.terminal}, first snapshot from the chain…`);
    const terminal = await startDemoTerminal({
      dir: base,
      port: chosen.terminal,
      chain,
      issuers: Object.values(issuers),
      gijon: issuers.gijon,
      reportUrl: issuers.gijon.url,
      rpcUrl,
      syncSeconds: terminalSyncSeconds,
      log: (entry) => log(`  [terminal] ${JSON.stringify(entry)}`),
      onSync: (outcome) => onEvent(outcome.ok ? { source: 'terminal', event: 'terminal.synced', block: outcome.block } : { source: 'terminal', event: 'terminal.sync-failed', code: outcome.code }),
    });
    stoppers.push({ name: 'terminal', stop: terminal.stop });

    log(`building the browser wallet and serving it on 127.0.0.1:${chosen.wallet}…`);
    const wallet = await startDemoWalletServer({ outDir: join(base, 'wallet'), port: chosen.wallet, issuerUrls: Object.values(issuers).map((i) => i.url) });
    stoppers.push({ name: 'wallet', stop: wallet.stop });

    const offers: SeededOffer[] = [];
    if (seed) {
      for (const city of DEMO_CITIES) {
        const citizens = DEMO_CITIZENS.filter((c) => c.cityId === city.cityId);
        log(`seeding ${citizens.length} fictional citizens in ${city.cityName} (enrol, proof of address, clerk validates, offer)…`);
        offers.push(...(await seedCitizens({ issuer: issuers[city.cityId], citizens })));
      }
    }

    const urls: CityDemoUrls = {
      chainRpc: chain.node.url,
      issuers: Object.fromEntries(
        Object.values(issuers).map((i) => [
          i.city.cityId,
          { api: i.url, openapi: `${i.url}/openapi.json`, metadata: `${i.url}/.well-known/openid-credential-issuer`, didDocument: `${i.url}/.well-known/did.json`, did: i.did },
        ]),
      ) as CityDemoUrls['issuers'],
      terminal: { api: terminal.url, health: `${terminal.url}/health`, request: `${terminal.url}/request?service=pools`, screen: `${terminal.url}/screen/?service=pools` },
      wallet: `${wallet.url}/`,
    };
    const staff = Object.fromEntries(Object.values(issuers).map((i) => [i.city.cityId, i.staff])) as CityDemo['staff'];
    // Public facts only: no password, no offer.
    await writeFile(join(base, 'demo.json'), `${JSON.stringify({ startedAt: new Date().toISOString(), urls }, null, 2)}\n`);
    printSummary({ log, urls, staff, offers });

    let stopping: Promise<void> | undefined;
    return {
      urls,
      offers,
      staff,
      parts: { chain, issuers, terminal },
      stop: () => {
        stopping ??= (async () => {
          log('stopping the wallet page, the terminal, the issuers and the chain…');
          await stopAll();
          log('demo stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

function printSummary({ log, urls, staff, offers }: { log: (line: string) => void; urls: CityDemoUrls; staff: CityDemo['staff']; offers: SeededOffer[] }): void {
  log('');
  log('Urbis city demo is running (loopback only; every person is fictional)');
  log(`  chain JSON-RPC           ${urls.chainRpc}`);
  for (const [cityId, u] of Object.entries(urls.issuers)) {
    log(`  ${cityId.padEnd(7)} issuer API       ${u.api}   (${u.did})`);
    log(`          OpenAPI          ${u.openapi}`);
    log(`          OID4VCI metadata ${u.metadata}`);
    const accounts = staff[cityId as DemoCitySpec['cityId']].map((s) => `${s.username} / ${s.password}`).join(', ');
    log(`          citizen portal   ${u.api}/portal/`);
    log(`          back office      ${u.api}/staff/  (${accounts})`);
  }
  log(`  terminal API (Gijón pools) ${urls.terminal.api}`);
  log(`          health           ${urls.terminal.health}`);
  log(`          new request      ${urls.terminal.request}`);
  log(`          screen           ${urls.terminal.screen}`);
  log(`  wallet  ${urls.wallet}`);
  if (offers.length > 0) {
    log('');
    log('Seeded credential offers (accept with: npx urbis wallet accept --offer <offer> --trust, then give the tx_code):');
    for (const o of offers) {
      log(`  ${o.cityId.padEnd(7)} ${o.name} (born ${o.birthdate}; ${o.services.join(', ')}) application ${o.reference}`);
      log(`          tx_code ${o.txCode}`);
      log(`          ${o.offer}`);
    }
  }
  log('');
}
