import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { readOutboxFile } from '../auth/notifier.js';
import type { IssuerDatabase } from '../db/database-schema.js';
import type { DatabaseEngine } from '../db/migrations.js';
import { dropPostgresFileDatabase, POSTGRES_AVAILABILITY, TEST_POSTGRES_URL } from '../db/testing/test-databases.js';
import { ERASURE_RETENTION_NOTE } from '../gdpr/gdpr-service.js';
import { documentForm, enrolmentBody, samplePdf } from '../testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../testing/issuer-fixture.js';
import { redeemOffer, requestDeferred, resolveOffer, type RedeemResult } from '../testing/oid4vci-test-client.js';

/**
 * The six GDPR rights of the front office (access, portability,
 * rectification, erasure, restriction, objection) and consent withdrawal,
 * end to end over real HTTP on both database engines: citizens enrol, a
 * clerk validates them, a wallet-side client gets their credentials through
 * OID4VCI, and then they exercise their rights. Revocations and suspensions
 * are checked where they are sent: the registry's status outbox.
 */

/** Copies per credential batch (small: the suite runs twice on two shared cores). */
const COPIES = 2;
const RESIDENT = 'resident.dc+sd-jwt';
const POOLS = 'entitlement.pools.dc+sd-jwt';
const LIBRARY = 'entitlement.library.dc+sd-jwt';
const YOUTH = 'entitlement.youth-pass.dc+sd-jwt';

/** Every table of the issuer database, for "what is left after erasure" scans. */
const TABLES: readonly (keyof IssuerDatabase)[] = [
  'citizens',
  'applications',
  'service_choices',
  'consents',
  'documents',
  'services',
  'credential_offers',
  'access_tokens',
  'refresh_tokens',
  'nonces',
  'deferred_issuances',
  'issued_batches',
  'issued_copies',
  'status_lists',
  'staff',
  'sessions',
  'otp_challenges',
  'audit_log',
  'erasure_records',
  'webhook_subscriptions',
  'webhook_deliveries',
  'signing_keys',
];

/** A citizen enrolled through the front office, with one uploaded proof of address. */
interface Enrolled {
  token: string;
  email: string;
  body: Record<string, unknown>;
  reference: string;
  citizenId: string;
  document: Uint8Array;
}

/** A citizen whose application a clerk validated, holding credentials from the OID4VCI flow. */
interface Holder extends Enrolled {
  /** Copies per configuration id. */
  credentials: Map<string, string[]>;
  /** Batch id per configuration id. */
  batches: Map<string, string>;
}

interface Batch {
  id: string;
  configurationId: string;
  credentialType: string;
  serviceId?: string;
  state: string;
  copies: number;
}

function uniqueEmail(name: string): string {
  return `${name}.${Math.random().toString(36).slice(2, 10)}@example.org`;
}

async function enrol(city: IssuerFixture, overrides: Record<string, unknown>, marker: string): Promise<Enrolled> {
  const body = enrolmentBody(overrides);
  const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
  expect(enrolled.status).toBe(201);
  const token = enrolled.body.session.token as string;
  const document = samplePdf(marker);
  const upload = await city.request('POST', '/front-office/me/documents', { token, body: documentForm({ kind: 'proof_of_address', bytes: document }) });
  expect(upload.status).toBe(201);
  const me = await city.request('GET', '/front-office/me', { token });
  expect(me.status).toBe(200);
  return { token, email: body['email'] as string, body, reference: enrolled.body.application.reference as string, citizenId: me.body.citizen.id as string, document };
}

/** Finishes a redemption: copies issued now are kept, deferred ones are fetched (the application must be validated by then). */
async function collect(city: IssuerFixture, redeemed: RedeemResult): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const result of redeemed.results) {
    if ('credentials' in result) {
      out.set(result.configurationId, result.credentials);
      continue;
    }
    const answer = await requestDeferred({ issuerUrl: city.url, accessToken: redeemed.accessToken, transactionId: result.transactionId });
    expect(answer.status).toBe(200);
    out.set(result.configurationId, (answer.body as { credentials: { credential: string }[] }).credentials.map((c) => c.credential));
  }
  return out;
}

async function batchesOf(city: IssuerFixture, token: string): Promise<Batch[]> {
  const me = await city.request('GET', '/front-office/me', { token });
  expect(me.status).toBe(200);
  return me.body.credentials as Batch[];
}

/** The journey's flow: enrol, ask for an offer (deferred while pending), a clerk validates, the wallet gets its batches. */
async function holder(city: IssuerFixture, clerk: string, overrides: Record<string, unknown>, marker: string): Promise<Holder> {
  const citizen = await enrol(city, overrides, marker);
  const offer = await city.request('POST', '/front-office/me/offers', { token: citizen.token });
  expect(offer.status).toBe(201);
  const redeemed = await redeemOffer({ offer: offer.body.deepLink, txCode: await city.lastCodeSentTo(citizen.email), batchSize: COPIES });
  for (const result of redeemed.results) expect('transactionId' in result).toBe(true);
  const decided = await city.request('POST', `/back-office/applications/${citizen.reference}/decision`, { token: clerk, json: { decision: 'validate' } });
  expect(decided.status).toBe(200);
  const credentials = await collect(city, redeemed);
  const batches = new Map((await batchesOf(city, citizen.token)).map((b) => [b.configurationId, b.id]));
  expect(batches.size).toBe(credentials.size);
  return { ...citizen, credentials, batches };
}

