import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createAuditLog, type AuditLog } from '../audit/audit-log.js';
import { createCatalogueRepository } from '../catalogue/catalogue-repository.js';
import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue.js';
import type { BatchState, IssuerDatabase } from '../db/database-schema.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { createDocumentVault } from '../documents/document-vault.js';
import { samplePdf, samplePng, sampleText } from '../documents/testing/document-samples.js';
import { createCredentialStatus } from '../status/credential-status.js';
import { createStatusLists } from '../status/status-lists.js';
import { createCitizenRepository } from './citizen-repository.js';
import { checkChoicesAgainstCatalogue, createEnrolmentService, dayOf } from './enrolment-service.js';
import type { EntitlementEvent } from './entitlement-events.js';
import { enrolmentBody as cityEnrolmentBody } from '../testing/city-data.js';
import { createRecordingOutbox } from '../status/testing/recording-outbox.js';

/** 2026-06-15T10:00:00Z */
const NOW = Date.UTC(2026, 5, 15, 10);
const LIST = 2;

/** The city-data enrolment body with a fixed e-mail (the tests compare it). */
function enrolmentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return cityEnrolmentBody({ email: 'covadonga@example.org', ...overrides });
}

describe('checkChoicesAgainstCatalogue', () => {
  const check = (choices: { service_id: string; tier: string }[], birthdate = '1990-05-14', today = '2026-06-15') => () =>
    checkChoicesAgainstCatalogue({ choices: choices as never, catalogue: [...DEFAULT_CATALOGUE, { ...DEFAULT_CATALOGUE[1]!, id: 'closed', active: false }], birthdate, today });
  const failure = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      return (error as { code?: unknown }).code;
    }
    return undefined;
  };

  test('known active services with an offered tier pass', () => {
    expect(failure(check([{ service_id: 'pools', tier: 'senior' }, { service_id: 'transport', tier: 'disability' }]))).toBeUndefined();
    expect(failure(check([]))).toBeUndefined();
  });

  test('an unknown or inactive service is SERVICE_UNKNOWN', () => {
    expect(failure(check([{ service_id: 'zoo', tier: 'standard' }]))).toBe('SERVICE_UNKNOWN');
    expect(failure(check([{ service_id: 'closed', tier: 'standard' }]))).toBe('SERVICE_UNKNOWN');
  });

  test('a tier the service does not offer is BODY_INVALID', () => {
    expect(failure(check([{ service_id: 'library', tier: 'youth' }]))).toBe('BODY_INVALID');
  });

  test('youth pass: 14 to 30, counted in whole years on the birthday', () => {
    const youth = [{ service_id: 'youth-pass', tier: 'youth' }];
    expect(failure(check(youth, '2012-06-16'))).toBe('BODY_INVALID'); // 13, 14 tomorrow
    expect(failure(check(youth, '2012-06-15'))).toBeUndefined(); // 14 today
    expect(failure(check(youth, '1995-06-16'))).toBeUndefined(); // 30, 31 tomorrow
    expect(failure(check(youth, '1995-06-15'))).toBe('BODY_INVALID'); // 31 today
    expect(failure(check(youth, '1960-01-01'))).toBe('BODY_INVALID');
  });

  test('29 February births reach an age on 28 February in common years, as everywhere else in Urbis (core ageOver, CC art. 5.1)', () => {
    const youth = [{ service_id: 'youth-pass', tier: 'youth' }];
    expect(failure(check(youth, '2012-02-29', '2026-02-27'))).toBe('BODY_INVALID'); // 13
    expect(failure(check(youth, '2012-02-29', '2026-02-28'))).toBeUndefined(); // 14 today
    expect(failure(check(youth, '1996-02-29', '2027-02-27'))).toBeUndefined(); // 30
    expect(failure(check(youth, '1996-02-29', '2027-02-28'))).toBe('BODY_INVALID'); // 31 today
  });

  test('dayOf gives the UTC calendar day', () => {
    expect(dayOf(NOW)).toBe('2026-06-15');
    expect(dayOf(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe('2026-12-31');
  });
});

