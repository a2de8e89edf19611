import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { createNodeCrypto } from '../core/crypto/node-crypto.js';
import { createJwtVcAgent } from '../adapters/veramo-jwt-vc/agent.js';
import { importP256IssuerKey } from '../adapters/veramo-jwt-vc/import-issuer-key.js';
import { createVeramoJwtVcIssuer } from '../adapters/veramo-jwt-vc/veramo-issuer.js';
import type { JwtVcIssuer } from '../core/jwt-vc/jwt-vc-port.js';
import { connectChain, type ChainConnection } from '../registry/chain/connect-chain.js';
import { StatusRegistryClient } from '../registry/chain/status-registry-client.js';
import { issuerIdOf, TrustedIssuerRegistryClient } from '../registry/chain/trusted-issuer-registry-client.js';
import { thumbprintToChain } from '../registry/snapshot/issuer-entries.js';
import { Outbox } from '../registry/publisher/outbox.js';
import { EthersPublisherChain } from '../registry/publisher/publisher-chain.js';
import { StatusPublisher } from '../registry/publisher/status-publisher.js';
import { createAuditLog } from './audit/audit-log.js';
import { createCardPinLogin } from './auth/card-pin-login.js';
import { createCitizenOtp } from './auth/citizen-otp.js';
import { createOutboxFileNotifier, type Notifier } from './auth/notifier.js';
import { createExpiredRowsPurge } from './auth/expired-rows-purge.js';
import { createSessions } from './auth/sessions.js';
import { createStaffAccounts } from './auth/staff-accounts.js';
import { createBackOfficeService } from './back-office/back-office-service.js';
import { createBulkImport } from './bulk-import/bulk-import-service.js';
import { createCatalogueRepository } from './catalogue/catalogue-repository.js';
import type { IssuerConfig } from './config/issuer-config.js';
import { openIssuerDatabase, type IssuerDb } from './db/open-database.js';
import { createDocumentVault } from './documents/document-vault.js';
import { createCitizenRepository, type ServiceChoice } from './enrolment/citizen-repository.js';
import { createEnrolmentService } from './enrolment/enrolment-service.js';
import type { EntitlementEventsPort } from './enrolment/entitlement-events.js';
import { createGdprService } from './gdpr/gdpr-service.js';
import { createIssuerApp } from './http/create-issuer-app.js';
import { servicePseudonym } from './issuance/credential-claims.js';
import { createCredentialIssuance } from './issuance/credential-issuance.js';
import { createOfferService } from './issuance/offer-service.js';
import { createPaperCardService } from './paper/paper-card-service.js';
import { createRefreshTokens } from './issuance/refresh-tokens.js';
import { createIssuerKeyStore } from './keys/issuer-key-store.js';
import { seal, open } from './security/sealed-box.js';
import { createCredentialStatus } from './status/credential-status.js';
import { createStatusLists } from './status/status-lists.js';
import { createPublishedStatusLists } from './status/published-status-lists.js';
import { createWebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { createWebhookEvent } from './webhooks/webhook-event.js';
import { createWebhookRepository } from './webhooks/webhook-repository.js';

/** Credential formats an offer can list. */
export type OfferFormat = 'dc+sd-jwt' | 'vc+sd-jwt' | 'jwt_vc_json';

/** Format of the credentials a default offer lists. */
export const DEFAULT_OFFER_FORMAT: OfferFormat = 'dc+sd-jwt';

/** The issuer's operator log: events and codes only, never request data or personal data. */
export type IssuerLog = (entry: { event: string; code?: string; detail?: Record<string, string | number | boolean> }) => void;

/**
 * Builds a city issuer from its configuration: the database (SQLite or
 * PostgreSQL), the document vault, keys, the domain services, the status
 * outbox and publisher (when a chain is configured), webhooks, and the
 * Express app. `start()` listens and starts the background loops;
 * `stop()` stops everything.
 */
export async function createIssuer({ config, notifier, log = () => undefined, now = Date.now, fetch }: { config: IssuerConfig; notifier?: Notifier; log?: IssuerLog; now?: () => number; fetch?: typeof globalThis.fetch }) {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const crypto = createNodeCrypto();
  const database: IssuerDb = await openIssuerDatabase(config.database);
  const { db } = database;
  const audit = createAuditLog({ db, now });
  const catalogue = createCatalogueRepository({ db, now });
  await catalogue.seed(config.catalogue);
  const citizens = createCitizenRepository({ db });
  const vault = createDocumentVault({ directory: join(config.dataDir, 'documents'), key: config.secrets.documentKey, maxBytes: config.maxDocumentBytes });
  const keys = createIssuerKeyStore({
    db,
    did: config.did,
    crypto,
    now,
    sealer: { seal: ({ plaintext, aad }) => seal({ key: config.secrets.keySealingKey, plaintext, aad }), open: ({ sealed, aad }) => open({ key: config.secrets.keySealingKey, sealed, aad }) },
  });
  await keys.ensureActiveKey();

  const listIds = config.chain?.statusListIds ?? [0];
  const statusLists = createStatusLists({ db, randomBytes: crypto.randomBytes, allocateFrom: listIds });
  for (const listId of listIds) await statusLists.register({ listId, uri: `${config.issuerUrl}/status/${listId}`, size: config.chain?.statusListSize ?? 131_072 }, now());
  const outbox = Outbox.open({ path: config.statusOutboxPath });
  const credentialStatus = createCredentialStatus({ db, statusLists, outbox });

  const webhookRepository = createWebhookRepository({ db, now });
  const dispatcher = createWebhookDispatcher({ repository: webhookRepository, now, ...(fetch === undefined ? {} : { fetch }), log: (entry) => log({ event: `webhook.${entry.outcome}`, ...(entry.code === undefined ? {} : { code: entry.code }) }) });
  const events: EntitlementEventsPort = {
    async publish(event) {
      const citizen = await citizens.citizen(event.citizenId).catch(() => undefined);
      if (citizen?.objectedPurposes.includes('department_webhooks')) return;
      const pseudonym = await servicePseudonym({ citizenId: event.citizenId, serviceId: event.serviceId, pseudonymSecret: config.secrets.pseudonymSecret });
      await webhookRepository.enqueue({
        event: createWebhookEvent({ type: event.type, data: { service_id: event.serviceId, pseudonym, ...(event.tier === undefined ? {} : { tier: event.tier as never }), state: event.state }, now }),
      });
    },
  };

  /**
   * The configuration ids an offer lists: the resident credential and one entitlement per chosen service,
   * in each asked format (default `dc+sd-jwt`; `jwt_vc_json` exists for the resident credential only).
   */
  const offerConfigurations = (choices: readonly Pick<ServiceChoice, 'service_id'>[], formats: readonly OfferFormat[] = [DEFAULT_OFFER_FORMAT]): string[] =>
    formats.flatMap((format) => [`resident.${format}`, ...(format === 'jwt_vc_json' ? [] : choices.map((c) => `entitlement.${c.service_id}.${format}`))]);
  const refreshTokens = createRefreshTokens({ db, audit, now, ttlMs: config.refreshTokenTtlDays * 86_400_000 });
  const offers = createOfferService({ db, issuerUrl: config.issuerUrl, offerKey: config.secrets.offerKey, audit, now, refreshTokens });

  let jwtVc: { kid: string; issuer: Promise<{ issue: JwtVcIssuer; issuerDid: string }> } | undefined;
  const issuance = createCredentialIssuance({
    db,
    citizens,
    catalogue,
    offers,
    statusLists,
    keys,
    audit,
    crypto,
    now,
    settings: {
      issuerUrl: config.issuerUrl,
      did: config.did,
      municipality: config.municipality,
      batchSize: config.batchSize,
      validityDays: config.validityDays,
      pseudonymSecret: config.secrets.pseudonymSecret,
      deferredIntervalSeconds: 5,
      nonceTtlMs: 5 * 60_000,
      paperValidityDays: config.paperValidityDays,
    },
    jwtVc: async () => {
      const { kid, privateJwk } = await keys.activePrivateJwk();
      if (jwtVc?.kid !== kid) {
        const agent = createJwtVcAgent();
        jwtVc = { kid, issuer: importP256IssuerKey({ agent, privateJwk }).then((issuerDid) => ({ issue: createVeramoJwtVcIssuer({ agent }), issuerDid })) };
      }
      return jwtVc.issuer;
    },
  });

  const sessions = createSessions({ db, now });
  const theNotifier = notifier ?? createOutboxFileNotifier({ path: config.notifierOutboxPath, now });
  const otp = createCitizenOtp({ db, notifier: theNotifier, now });
  const cardPin = createCardPinLogin({ db, now });
  const staff = createStaffAccounts({ db, now, passwordCost: { ln: config.passwordCostLn, r: 8, p: 1 } });
  const enrolment = createEnrolmentService({ citizens, catalogue, vault, audit, credentialStatus, events, referencePrefix: config.referencePrefix, now });
  const backOffice = createBackOfficeService({ citizens, vault, audit, credentialStatus, offers, issuance, cardPin, events, offerConfigurations, now });
  const paperCards = createPaperCardService({ issuance, credentialStatus, catalogue, citizens, audit, design: { name: config.cityName, colour: config.cityColour }, now });
  const gdpr = createGdprService({
    citizens,
    catalogue,
    vault,
    audit,
    credentialStatus,
    offers,
    issuance,
    refreshTokens,
    sessions,
    events,
    notifier: theNotifier,
    pseudonymSecret: config.secrets.pseudonymSecret,
    city: { name: config.cityName, issuerUrl: config.issuerUrl },
    offerConfigurations,
    referencePrefix: config.referencePrefix,
    now,
  });
  const bulkImport = createBulkImport({ citizens, catalogue, audit, referencePrefix: config.referencePrefix, now });

  // The chain: status publishing and the published status lists. Connected lazily, retried while down.
  let chain: Promise<ChainConnection> | undefined;
  const chainConnection = (): Promise<ChainConnection> | undefined => {
    if (config.chain === undefined) return undefined;
    chain ??= connectChain({ rpcUrl: config.chain.rpcUrl, chainId: config.chain.chainId }).catch((error: unknown) => {
      chain = undefined;
      throw error;
    });
    return chain;
  };
  let publisher: StatusPublisher | undefined;
  let publisherTimer: NodeJS.Timeout | undefined;
  async function startPublisher(): Promise<void> {
    const connection = chainConnection();
    if (connection === undefined || config.chain === undefined) return;
    try {
      const { provider } = await connection;
      publisher = new StatusPublisher({
        outbox,
        chain: new EthersPublisherChain({ provider, chainId: config.chain.chainId, registryAddress: config.chain.statusRegistry, signer: new Wallet(config.chain.writerKey) }),
        pollIntervalMs: 100,
        onConfirmed: (change) => publishedStatusLists.invalidate(change.listId),
        idleIntervalMs: 200,
        log: (entry) => log({ event: `publisher.${entry.event}`, ...(entry.code === undefined ? {} : { code: entry.code }) }),
      });
      publisher.start();
      log({ event: 'publisher.started' });
    } catch (error) {
      log({ event: 'chain.unreachable', code: (error as { code?: string }).code ?? 'CHAIN_UNREACHABLE' });
      publisherTimer = setTimeout(() => void startPublisher(), 5_000);
    }
  }
  const statusRegistry = async (): Promise<{ client: StatusRegistryClient; connection: ChainConnection } | undefined> => {
    const connection = chainConnection();
    if (connection === undefined || config.chain === undefined) return undefined;
    const resolved = await connection;
    return { connection: resolved, client: new StatusRegistryClient({ address: config.chain.statusRegistry, provider: resolved.provider }) };
  };

  /** Publishes the issuer's key thumbprints in the federation registry (key rotation), when configured. */
  const federation =
    config.chain?.federation === undefined
      ? undefined
      : {
          async publishKeys(thumbprints: readonly string[]): Promise<void> {
            const { provider } = await chainConnection()!;
            const client = new TrustedIssuerRegistryClient({ address: config.chain!.federation!.trustedIssuerRegistry, provider, runner: new Wallet(config.chain!.federation!.controllerKey, provider) });
            await client.rotateIssuerKeys({ issuerId: issuerIdOf(config.did), keyThumbprints: thumbprints.map(thumbprintToChain) });
            log({ event: 'federation.keys-published', detail: { keys: thumbprints.length } });
          },
        };
  const publishedStatusLists = createPublishedStatusLists({ statusLists, keys, did: config.did, registry: statusRegistry, now });

  const context = {
    publishedStatusLists,
    federation,
    config,
    crypto,
    db,
    engine: database.engine,
    audit,
    catalogue,
    citizens,
    keys,
    offers,
    refreshTokens,
    issuance,
    statusLists,
    credentialStatus,
    outbox,
    sessions,
    otp,
    cardPin,
    staff,
    enrolment,
    backOffice,
    paperCards,
    gdpr,
    bulkImport,
    webhooks: webhookRepository,
    notifier: theNotifier,
    statusRegistry,
    offerConfigurations,
    log,
    now,
  };
  const app = createIssuerApp(context);
  let server: Server | undefined;
  // Expired sign-in rows, every URBIS_PURGE_INTERVAL_MINUTES (default hourly).
  const purge = createExpiredRowsPurge({ tables: { sessions, otp_challenges: otp }, log, intervalMs: config.purgeIntervalMinutes * 60_000 });

  return {
    ...context,
    app,
    dispatcher,
    /** The publisher, once connected to the chain. */
    publisher: () => publisher,
    /** Listens on `config.host:config.port` (0: any free port) and starts the publisher and the webhook loop. Returns the URL. */
    async start({ port = config.port }: { port?: number } = {}): Promise<{ url: string; server: Server }> {
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
      });
      server.keepAliveTimeout = 5_000;
      dispatcher.start({ intervalMs: 1_000 });
      void startPublisher();
      purge.start();
      const address = server.address();
      const actualPort = typeof address === 'object' && address !== null ? address.port : port;
      return { url: `http://${config.host}:${actualPort}`, server };
    },
    async stop(): Promise<void> {
      if (publisherTimer !== undefined) clearTimeout(publisherTimer);
      await dispatcher.stop();
      await publisher?.stop();
      if (server !== undefined) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      if (chain !== undefined) (await chain.catch(() => undefined))?.close();
      await purge.stop();
      outbox.close();
      await database.close();
    },
  };
}

/** Everything the HTTP layer reaches: the issuer's services. */
export type IssuerContext = Omit<Awaited<ReturnType<typeof createIssuer>>, 'app' | 'dispatcher' | 'publisher' | 'start' | 'stop'>;

/** A keyed hash for rate-limit keys (so limiter memory holds no card numbers or e-mails). */
export function limiterKey(secret: Uint8Array, ...parts: string[]): string {
  return createHmac('sha256', secret).update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}