/** Claims disclosed in an SD-JWT VC (`name → value`, nested object members included). */
function disclosed(credential: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of credential.split('~').slice(1)) {
    if (part === '') continue;
    const disclosure = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown[];
    if (disclosure.length === 3) out[disclosure[1] as string] = disclosure[2];
  }
  return out;
}

async function statusEntriesOf(city: IssuerFixture, batchId: string): Promise<{ listId: number; index: number }[]> {
  const rows = await city.issuer.db.selectFrom('issued_copies').select(['status_list_id', 'status_index']).where('batch_id', '=', batchId).execute();
  return rows.map((r) => ({ listId: Number(r.status_list_id), index: Number(r.status_index) }));
}

/** Per status entry of the batch, the values sent to the status outbox, oldest first (with their reasons). */
async function outboxHistory(city: IssuerFixture, batchId: string): Promise<{ value: number; reason?: string }[][]> {
  const entries = await statusEntriesOf(city, batchId);
  expect(entries).toHaveLength(COPIES);
  const changes = city.issuer.outbox.changes();
  return entries.map((e) => changes.filter((c) => c.listId === e.listId && c.index === e.index).map((c) => ({ value: c.value, ...(c.reason === undefined ? {} : { reason: c.reason }) })));
}

async function notificationsTo(city: IssuerFixture, email: string): Promise<number> {
  return (await readOutboxFile({ path: city.config.notifierOutboxPath })).filter((e) => e.to.email === email).length;
}