describeEachEngine('enrolment service', (database) => {
  let documentsDir: string;
  beforeEach(() => {
    documentsDir = mkdtempSync(join(tmpdir(), 'urbis-enrolment-docs-'));
  });
  afterEach(() => {
    rmSync(documentsDir, { recursive: true, force: true });
  });

  async function setup({ audit: auditOverride, maxDocumentBytes }: { audit?: (real: AuditLog) => AuditLog; maxDocumentBytes?: number } = {}) {
    const { db } = database();
    const citizens = createCitizenRepository({ db });
    const catalogue = createCatalogueRepository({ db, now: () => NOW });
    await catalogue.seed(DEFAULT_CATALOGUE);
    const vault = createDocumentVault({ directory: documentsDir, key: new Uint8Array(randomBytes(32)), ...(maxDocumentBytes === undefined ? {} : { maxBytes: maxDocumentBytes }) });
    const realAudit = createAuditLog({ db, now: () => NOW });
    const audit = auditOverride === undefined ? realAudit : auditOverride(realAudit);
    const outbox = createRecordingOutbox();
    const { recorded } = outbox;
    const statusLists = createStatusLists({ db, randomBytes: (n) => new Uint8Array(randomBytes(n)) });
    await statusLists.register({ listId: LIST, uri: 'https://gijon.city.example/status/2', size: 1_024 });
    const credentialStatus = createCredentialStatus({ db, statusLists, outbox });
    const events: EntitlementEvent[] = [];
    let clock = NOW;
    const service = createEnrolmentService({ citizens, catalogue, vault, audit, credentialStatus, events: { publish: async (event) => void events.push(event) }, referencePrefix: 'GIJ', now: () => clock });
    return { db, citizens, catalogue, vault, audit: realAudit, recorded, events, service, setClock: (at: number) => (clock = at) };
  }

  const countRows = async (db: Kysely<IssuerDatabase>) =>
    Object.fromEntries(
      await Promise.all(
        (['citizens', 'applications', 'service_choices', 'consents', 'documents', 'audit_log'] as const).map(async (table) => [table, (await db.selectFrom(table).selectAll().execute()).length] as const),
      ),
    );

  test('enrol writes the citizen, a submitted application, the choices, the consents and an audit entry', async () => {
    const { db, citizens, audit, service } = await setup();
    const { citizenId, application } = await service.enrol(enrolmentBody({ email: 'Covadonga@Example.org' }));
    expect(application).toEqual({ id: expect.any(String), reference: expect.stringMatching(/^GIJ-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/), citizenId, state: 'submitted', submittedAt: NOW });
    expect(await citizens.citizen(citizenId)).toEqual({
      id: citizenId,
      given_name: 'Covadonga',
      family_name: 'Fernández Suárez',
      birthdate: '1990-05-14',
      email: 'covadonga@example.org',
      address: { street_address: 'Calle Corrida 12, 3º B', postal_code: '33206', locality: 'Gijón', country: 'ES' },
      resident_since: '2015-09-01',
      restricted: false,
      objectedPurposes: [],
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(await citizens.choices(citizenId)).toEqual([
      { service_id: 'library', tier: 'standard', chosenAt: NOW },
      { service_id: 'pools', tier: 'standard', chosenAt: NOW },
    ]);
    expect(await citizens.consents(citizenId)).toEqual([
      { purpose: 'service_provision', granted: true, recordedAt: NOW },
      { purpose: 'notifications', granted: false, recordedAt: NOW },
    ]);
    expect(await audit.list()).toEqual([
      { id: expect.any(Number), at: NOW, actor: { kind: 'citizen', id: citizenId }, action: 'application.submitted', target: { kind: 'application', id: application.id }, detail: { serviceIds: ['pools', 'library'] } },
    ]);
    expect(await countRows(db)).toEqual({ citizens: 1, applications: 1, service_choices: 2, consents: 2, documents: 0, audit_log: 1 });
  });

  test('enrol is one transaction: a failure at its last write leaves nothing behind', async () => {
    const { db, service } = await setup({
      audit: (real) => ({
        ...real,
        record: async (entry, tx) => {
          await real.record(entry, tx);
          throw new Error('audit store failed');
        },
      }),
    });
    await expect(service.enrol(enrolmentBody())).rejects.toThrow('audit store failed');
    expect(await countRows(db)).toEqual({ citizens: 0, applications: 0, service_choices: 0, consents: 0, documents: 0, audit_log: 0 });
  });

  test('enrol refuses bad bodies, missing consent, unknown services, tiers and age limits, and writes nothing', async () => {
    const { db, catalogue, service } = await setup();
    await catalogue.put({ ...DEFAULT_CATALOGUE.find((s) => s.id === 'parking')!, active: false });
    const cases: [Record<string, unknown>, string][] = [
      [enrolmentBody({ birthdate: '2026-06-16' }), 'BODY_INVALID'],
      [enrolmentBody({ nickname: 'x' }), 'BODY_INVALID'],
      [enrolmentBody({ consents: { service_provision: false } }), 'CONSENT_MISSING'],
      [enrolmentBody({ services: [{ service_id: 'zoo', tier: 'standard' }] }), 'SERVICE_UNKNOWN'],
      [enrolmentBody({ services: [{ service_id: 'parking', tier: 'standard' }] }), 'SERVICE_UNKNOWN'],
      [enrolmentBody({ services: [{ service_id: 'library', tier: 'senior' }] }), 'BODY_INVALID'],
      [enrolmentBody({ services: [{ service_id: 'youth-pass', tier: 'youth' }] }), 'BODY_INVALID'], // 36 years old
      [enrolmentBody({ birthdate: '2012-06-16', resident_since: '2012-06-16', services: [{ service_id: 'youth-pass', tier: 'youth' }] }), 'BODY_INVALID'], // 13
    ];
    for (const [body, code] of cases) await expect(service.enrol(body)).rejects.toMatchObject({ code });
    expect(await countRows(db)).toEqual({ citizens: 0, applications: 0, service_choices: 0, consents: 0, documents: 0, audit_log: 0 });
    const ok = await service.enrol(enrolmentBody({ birthdate: '2012-06-15', resident_since: '2012-06-15', services: [{ service_id: 'youth-pass', tier: 'youth' }] }));
    expect(ok.application.state).toBe('submitted');
  });

  test('two enrolments get their own citizens and references', async () => {
    const { service } = await setup();
    const a = await service.enrol(enrolmentBody());
    const b = await service.enrol(enrolmentBody());
    expect(a.citizenId).not.toBe(b.citizenId);
    expect(a.application.reference).not.toBe(b.application.reference);
  });

  test('addDocument stores a real PDF encrypted, linked to the latest application, and audits it', async () => {
    const { citizens, vault, audit, service, setClock } = await setup();
    const { citizenId, application } = await service.enrol(enrolmentBody());
    setClock(NOW + 1_000);
    const pdf = samplePdf();
    const doc = await service.addDocument({ citizenId, kind: 'proof_of_address', bytes: pdf, declaredType: 'application/pdf' });
    expect(doc).toEqual({ id: expect.any(String), kind: 'proof_of_address', mime: 'application/pdf', size: pdf.byteLength, sha256: createHash('sha256').update(pdf).digest('hex'), applicationId: application.id, uploadedAt: NOW + 1_000 });
    expect(doc).not.toHaveProperty('storageKey');
    const stored = await citizens.document(doc.id);
    expect(stored.citizenId).toBe(citizenId);
    const opened = await vault.get(stored.storageKey);
    expect(Buffer.from(opened.bytes).equals(Buffer.from(pdf))).toBe(true);
    expect(opened.mime).toBe('application/pdf');
    expect(readdirSync(documentsDir)).toEqual([`${stored.storageKey}.udoc`]);
    const entries = await audit.list({ action: 'document.uploaded' });
    expect(entries).toEqual([{ id: expect.any(Number), at: NOW, actor: { kind: 'citizen', id: citizenId }, action: 'document.uploaded', target: { kind: 'document', id: doc.id }, detail: { documentKind: 'proof_of_address' } }]);
    // A PNG by a clerk, without a declared type.
    const png = await service.addDocument({ citizenId, kind: 'identity_document', bytes: samplePng(), actor: { kind: 'staff', id: 'clerk-1' } });
    expect(png.mime).toBe('image/png');
    expect((await audit.list({ action: 'document.uploaded' }))[0]!.actor).toEqual({ kind: 'staff', id: 'clerk-1' });
  });

  test('a citizen without an application can still file a document (no applicationId)', async () => {
    const { db, citizens, service } = await setup();
    const { citizenId } = await service.enrol(enrolmentBody());
    await db.deleteFrom('applications').execute();
    const doc = await service.addDocument({ citizenId, kind: 'student_card', bytes: samplePdf() });
    expect(doc).not.toHaveProperty('applicationId');
    expect((await citizens.documents(citizenId)).map((d) => d.id)).toEqual([doc.id]);
  });

  test('addDocument errors: kind (BODY_INVALID), unknown citizen, type, size, restriction; no file is left behind', async () => {
    const { citizens, service } = await setup({ maxDocumentBytes: 2_048 });
    const { citizenId } = await service.enrol(enrolmentBody());
    for (const kind of [undefined, 'passport', '', 3, ['proof_of_address']]) {
      await expect(service.addDocument({ citizenId, kind, bytes: samplePdf() })).rejects.toMatchObject({ code: 'BODY_INVALID', message: 'kind is missing or invalid' });
    }
    await expect(service.addDocument({ citizenId: randomUUID(), kind: 'proof_of_address', bytes: samplePdf() })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(service.addDocument({ citizenId, kind: 'proof_of_address', bytes: sampleText() })).rejects.toMatchObject({ code: 'DOCUMENT_TYPE_UNSUPPORTED' });
    await expect(service.addDocument({ citizenId, kind: 'proof_of_address', bytes: samplePng(), declaredType: 'application/pdf' })).rejects.toMatchObject({ code: 'DOCUMENT_TYPE_UNSUPPORTED' });
    await expect(service.addDocument({ citizenId, kind: 'proof_of_address', bytes: new Uint8Array(2_049) })).rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
    await citizens.setFlags(citizens.db, { id: citizenId, restricted: true, now: NOW });
    await expect(service.addDocument({ citizenId, kind: 'proof_of_address', bytes: samplePdf() })).rejects.toMatchObject({ code: 'PROCESSING_RESTRICTED' });
    expect(await citizens.documents(citizenId)).toEqual([]);
    expect(readdirSync(documentsDir).filter((f) => f.endsWith('.udoc'))).toEqual([]);
  });

  test('when recording the document fails, its encrypted file is deleted', async () => {
    const { citizens, service } = await setup({
      audit: (real) => ({
        ...real,
        record: async (entry, tx) => {
          if (entry.action === 'document.uploaded') throw new Error('audit store failed');
          return real.record(entry, tx);
        },
      }),
    });
    const { citizenId } = await service.enrol(enrolmentBody());
    await expect(service.addDocument({ citizenId, kind: 'proof_of_address', bytes: samplePdf() })).rejects.toThrow('audit store failed');
    expect(await citizens.documents(citizenId)).toEqual([]);
    expect(readdirSync(documentsDir).filter((f) => f.endsWith('.udoc'))).toEqual([]);
  });

  test('status: application, choices, documents without storage keys, credentials, and the documents still missing', async () => {
    const { db, service } = await setup();
    const { citizenId, application } = await service.enrol(enrolmentBody({ birthdate: '2004-01-01', services: [{ service_id: 'library', tier: 'standard' }, { service_id: 'youth-pass', tier: 'youth' }, { service_id: 'pools', tier: 'youth' }] }));
    let status = await service.status(citizenId);
    expect(status.application).toEqual(application);
    expect(status.services.map((s) => s.service_id)).toEqual(['library', 'pools', 'youth-pass']);
    expect(status.documents).toEqual([]);
    expect(status.credentials).toEqual([]);
    expect(status.missingDocuments).toEqual(['identity_document', 'proof_of_address']);
    await service.addDocument({ citizenId, kind: 'proof_of_address', bytes: samplePdf() });
    await insertBatch(db, { citizenId, serviceId: 'pools', state: 'active', copies: 1, list: LIST, firstIndex: 0 });
    status = await service.status(citizenId);
    expect(status.missingDocuments).toEqual(['identity_document']);
    expect(status.documents).toHaveLength(1);
    expect(status.documents[0]).not.toHaveProperty('storageKey');
    expect(status.credentials).toMatchObject([{ serviceId: 'pools', state: 'active', copies: 1 }]);
    // Only the library left: it needs no document.
    await service.changeServices({ citizenId, services: [{ service_id: 'library', tier: 'standard' }] });
    expect((await service.status(citizenId)).missingDocuments).toEqual([]);
    // A chosen service since removed from the catalogue asks for nothing.
    await db.insertInto('service_choices').values({ citizen_id: citizenId, service_id: 'retired-service', tier: 'standard', chosen_at: NOW }).execute();
    expect((await service.status(citizenId)).missingDocuments).toEqual([]);
  });

  test('status of an unknown citizen is empty', async () => {
    const { service } = await setup();
    expect(await service.status(randomUUID())).toEqual({ services: [], documents: [], credentials: [], missingDocuments: [] });
  });

  test('changeServices: added, changed and removed; stale entitlement batches revoked; departments told', async () => {
    const { db, citizens, audit, recorded, events, service, setClock } = await setup();
    const { citizenId } = await service.enrol(enrolmentBody({ services: [{ service_id: 'pools', tier: 'standard' }, { service_id: 'library', tier: 'standard' }, { service_id: 'transport', tier: 'standard' }] }));
    const pools = await insertBatch(db, { citizenId, serviceId: 'pools', state: 'active', copies: 2, list: LIST, firstIndex: 0 });
    const poolsSuspended = await insertBatch(db, { citizenId, serviceId: 'pools', state: 'suspended', copies: 1, list: LIST, firstIndex: 2 });
    const poolsRevoked = await insertBatch(db, { citizenId, serviceId: 'pools', state: 'revoked', copies: 1, list: LIST, firstIndex: 3 });
    const transport = await insertBatch(db, { citizenId, serviceId: 'transport', state: 'active', copies: 2, list: LIST, firstIndex: 4 });
    const library = await insertBatch(db, { citizenId, serviceId: 'library', state: 'active', copies: 1, list: LIST, firstIndex: 6 });
    const resident = await insertBatch(db, { citizenId, state: 'active', copies: 2, list: LIST, firstIndex: 7 });

    setClock(NOW + 60_000);
    const result = await service.changeServices({
      citizenId,
      services: [
        { service_id: 'library', tier: 'standard' },
        { service_id: 'transport', tier: 'youth' },
        { service_id: 'sports-booking', tier: 'standard' },
      ],
    });
    expect(result).toEqual({
      services: [
        { service_id: 'library', tier: 'standard', chosenAt: NOW },
        { service_id: 'sports-booking', tier: 'standard', chosenAt: NOW + 60_000 },
        { service_id: 'transport', tier: 'youth', chosenAt: NOW + 60_000 },
      ],
      added: ['sports-booking'],
      changed: ['transport'],
      removed: ['pools'],
      revokedBatches: 3,
    });
    const stateOf = async (id: string) => (await db.selectFrom('issued_batches').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
    for (const id of [pools, poolsSuspended, poolsRevoked, transport]) expect(await stateOf(id)).toBe('revoked');
    for (const id of [library, resident]) expect(await stateOf(id)).toBe('active');
    expect([...recorded].sort((a, b) => a.index - b.index)).toEqual([0, 1, 2, 4, 5].map((index) => ({ listId: LIST, index, value: 1, reason: 'holder-request' })));
    // The application is not validated yet: no grant for the added service.
    expect(events).toEqual([
      { type: 'entitlement.revoked', citizenId, serviceId: 'pools', state: 'revoked' },
      { type: 'entitlement.changed', citizenId, serviceId: 'transport', tier: 'youth', state: 'active' },
    ]);
    expect(await audit.list({ action: 'services.changed' })).toEqual([
      { id: expect.any(Number), at: NOW, actor: { kind: 'citizen', id: citizenId }, action: 'services.changed', target: { kind: 'citizen', id: citizenId }, detail: { serviceIds: ['library', 'transport', 'sports-booking'] } },
    ]);
    expect((await citizens.choices(citizenId)).map((c) => c.service_id)).toEqual(['library', 'sports-booking', 'transport']);
  });

  test('changeServices after validation grants the added services', async () => {
    const { db, citizens, recorded, events, service } = await setup();
    const { citizenId, application } = await service.enrol(enrolmentBody());
    expect(await citizens.decideApplication(db, { id: application.id, state: 'validated', staffId: 'clerk-1', now: NOW })).toBe(true);
    const result = await service.changeServices({ citizenId, services: [{ service_id: 'pools', tier: 'standard' }, { service_id: 'library', tier: 'standard' }, { service_id: 'waste-centre', tier: 'standard' }, { service_id: 'transport', tier: 'senior' }] });
    expect(result).toMatchObject({ added: ['waste-centre', 'transport'], changed: [], removed: [], revokedBatches: 0 });
    expect(recorded).toEqual([]);
    expect(events).toEqual([
      { type: 'entitlement.granted', citizenId, serviceId: 'waste-centre', tier: 'standard', state: 'active' },
      { type: 'entitlement.granted', citizenId, serviceId: 'transport', tier: 'senior', state: 'active' },
    ]);
  });

  test('the same choice again changes nothing and revokes nothing', async () => {
    const { recorded, events, service } = await setup();
    const { citizenId } = await service.enrol(enrolmentBody());
    const result = await service.changeServices({ citizenId, services: [{ service_id: 'library', tier: 'standard' }, { service_id: 'pools', tier: 'standard' }] });
    expect(result).toMatchObject({ added: [], changed: [], removed: [], revokedBatches: 0 });
    expect(recorded).toEqual([]);
    expect(events).toEqual([]);
  });

  test('changeServices errors: BODY_INVALID, SERVICE_UNKNOWN, age limit, unknown citizen, PROCESSING_RESTRICTED; nothing changes', async () => {
    const { db, citizens, recorded, events, service } = await setup();
    const { citizenId } = await service.enrol(enrolmentBody());
    await insertBatch(db, { citizenId, serviceId: 'pools', state: 'active', copies: 1, list: LIST, firstIndex: 0 });
    const before = await citizens.choices(citizenId);
    await expect(service.changeServices({ citizenId, services: 'pools' })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    await expect(service.changeServices({ citizenId, services: [{ service_id: 'pools', tier: 'standard' }, { service_id: 'pools', tier: 'youth' }] })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    await expect(service.changeServices({ citizenId, services: [{ service_id: 'zoo', tier: 'standard' }] })).rejects.toMatchObject({ code: 'SERVICE_UNKNOWN' });
    await expect(service.changeServices({ citizenId, services: [{ service_id: 'youth-pass', tier: 'youth' }] })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    await expect(service.changeServices({ citizenId: randomUUID(), services: [] })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await citizens.setFlags(db, { id: citizenId, restricted: true, now: NOW });
    await expect(service.changeServices({ citizenId, services: [] })).rejects.toMatchObject({ code: 'PROCESSING_RESTRICTED' });
    expect(await citizens.choices(citizenId)).toEqual(before);
    expect(recorded).toEqual([]);
    expect(events).toEqual([]);
    const batches = await db.selectFrom('issued_batches').select('state').execute();
    expect(batches).toEqual([{ state: 'active' }]);
  });
});

async function insertBatch(
  db: Kysely<IssuerDatabase>,
  { citizenId, serviceId, state, copies, list, firstIndex }: { citizenId: string; serviceId?: string; state: BatchState; copies: number; list: number; firstIndex: number },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('issued_batches')
    .values({
      id,
      citizen_id: citizenId,
      configuration_id: serviceId === undefined ? 'resident.dc+sd-jwt' : `entitlement-${serviceId}.dc+sd-jwt`,
      credential_type: serviceId === undefined ? 'ResidentCredential' : 'ServiceEntitlementCredential',
      service_id: serviceId ?? null,
      format: 'dc+sd-jwt',
      state,
      issued_at: NOW,
      valid_until: NOW + 365 * 86_400_000,
    })
    .execute();
  await db
    .insertInto('issued_copies')
    .values(Array.from({ length: copies }, (_, i) => ({ batch_id: id, status_list_id: list, status_index: firstIndex + i })))
    .execute();
  return id;
}