async function exportOf(city: IssuerFixture, token: string) {
  const response = await city.request('GET', '/front-office/me/export', { token });
  expect(response.status).toBe(200);
  return response;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

function yearsAgo(years: number, monthDay = '03-10'): string {
  return `${new Date().getUTCFullYear() - years}-${monthDay}`;
}

function gdprSuite(engine: DatabaseEngine): void {
  describe(`GDPR rights over HTTP [${engine}]`, () => {
    let city: IssuerFixture;
    let other: IssuerFixture;
    let clerk: string;
    let admin: string;

    beforeAll(async () => {
      [city, other] = await Promise.all([startIssuerFixture({ engine }), startIssuerFixture({ engine, overrides: { cityId: 'oviedo', cityName: 'Oviedo', municipality: 'Oviedo' } })]);
      clerk = await city.staffToken({ role: 'clerk' });
      admin = await city.adminToken();
    }, 60_000);
    afterAll(async () => {
      await Promise.all([city?.close(), other?.close()]);
      if (engine === 'postgres') await dropPostgresFileDatabase();
    });

    test('access: the export holds everything about the citizen (documents, credentials, processing records) and nothing about anyone else', async () => {
      const ana = await holder(city, clerk, { given_name: 'Anacleta', family_name: 'Prieto Valdés', email: uniqueEmail('anacleta') }, 'ANACLETA-PROOF');
      const bea = await enrol(city, { given_name: 'Benigna', family_name: 'Rubiera Llano', email: uniqueEmail('benigna'), address: { street_address: 'Calle Begoña 9', postal_code: '33205', locality: 'Gijón', country: 'ES' } }, 'BENIGNA-PROOF');
      const consented = await city.request('PUT', '/front-office/me/consents', { token: ana.token, json: { consents: { notifications: true } } });
      expect(consented.status).toBe(200);
      // A clerk opens Ana's file and reads her document: processing she is entitled to know about.
      const file = await city.request('GET', `/back-office/applications/${ana.reference}`, { token: clerk });
      expect(file.status).toBe(200);
      const viewed = await city.request('GET', `/back-office/applications/${ana.reference}/documents/${file.body.documents[0].id}`, { token: clerk });
      expect(viewed.status).toBe(200);

      const response = await exportOf(city, ana.token);
      expect(response.headers.get('content-disposition')).toContain('attachment');
      const data = response.body;
      expect(data).toMatchObject({ format: 'urbis-subject-access/1', controller: { city: city.config.cityName, issuer: city.url }, retention: ERASURE_RETENTION_NOTE });
      expect(Number.isNaN(Date.parse(data.exportedAt))).toBe(false);

      // Identity, address, contact.
      expect(data.citizen).toMatchObject({
        id: ana.citizenId,
        given_name: 'Anacleta',
        family_name: 'Prieto Valdés',
        birthdate: ana.body['birthdate'],
        email: ana.email,
        address: ana.body['address'],
        resident_since: ana.body['resident_since'],
        restricted: false,
        objectedPurposes: [],
      });
      expect(data.citizen.cardNumber).toMatch(/^[0-9]{10}$/);

      // Applications and services with their pseudonyms (the very ones in the entitlement credentials).
      expect(data.applications).toEqual([expect.objectContaining({ reference: ana.reference, citizenId: ana.citizenId, state: 'validated' })]);
      expect(data.services.map((s: { service_id: string }) => s.service_id)).toEqual(['library', 'pools']);
      for (const service of data.services as { service_id: string; tier: string; pseudonym: string }[]) {
        expect(service.tier).toBe('standard');
        expect(service.pseudonym).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const copy = ana.credentials.get(`entitlement.${service.service_id}.dc+sd-jwt`)![0]!;
        expect(disclosed(copy)['pseudonym']).toBe(service.pseudonym);
      }

      // The consent history, not only the current state.
      expect(data.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted])).toEqual([
        ['service_provision', true],
        ['notifications', false],
        ['notifications', true],
      ]);

      // Documents with their contents: the bytes uploaded, no storage key.
      expect(data.documents).toHaveLength(1);
      const [document] = data.documents;
      expect(document).toMatchObject({ kind: 'proof_of_address', mime: 'application/pdf', size: ana.document.length, sha256: createHash('sha256').update(ana.document).digest('hex') });
      expect(document.contentBase64).toBe(Buffer.from(ana.document).toString('base64'));
      expect(Buffer.from(document.contentBase64, 'base64').equals(Buffer.from(ana.document))).toBe(true);
      expect(document).not.toHaveProperty('storageKey');

      // Credential batches.
      expect(data.credentials.map((b: Batch) => b.configurationId).sort()).toEqual([LIBRARY, POOLS, RESIDENT]);
      for (const batch of data.credentials as Batch[]) {
        expect(batch).toMatchObject({ id: ana.batches.get(batch.configurationId), citizenId: ana.citizenId, state: 'active', copies: COPIES });
      }

      // Processing records: the audit entries about Ana, her application, her documents and her credentials.
      const records = data.processingRecords as { id: number; action: string; actor: { kind: string; id?: string }; target?: { kind: string; id: string } }[];
      const actions = records.map((r) => r.action);
      for (const action of ['application.submitted', 'document.uploaded', 'offer.created', 'application.opened', 'application.validated', 'credential.issued', 'document.viewed', 'consent.updated']) {
        expect(actions).toContain(action);
      }
      expect(records.filter((r) => r.action === 'credential.issued').map((r) => r.target?.id).sort()).toEqual([...ana.batches.values()].sort());
      expect(records.map((r) => r.id)).toEqual([...records.map((r) => r.id)].sort((a, b) => a - b));

      // Nothing about Bea.
      const text = response.text;
      const beaFile = await city.request('GET', `/back-office/applications/${bea.reference}`, { token: clerk });
      const beaApplicationId = beaFile.body.application.id as string;
      for (const foreign of [bea.citizenId, beaApplicationId, bea.reference, bea.email, 'Benigna', 'Rubiera', 'Calle Begoña 9', Buffer.from(bea.document).toString('base64'), beaFile.body.documents[0].id as string]) {
        expect(text).not.toContain(foreign);
      }
      expect(records.every((r) => r.target?.id !== bea.citizenId && r.actor.id !== bea.citizenId)).toBe(true);

      // Bea's export is hers alone.
      const beaExport = (await exportOf(city, bea.token)).body;
      expect(beaExport.citizen.id).toBe(bea.citizenId);
      expect(beaExport.credentials).toEqual([]);
      expect(beaExport.documents[0].contentBase64).toBe(Buffer.from(bea.document).toString('base64'));
      expect(JSON.stringify(beaExport)).not.toContain(ana.citizenId);
      expect(JSON.stringify(beaExport)).not.toContain('Anacleta');
    });

    test('portability: the portable export is an enrolment another city accepts as is', async () => {
      const pelayo = await holder(city, clerk, { given_name: 'Pelayo', family_name: 'Cuervo Arango', email: uniqueEmail('pelayo'), consents: { service_provision: true, notifications: true } }, 'PELAYO-PROOF');
      const response = await city.request('GET', '/front-office/me/portable', { token: pelayo.token });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toContain('attachment');
      const portable = response.body;
      expect(portable.format).toBe('urbis-portable-citizen/1');
      expect(Number.isNaN(Date.parse(portable.exportedAt))).toBe(false);
      expect(portable.enrolment).toEqual({
        given_name: 'Pelayo',
        family_name: 'Cuervo Arango',
        birthdate: pelayo.body['birthdate'],
        email: pelayo.email,
        address: pelayo.body['address'],
        resident_since: pelayo.body['resident_since'],
        services: [
          { service_id: 'library', tier: 'standard' },
          { service_id: 'pools', tier: 'standard' },
        ],
        consents: { service_provision: true, notifications: true },
      });
      expect(portable.documents).toEqual([{ kind: 'proof_of_address', mime: 'application/pdf', contentBase64: Buffer.from(pelayo.document).toString('base64') }]);

      // Another city's issuer takes the enrolment as is, and the documents with it.
      const ported = await other.request('POST', '/front-office/enrolments', { json: portable.enrolment });
      expect(ported.status).toBe(201);
      expect(ported.body.application.state).toBe('submitted');
      const token = ported.body.session.token as string;
      for (const doc of portable.documents as { kind: string; mime: string; contentBase64: string }[]) {
        const upload = await other.request('POST', '/front-office/me/documents', { token, body: documentForm({ kind: doc.kind, bytes: Buffer.from(doc.contentBase64, 'base64'), type: doc.mime }) });
        expect(upload.status).toBe(201);
      }
      const there = await other.request('GET', '/front-office/me', { token });
      expect(there.status).toBe(200);
      expect(there.body.citizen).toMatchObject({ given_name: 'Pelayo', family_name: 'Cuervo Arango', birthdate: pelayo.body['birthdate'], email: pelayo.email, address: pelayo.body['address'], resident_since: pelayo.body['resident_since'] });
      expect(there.body.citizen.id).not.toBe(pelayo.citizenId);
      expect(there.body.services.map((s: { service_id: string; tier: string }) => [s.service_id, s.tier])).toEqual([
        ['library', 'standard'],
        ['pools', 'standard'],
      ]);
      expect(there.body.missingDocuments).toEqual([]);
      const otherExport = (await exportOf(other, token)).body;
      expect(otherExport.controller.city).toBe('Oviedo');
      expect(otherExport.documents[0].contentBase64).toBe(Buffer.from(pelayo.document).toString('base64'));
      expect(otherExport.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted])).toEqual([
        ['service_provision', true],
        ['notifications', true],
      ]);
    });

    test('rectification: a contact change revokes nothing; an address change revokes the resident batch and its new offer gives the new address', async () => {
      const rosa = await holder(city, clerk, { given_name: 'Rosaura', email: uniqueEmail('rosaura') }, 'ROSAURA-PROOF');
      const sent = city.issuer.outbox.changes().length;

      // E-mail only: nothing the credentials carry.
      const newEmail = uniqueEmail('rosaura.nueva');
      const contact = await city.request('PATCH', '/front-office/me', { token: rosa.token, json: { email: newEmail } });
      expect(contact.status).toBe(200);
      expect(contact.body).toEqual({ changedFields: ['email'], revokedBatches: 0, needsValidation: false });
      expect(city.issuer.outbox.changes()).toHaveLength(sent);
      expect((await batchesOf(city, rosa.token)).map((b) => b.state)).toEqual(['active', 'active', 'active']);
      expect((await city.request('GET', '/front-office/me', { token: rosa.token })).body.citizen.email).toBe(newEmail);

      // Address: the resident batch is revoked (credential-replaced), the entitlements stay, a new offer is made.
      const address = { street_address: 'Avenida Rufo Rendueles 41, 5º A', postal_code: '33203', locality: 'Gijón', country: 'ES' };
      const before = await notificationsTo(city, newEmail);
      const moved = await city.request('PATCH', '/front-office/me', { token: rosa.token, json: { address } });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ changedFields: ['address'], revokedBatches: 1, needsValidation: false });
      expect(moved.body.offer).toMatchObject({ offerUri: expect.stringContaining(city.url), deepLink: expect.stringMatching(/^openid-credential-offer:\/\//), qrSvg: expect.stringContaining('<svg') });
      expect(JSON.stringify(moved.body)).not.toMatch(/txCode|tx_code":"\d/);

      const oldResident = rosa.batches.get(RESIDENT)!;
      for (const history of await outboxHistory(city, oldResident)) expect(history).toEqual([{ value: 1, reason: 'credential-replaced' }]);
      for (const configuration of [POOLS, LIBRARY]) for (const history of await outboxHistory(city, rosa.batches.get(configuration)!)) expect(history).toEqual([]);
      expect(city.issuer.outbox.changes()).toHaveLength(sent + COPIES);
      const states = new Map((await batchesOf(city, rosa.token)).map((b) => [b.id, b.state]));
      expect(states.get(oldResident)).toBe('revoked');
      expect(states.get(rosa.batches.get(POOLS)!)).toBe('active');
      expect(states.get(rosa.batches.get(LIBRARY)!)).toBe('active');

      // The tx_code of the new offer reaches the citizen by the second channel (at the corrected e-mail).
      expect(await notificationsTo(city, newEmail)).toBe(before + 1);
      const redeemed = await redeemOffer({ offer: moved.body.offer.deepLink, txCode: await city.lastCodeSentTo(newEmail), batchSize: COPIES });
      const fresh = await collect(city, redeemed);
      const resident = fresh.get(RESIDENT)!;
      expect(resident).toHaveLength(COPIES);
      for (const copy of resident) {
        const claims = disclosed(copy);
        expect(claims['street_address']).toBe(address.street_address);
        expect(claims['postal_code']).toBe(address.postal_code);
      }
      const after = await batchesOf(city, rosa.token);
      expect(after.filter((b) => b.configurationId === RESIDENT).map((b) => b.state).sort()).toEqual(['active', 'revoked']);
      const data = (await exportOf(city, rosa.token)).body;
      expect(data.citizen.address).toEqual(address);
      expect(data.applications).toHaveLength(1);
      expect(data.processingRecords.some((r: { action: string; detail?: { fields?: string[] } }) => r.action === 'gdpr.rectified' && r.detail?.fields?.includes('address'))).toBe(true);
    });

    test('rectification: a name change goes back to a clerk; the new offer is deferred until validated', async () => {
      const nuria = await holder(city, clerk, { given_name: 'Nuria', family_name: 'Solís Vega', email: uniqueEmail('nuria') }, 'NURIA-PROOF');
      const notified = await notificationsTo(city, nuria.email);
      const renamed = await city.request('PATCH', '/front-office/me', { token: nuria.token, json: { family_name: 'Solís Menéndez' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ changedFields: ['family_name'], revokedBatches: 1, needsValidation: true });
      expect(renamed.body.offer).toBeDefined();
      for (const history of await outboxHistory(city, nuria.batches.get(RESIDENT)!)) expect(history).toEqual([{ value: 1, reason: 'credential-replaced' }]);

      const me = await city.request('GET', '/front-office/me', { token: nuria.token });
      expect(me.body.application.state).toBe('submitted');
      const reference = me.body.application.reference as string;
      expect(reference).not.toBe(nuria.reference);

      // The new offer's tx_code is sent by the second channel, like any offer the citizen asks for.
      expect(await notificationsTo(city, nuria.email)).toBe(notified + 1);
      const redeemed = await redeemOffer({ offer: renamed.body.offer.deepLink, txCode: await city.lastCodeSentTo(nuria.email), batchSize: COPIES });
      expect(redeemed.results.map((r) => r.configurationId).sort()).toEqual([LIBRARY, POOLS, RESIDENT]);
      for (const result of redeemed.results) expect('transactionId' in result).toBe(true);
      const pending = await requestDeferred({ issuerUrl: city.url, accessToken: redeemed.accessToken, transactionId: (redeemed.results[0] as { transactionId: string }).transactionId });
      expect(pending.status).toBe(202);

      const decided = await city.request('POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' } });
      expect(decided.status).toBe(200);
      const fresh = await collect(city, redeemed);
      for (const copy of fresh.get(RESIDENT)!) expect(disclosed(copy)['family_name']).toBe('Solís Menéndez');
    });

    test('rectification: a birthdate outside the youth pass ages drops that service and revokes its entitlement', async () => {
      const yago = await holder(
        city,
        clerk,
        { given_name: 'Yago', birthdate: yearsAgo(20), email: uniqueEmail('yago'), services: [{ service_id: 'youth-pass', tier: 'youth' }, { service_id: 'pools', tier: 'standard' }] },
        'YAGO-PROOF',
      );
      expect([...yago.batches.keys()].sort()).toEqual([POOLS, RESIDENT, YOUTH].sort());
      const corrected = await city.request('PATCH', '/front-office/me', { token: yago.token, json: { birthdate: yearsAgo(40) } });
      expect(corrected.status).toBe(200);
      expect(corrected.body).toMatchObject({ changedFields: ['birthdate'], revokedBatches: 2, needsValidation: true });

      const me = await city.request('GET', '/front-office/me', { token: yago.token });
      expect(me.body.services.map((s: { service_id: string }) => s.service_id)).toEqual(['pools']);
      const states = new Map((me.body.credentials as Batch[]).map((b) => [b.configurationId, b.state]));
      expect(Object.fromEntries(states)).toEqual({ [RESIDENT]: 'revoked', [YOUTH]: 'revoked', [POOLS]: 'active' });
      for (const history of await outboxHistory(city, yago.batches.get(YOUTH)!)) expect(history).toEqual([{ value: 1, reason: 'credential-replaced' }]);
      for (const history of await outboxHistory(city, yago.batches.get(RESIDENT)!)) expect(history).toEqual([{ value: 1, reason: 'credential-replaced' }]);
      for (const history of await outboxHistory(city, yago.batches.get(POOLS)!)) expect(history).toEqual([]);
      const offered = await resolveOffer({ offer: corrected.body.offer.deepLink });
      expect([...offered.credential_configuration_ids].sort()).toEqual([POOLS, RESIDENT].sort());
    });

    test('erasure: credentials revoked, files and records deleted, the session ends; only what the retention note names is left', async () => {
      const street = 'Calle Erasmo Vigil 77';
      const postal = 'ZQ4471X';
      const eva = await holder(
        city,
        clerk,
        { given_name: 'Evangelina', family_name: 'Quirós Tuñón', email: uniqueEmail('evangelina'), phone: '+34 600 111 222', address: { street_address: street, postal_code: postal, locality: 'Gijón', country: 'ES' } },
        'EVANGELINA-PROOF',
      );
      const bystander = await enrol(city, { given_name: 'Teodora', email: uniqueEmail('teodora') }, 'TEODORA-PROOF');
      // An open offer, a second session (e-mail code) and an unused one-time code.
      expect((await city.request('POST', '/front-office/me/offers', { token: eva.token })).status).toBe(201);
      const challenge = await city.request('POST', '/front-office/login/code', { json: { email: eva.email } });
      expect(challenge.status).toBe(202);
      const signedIn = await city.request('POST', '/front-office/login/code/verify', { json: { challengeId: challenge.body.challengeId, code: await city.lastCodeSentTo(eva.email) } });
      expect(signedIn.status).toBe(200);
      expect((await city.request('POST', '/front-office/login/code', { json: { email: eva.email } })).status).toBe(202);

      const documentsDir = join(city.dir, 'documents');
      const storageKeys = async (citizenId: string) => (await city.issuer.db.selectFrom('documents').select('storage_key').where('citizen_id', '=', citizenId).execute()).map((r) => r.storage_key);
      const [evaKey] = await storageKeys(eva.citizenId);
      const [bystanderKey] = await storageKeys(bystander.citizenId);
      const fileOf = (key: string) => readdirSync(documentsDir).find((f) => f.startsWith(key));
      expect(fileOf(evaKey!)).toBeDefined();
      const filesBefore = readdirSync(documentsDir).length;
      const sent = city.issuer.outbox.changes().length;

      const db = city.issuer.db;
      const PERSONAL_TABLES = ['applications', 'service_choices', 'consents', 'documents', 'credential_offers', 'access_tokens', 'refresh_tokens', 'deferred_issuances', 'otp_challenges'] as const;
      const count = async (table: (typeof PERSONAL_TABLES)[number]) => (await db.selectFrom(table).select('citizen_id').where('citizen_id', '=', eva.citizenId).execute()).length;
      const sessions = async () => (await db.selectFrom('sessions').select('token_hash').where('subject_id', '=', eva.citizenId).execute()).length;
      for (const table of PERSONAL_TABLES) expect([table, (await count(table)) > 0]).toEqual([table, true]);
      expect(await sessions()).toBe(2);

      const refused = await city.request('DELETE', '/front-office/me', { token: eva.token, json: { confirm: 'yes' } });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('BODY_INVALID');

      const erased = await city.request('DELETE', '/front-office/me', { token: eva.token, json: { confirm: 'erase' } });
      expect(erased.status).toBe(200);
      expect(erased.body).toEqual({ erasureId: expect.any(String), revokedBatches: 3, documentsDeleted: 1 });

      // Every batch revoked in the status outbox.
      expect(city.issuer.outbox.changes()).toHaveLength(sent + 3 * COPIES);
      for (const batchId of eva.batches.values()) for (const history of await outboxHistory(city, batchId)) expect(history).toEqual([{ value: 1, reason: 'holder-request' }]);

      // The document file is gone from the vault folder; other citizens' files stay.
      expect(fileOf(evaKey!)).toBeUndefined();
      expect(fileOf(bystanderKey!)).toBeDefined();
      expect(existsSync(join(documentsDir, `${evaKey!}.udoc`))).toBe(false);
      expect(readdirSync(documentsDir)).toHaveLength(filesBefore - 1);

      // Both sessions end.
      for (const token of [eva.token, signedIn.body.token as string]) {
        const me = await city.request('GET', '/front-office/me', { token });
        expect(me.status).toBe(401);
        expect(me.body.code).toBe('SESSION_INVALID');
      }

      // The records are deleted.
      expect(await db.selectFrom('citizens').select('id').where('id', '=', eva.citizenId).executeTakeFirst()).toBeUndefined();
      for (const table of PERSONAL_TABLES) expect([table, await count(table)]).toEqual([table, 0]);
      expect(await sessions()).toBe(0);
      expect(await db.selectFrom('citizens').select('id').where('id', '=', bystander.citizenId).executeTakeFirst()).toBeDefined();

      // What is kept: the batches, revoked and unlinked, with their status entries...
      const batches = await db.selectFrom('issued_batches').selectAll().where('id', 'in', [...eva.batches.values()]).execute();
      expect(batches).toHaveLength(3);
      for (const b of batches) expect({ citizen: b.citizen_id, state: b.state }).toEqual({ citizen: null, state: 'revoked' });
      for (const batchId of eva.batches.values()) expect(await statusEntriesOf(city, batchId)).toHaveLength(COPIES);
      // ...the erasure record...
      const record = await db.selectFrom('erasure_records').selectAll().where('id', '=', erased.body.erasureId).executeTakeFirstOrThrow();
      expect({ references: JSON.parse(record.application_references) as string[], batches: Number(record.batches_revoked), documents: Number(record.documents_deleted) }).toEqual({ references: [eva.reference], batches: 3, documents: 1 });
      // ...and the audit log, ids and actions only.
      const audit = await db.selectFrom('audit_log').selectAll().execute();
      expect(audit.some((e) => e.action === 'gdpr.erased' && e.target_id === eva.citizenId)).toBe(true);
      const personal = ['Evangelina', 'Quirós', 'Tuñón', eva.email, street, postal, '600 111 222', Buffer.from(eva.document).toString('base64'), 'EVANGELINA-PROOF'];
      const auditText = JSON.stringify(audit, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      for (const value of personal) expect(auditText).not.toContain(value);

      // Nothing else anywhere: no table holds her data, and only the audit log her (random) id.
      for (const table of TABLES) {
        const rows = await db.selectFrom(table).selectAll().execute();
        const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
        for (const value of personal) expect([table, text.includes(value)]).toEqual([table, false]);
        if (table !== 'audit_log') expect([table, text.includes(eva.citizenId)]).toEqual([table, false]);
      }
    });

    test('restriction: suspends the active batches, refuses issuance and decisions, and lifting it unsuspends exactly those', async () => {
      const rita = await holder(city, clerk, { given_name: 'Rita', email: uniqueEmail('rita') }, 'RITA-PROOF');
      const pending = await enrol(city, { given_name: 'Ramona', email: uniqueEmail('ramona') }, 'RAMONA-PROOF');
      const resident = rita.batches.get(RESIDENT)!;
      const pools = rita.batches.get(POOLS)!;
      const library = rita.batches.get(LIBRARY)!;

      // Staff suspend the resident batch for their own reasons first.
      const suspended = await city.request('POST', `/back-office/credentials/${resident}/status`, { token: clerk, json: { action: 'suspend', reason: 'issuer-decision' } });
      expect(suspended.status).toBe(200);
      expect(suspended.body.state).toBe('suspended');

      const restricted = await city.request('PUT', '/front-office/me/restriction', { token: rita.token, json: { restricted: true } });
      expect(restricted.status).toBe(200);
      expect(restricted.body).toEqual({ restricted: true, batchesChanged: 2 });
      for (const batchId of [pools, library]) for (const history of await outboxHistory(city, batchId)) expect(history).toEqual([{ value: 2, reason: 'holder-request' }]);
      for (const history of await outboxHistory(city, resident)) expect(history).toEqual([{ value: 2, reason: 'issuer-decision' }]);
      expect((await batchesOf(city, rita.token)).map((b) => b.state)).toEqual(['suspended', 'suspended', 'suspended']);
      expect((await city.request('GET', '/front-office/me', { token: rita.token })).body.citizen.restricted).toBe(true);

      // No issuance, no changes, no decisions while restricted.
      const refusals = [
        await city.request('POST', '/front-office/me/offers', { token: rita.token }),
        await city.request('POST', `/back-office/applications/${rita.reference}/offers`, { token: clerk }),
        await city.request('PATCH', '/front-office/me', { token: rita.token, json: { email: uniqueEmail('rita.nueva') } }),
        await city.request('PUT', '/front-office/me/services', { token: rita.token, json: { services: [{ service_id: 'pools', tier: 'standard' }] } }),
        await city.request('POST', '/front-office/me/documents', { token: rita.token, body: documentForm({ kind: 'proof_of_address', bytes: samplePdf('RITA-AGAIN') }) }),
      ];
      for (const refusal of refusals) expect([refusal.status, refusal.body.code]).toEqual([403, 'PROCESSING_RESTRICTED']);

      // Ramona's wallet waits for deferred issuance; she restricts processing meanwhile.
      const ramonaOffer = await city.request('POST', '/front-office/me/offers', { token: pending.token });
      expect(ramonaOffer.status).toBe(201);
      const waiting = await redeemOffer({ offer: ramonaOffer.body.deepLink, txCode: await city.lastCodeSentTo(pending.email), batchSize: COPIES });
      const ramona = await city.request('PUT', '/front-office/me/restriction', { token: pending.token, json: { restricted: true } });
      expect(ramona.body).toEqual({ restricted: true, batchesChanged: 0 });
      const poll = await requestDeferred({ issuerUrl: city.url, accessToken: waiting.accessToken, transactionId: (waiting.results[0] as { transactionId: string }).transactionId });
      expect(poll.status).toBeGreaterThanOrEqual(400);
      expect(poll.body?.['credentials']).toBeUndefined();
      for (const decision of [{ decision: 'validate' }, { decision: 'reject', reason: 'other' }]) {
        const refused = await city.request('POST', `/back-office/applications/${pending.reference}/decision`, { token: clerk, json: decision });
        expect([refused.status, refused.body.code]).toEqual([403, 'PROCESSING_RESTRICTED']);
      }
      expect((await city.request('GET', `/back-office/applications/${pending.reference}`, { token: clerk })).body.application.state).toBe('submitted');

      // Lifting unsuspends the two batches the restriction suspended, not the one staff suspended.
      const lifted = await city.request('PUT', '/front-office/me/restriction', { token: rita.token, json: { restricted: false } });
      expect(lifted.status).toBe(200);
      expect(lifted.body).toEqual({ restricted: false, batchesChanged: 2 });
      for (const batchId of [pools, library]) {
        for (const history of await outboxHistory(city, batchId)) expect(history).toEqual([{ value: 2, reason: 'holder-request' }, { value: 0, reason: 'suspension-lifted' }]);
      }
      for (const history of await outboxHistory(city, resident)) expect(history).toEqual([{ value: 2, reason: 'issuer-decision' }]);
      const states = new Map((await batchesOf(city, rita.token)).map((b) => [b.id, b.state]));
      expect([states.get(resident), states.get(pools), states.get(library)]).toEqual(['suspended', 'active', 'active']);
      expect((await city.request('POST', '/front-office/me/offers', { token: rita.token })).status).toBe(201);

      expect((await city.request('PUT', '/front-office/me/restriction', { token: pending.token, json: { restricted: false } })).body).toEqual({ restricted: false, batchesChanged: 0 });
      const decided = await city.request('POST', `/back-office/applications/${pending.reference}/decision`, { token: clerk, json: { decision: 'validate' } });
      expect(decided.status).toBe(200);
      expect(await batchesOf(city, pending.token)).toEqual([]);
    });

    test('objection: no department webhooks about an objecting citizen; objecting to notifications withdraws that consent', async () => {
      const received: { type: string; data: { service_id: string; pseudonym: string } }[] = [];
      const receiver: Server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          received.push(JSON.parse(body) as (typeof received)[number]);
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const port = (receiver.address() as { port: number }).port;
        const olvido = await holder(city, clerk, { given_name: 'Olvido', email: uniqueEmail('olvido'), consents: { service_provision: true, notifications: true } }, 'OLVIDO-PROOF');
        const pablo = await holder(city, clerk, { given_name: 'Pablo', email: uniqueEmail('pablo') }, 'PABLO-PROOF');
        const subscribed = await city.request('POST', '/back-office/webhooks', { token: admin, json: { url: `http://127.0.0.1:${port}/urbis`, secret: 'a-department-secret-of-forty-characters!!', serviceIds: ['*'] } });
        expect(subscribed.status).toBe(201);
        const subscriptionId = subscribed.body.id as string;

        const objected = await city.request('PUT', '/front-office/me/objections', { token: olvido.token, json: { purposes: ['department_webhooks'] } });
        expect(objected.status).toBe(200);
        expect(objected.body).toEqual({ objectedPurposes: ['department_webhooks'] });

        const pseudonymsBefore = async (token: string) => new Map(((await exportOf(city, token)).body.services as { service_id: string; pseudonym: string }[]).map((s) => [s.service_id, s.pseudonym]));
        const olvidoLibrary = (await pseudonymsBefore(olvido.token)).get('library')!;
        const pabloLibrary = (await pseudonymsBefore(pablo.token)).get('library')!;
        // Both drop the library and take the buses.
        for (const token of [olvido.token, pablo.token]) {
          const changed = await city.request('PUT', '/front-office/me/services', { token, json: { services: [{ service_id: 'pools', tier: 'standard' }, { service_id: 'transport', tier: 'standard' }] } });
          expect(changed.status).toBe(200);
          expect(changed.body).toMatchObject({ added: ['transport'], removed: ['library'], revokedBatches: 1 });
        }
        const olvidoNow = await pseudonymsBefore(olvido.token);
        const pabloNow = await pseudonymsBefore(pablo.token);
        const olvidoPseudonyms = [olvidoLibrary, olvidoNow.get('pools')!, olvidoNow.get('transport')!];

        const deliveries = (await city.issuer.db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId).execute()).map(
          (d) => JSON.parse(d.payload) as (typeof received)[number],
        );
        expect(deliveries.map((d) => [d.type, d.data.service_id, d.data.pseudonym]).sort()).toEqual(
          [
            ['entitlement.granted', 'transport', pabloNow.get('transport')],
            ['entitlement.revoked', 'library', pabloLibrary],
          ].sort(),
        );
        for (const d of deliveries) expect(olvidoPseudonyms).not.toContain(d.data.pseudonym);

        // The department receives Pablo's events, never Olvido's.
        await waitFor(() => received.length >= 2, 10_000);
        expect(received.map((e) => e.data.pseudonym).sort()).toEqual([pabloLibrary, pabloNow.get('transport')].sort());

        // Objecting to notifications records a consent withdrawal in the history.
        const consentsBefore = (await exportOf(city, olvido.token)).body.consents as { purpose: string; granted: boolean }[];
        expect(consentsBefore.filter((c) => c.purpose === 'notifications').map((c) => c.granted)).toEqual([true]);
        const both = await city.request('PUT', '/front-office/me/objections', { token: olvido.token, json: { purposes: ['department_webhooks', 'notifications'] } });
        expect(both.status).toBe(200);
        expect(both.body).toEqual({ objectedPurposes: ['department_webhooks', 'notifications'] });
        const data = (await exportOf(city, olvido.token)).body;
        expect(data.citizen.objectedPurposes).toEqual(['department_webhooks', 'notifications']);
        expect(data.consents).toHaveLength(consentsBefore.length + 1);
        expect(data.consents.at(-1)).toMatchObject({ purpose: 'notifications', granted: false });
        expect((await city.request('GET', '/front-office/me/portable', { token: olvido.token })).body.enrolment.consents).toEqual({ service_provision: true, notifications: false });
        expect(data.processingRecords.some((r: { action: string }) => r.action === 'gdpr.objected')).toBe(true);
      } finally {
        receiver.closeAllConnections();
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }
    });

    test('consents: service_provision cannot be withdrawn here (CONSENT_MISSING); other purposes can change', async () => {
      const celia = await holder(city, clerk, { given_name: 'Celia', email: uniqueEmail('celia') }, 'CELIA-PROOF');
      const history = async () => (await exportOf(city, celia.token)).body.consents as { purpose: string; granted: boolean }[];
      const before = await history();
      for (const consents of [{ service_provision: false }, { service_provision: false, statistics: true }]) {
        const refused = await city.request('PUT', '/front-office/me/consents', { token: celia.token, json: { consents } });
        expect(refused.status).toBe(400);
        expect(refused.body.code).toBe('CONSENT_MISSING');
      }
      expect(await history()).toEqual(before);
      const granted = await city.request('PUT', '/front-office/me/consents', { token: celia.token, json: { consents: { statistics: true } } });
      expect(granted.status).toBe(200);
      expect(granted.body.consents).toEqual({ service_provision: true, notifications: false, statistics: true });
      expect((await batchesOf(city, celia.token)).map((b) => b.state)).toEqual(['active', 'active', 'active']);
    });
  });
}

for (const engine of ['sqlite', 'postgres'] as const) {
  if (engine === 'postgres' && !POSTGRES_AVAILABILITY.ok) {
    describe.skip(`GDPR rights over HTTP [postgres] — skipped: PostgreSQL at ${TEST_POSTGRES_URL} did not answer (${POSTGRES_AVAILABILITY.reason})`, () => {
      test('needs PostgreSQL', () => undefined);
    });
    continue;
  }
  gdprSuite(engine);
}
