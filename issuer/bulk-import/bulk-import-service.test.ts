import { UrbisError } from '../../core/errors/urbis-error.js';
import { createAuditLog } from '../audit/audit-log.js';
import { createCatalogueRepository } from '../catalogue/catalogue-repository.js';
import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { isApplicationReference, newCardNumber } from '../enrolment/application-reference.js';
import { createCitizenRepository, type CitizenRepository } from '../enrolment/citizen-repository.js';
import { createBulkImport } from './bulk-import-service.js';
import { CARD_HOLDER_COLUMNS } from './card-holder-csv.js';

const NOW = Date.UTC(2026, 4, 1, 9, 30);
const STAFF = '5d0c7c1e-4b7e-4a55-9a43-1f0c2a6b9e10';

type Holder = Record<(typeof CARD_HOLDER_COLUMNS)[number], string>;

function holders(): { good: Holder[]; bad: Holder[] } {
  const good: Holder[] = [
    { card_number: newCardNumber(), given_name: 'Ana', family_name: 'García Suárez', birthdate: '1950-03-04', email: 'ana.garcia@correo.example', phone: '', street_address: 'Calle Corrida 12, 3º', postal_code: '33201', locality: 'Gijón', country: 'ES', resident_since: '2001-06-15', services: 'pools:senior;library:standard' },
    { card_number: newCardNumber(), given_name: 'Bruno', family_name: 'Fernández Alonso', birthdate: '2004-11-20', email: '', phone: '+34 611 222 333', street_address: 'Avenida de la Costa 45', postal_code: '33205', locality: 'Gijón', country: 'ES', resident_since: '2004-11-20', services: 'youth-pass:youth' },
    { card_number: newCardNumber(), given_name: 'Carmen', family_name: 'Menéndez Prieto', birthdate: '1978-07-01', email: 'carmen.menendez@correo.example', phone: '+34 622 444 555', street_address: 'Plaza Mayor 1', postal_code: '33202', locality: 'Gijón', country: 'ES', resident_since: '1990-01-01', services: '' },
  ];
  const bad: Holder[] = [
    { ...good[0]!, card_number: newCardNumber(), given_name: 'Diego', family_name: 'Rodríguez Vega', email: 'diego.rodriguez-at-correo', street_address: 'Calle Uría 7' },
    { ...good[2]!, card_number: newCardNumber(), given_name: 'Elena', family_name: 'Álvarez Cuesta', email: 'elena.alvarez@correo.example', street_address: 'Calle Begoña 20', services: 'opera:standard' },
  ];
  return { good, bad };
}

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const toCsv = (rows: Holder[]) => `${CARD_HOLDER_COLUMNS.join(',')}\r\n${rows.map((r) => CARD_HOLDER_COLUMNS.map((c) => quote(r[c])).join(',')).join('\r\n')}\r\n`;

/** Good rows on lines 2, 4, 6; bad rows on lines 3 and 5. */
function mixedFile() {
  const { good, bad } = holders();
  return { good, bad, csv: toCsv([good[0]!, bad[0]!, good[1]!, bad[1]!, good[2]!]) };
}

const EXPECTED_BAD = [
  { line: 3, fields: ['email'], code: 'BODY_INVALID' },
  { line: 5, fields: ['services'], code: 'SERVICE_UNKNOWN' },
];

describeEachEngine('bulk import of existing card holders', (database) => {
  async function setup({ batchSize, citizens: wrap }: { batchSize?: number; citizens?: (c: CitizenRepository) => CitizenRepository } = {}) {
    const { db } = database();
    const catalogue = createCatalogueRepository({ db, now: () => NOW });
    await catalogue.seed(DEFAULT_CATALOGUE);
    const citizens = createCitizenRepository({ db });
    const audit = createAuditLog({ db, now: () => NOW });
    const bulk = createBulkImport({ citizens: wrap === undefined ? citizens : wrap(citizens), catalogue, audit, referencePrefix: 'GIJ', now: () => NOW, ...(batchSize === undefined ? {} : { batchSize }) });
    const count = async (table: 'citizens' | 'applications' | 'service_choices' | 'consents' | 'audit_log') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { db, citizens, catalogue, audit, bulk, count };
  }

  test('3 good and 2 bad rows: the good ones are citizens with a validated application, choices and the service_provision record', async () => {
    const { citizens, audit, bulk, count } = await setup();
    const { good, csv } = mixedFile();
    const report = await bulk.run({ csv, staffId: STAFF });
    expect(report).toEqual({ dryRun: false, rows: 5, imported: 3, rejected: EXPECTED_BAD, skippedExisting: 0 });
    expect(await count('citizens')).toBe(3);
    expect(await count('applications')).toBe(3);

    const ana = await citizens.citizen((await citizens.citizenIdByCardNumber(good[0]!.card_number))!);
    expect(ana).toMatchObject({
      cardNumber: good[0]!.card_number,
      given_name: 'Ana',
      family_name: 'García Suárez',
      birthdate: '1950-03-04',
      email: 'ana.garcia@correo.example',
      address: { street_address: 'Calle Corrida 12, 3º', postal_code: '33201', locality: 'Gijón', country: 'ES' },
      resident_since: '2001-06-15',
      restricted: false,
      createdAt: NOW,
    });
    expect(ana).not.toHaveProperty('phone');
    const [application, ...others] = await citizens.applications(ana.id);
    expect(others).toEqual([]);
    expect(application).toMatchObject({ state: 'validated', decidedBy: STAFF, decidedAt: NOW, submittedAt: NOW });
    expect(application!.reference.startsWith('GIJ-') && isApplicationReference(application!.reference)).toBe(true);
    expect((await citizens.choices(ana.id)).map(({ service_id, tier, chosenAt }) => [service_id, tier, chosenAt])).toEqual([
      ['library', 'standard', NOW],
      ['pools', 'senior', NOW],
    ]);
    expect(await citizens.consents(ana.id)).toEqual([{ purpose: 'service_provision', granted: true, recordedAt: NOW }]);

    const bruno = (await citizens.citizenIdByCardNumber(good[1]!.card_number))!;
    expect(await citizens.choices(bruno)).toEqual([{ service_id: 'youth-pass', tier: 'youth', chosenAt: NOW }]);
    expect((await citizens.citizen(bruno)).phone).toBe('+34 611 222 333');
    const carmen = (await citizens.citizenIdByCardNumber(good[2]!.card_number))!;
    expect(await citizens.choices(carmen)).toEqual([]);
    expect((await citizens.latestApplication(carmen))!.state).toBe('validated');

    const entries = await audit.list();
    expect(entries).toEqual([{ id: expect.any(Number), at: NOW, actor: { kind: 'staff', id: STAFF }, action: 'import.completed', detail: { rows: 5, accepted: 3, rejected: 2 } }]);
  });

  test('importing the same file again: every row rejected, the held card numbers as CARD_NUMBER_TAKEN', async () => {
    const { bulk, count, audit } = await setup();
    const { csv } = mixedFile();
    await bulk.run({ csv, staffId: STAFF });
    const again = await bulk.run({ csv, staffId: STAFF });
    expect(again).toEqual({
      dryRun: false,
      rows: 5,
      imported: 0,
      skippedExisting: 3,
      rejected: [
        { line: 2, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' },
        EXPECTED_BAD[0],
        { line: 4, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' },
        EXPECTED_BAD[1],
        { line: 6, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' },
      ],
    });
    expect(await count('citizens')).toBe(3);
    expect(await count('applications')).toBe(3);
    expect(await count('consents')).toBe(3);
    expect((await audit.list()).map((e) => e.detail)).toEqual([
      { rows: 5, accepted: 0, rejected: 5 },
      { rows: 5, accepted: 3, rejected: 2 },
    ]);
  });

  test('a card number held by a citizen enrolled otherwise is refused too', async () => {
    const { db, bulk } = await setup();
    const { good, csv } = mixedFile();
    const existing = holders().good[0]!;
    await createCitizenRepository({ db }).insertCitizen(db, {
      id: 'already-there',
      cardNumber: good[1]!.card_number,
      identity: { given_name: existing.given_name, family_name: existing.family_name, birthdate: existing.birthdate, email: existing.email, address: { street_address: existing.street_address, postal_code: existing.postal_code, locality: existing.locality, country: existing.country }, resident_since: existing.resident_since },
      now: NOW,
    });
    const report = await bulk.run({ csv, staffId: STAFF });
    expect(report.imported).toBe(2);
    expect(report.skippedExisting).toBe(1);
    expect(report.rejected).toEqual([EXPECTED_BAD[0], { line: 4, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' }, EXPECTED_BAD[1]]);
  });

  test('dryRun reports what a run would do and writes nothing, not even the audit entry', async () => {
    const { bulk, count } = await setup();
    const { csv } = mixedFile();
    const dry = await bulk.run({ csv, staffId: STAFF, dryRun: true });
    expect(dry).toEqual({ dryRun: true, rows: 5, imported: 3, rejected: EXPECTED_BAD, skippedExisting: 0 });
    for (const table of ['citizens', 'applications', 'service_choices', 'consents', 'audit_log'] as const) expect(await count(table)).toBe(0);

    await bulk.run({ csv, staffId: STAFF });
    const dryAgain = await bulk.run({ csv, staffId: STAFF, dryRun: true });
    expect(dryAgain).toMatchObject({ imported: 0, skippedExisting: 3 });
    expect(dryAgain.rejected.filter((r) => r.code === 'CARD_NUMBER_TAKEN').map((r) => r.line)).toEqual([2, 4, 6]);
    expect(await count('citizens')).toBe(3);
    expect(await count('audit_log')).toBe(1);
  });

  test('the report and the audit entry carry no personal values from the file', async () => {
    const { bulk, audit } = await setup();
    const { good, bad, csv } = mixedFile();
    const first = JSON.stringify(await bulk.run({ csv, staffId: STAFF }));
    const second = JSON.stringify(await bulk.run({ csv, staffId: STAFF }));
    const dry = JSON.stringify(await bulk.run({ csv, staffId: STAFF, dryRun: true }));
    const trail = JSON.stringify(await audit.list());
    const personal = [...good, ...bad].flatMap((h) => [h.card_number, h.given_name, h.family_name, h.birthdate, h.email, h.phone, h.street_address, h.postal_code, h.resident_since, 'Gijón', 'correo']).filter((v) => v.length > 0);
    expect(personal.length).toBeGreaterThan(40);
    for (const text of [first, second, dry, trail]) for (const value of personal) expect(text).not.toContain(value);
  });

  test('rows go in batches: every batch in its own transaction, all rows imported', async () => {
    const { bulk, count } = await setup({ batchSize: 2 });
    const rows = [...holders().good, ...holders().good, ...holders().good];
    const report = await bulk.run({ csv: toCsv(rows), staffId: STAFF });
    expect(report).toMatchObject({ rows: 9, imported: 9, rejected: [], skippedExisting: 0 });
    expect(await count('citizens')).toBe(9);
    expect(await count('service_choices')).toBe(9);
  });

  test('a batch that loses a card-number race is rolled back and run again', async () => {
    let calls = 0;
    const { bulk, count } = await setup({
      batchSize: 2,
      citizens: (c) => ({
        ...c,
        async insertCitizen(tx, args) {
          calls += 1;
          await c.insertCitizen(tx, args);
          if (calls === 2) throw new UrbisError('CARD_NUMBER_TAKEN', 'simulated race');
        },
      }),
    });
    const report = await bulk.run({ csv: toCsv(holders().good), staffId: STAFF });
    expect(report).toMatchObject({ imported: 3, rejected: [], skippedExisting: 0 });
    expect(await count('citizens')).toBe(3);
    expect(await count('applications')).toBe(3);
  });

  test('a database failure keeps the committed batches and audits import.failed with the counts so far', async () => {
    let calls = 0;
    const { bulk, count, audit } = await setup({
      batchSize: 2,
      citizens: (c) => ({
        ...c,
        async insertCitizen(tx, args) {
          calls += 1;
          if (calls === 3) throw new Error('disk full');
          await c.insertCitizen(tx, args);
        },
      }),
    });
    const { csv } = mixedFile();
    await expect(bulk.run({ csv, staffId: STAFF })).rejects.toThrow('disk full');
    expect(await count('citizens')).toBe(2);
    expect(await count('applications')).toBe(2);
    expect((await audit.list()).map((e) => [e.action, e.detail])).toEqual([['import.failed', { rows: 5, accepted: 2, rejected: 2 }]]);
  });

  test('a structurally bad file throws before anything is written', async () => {
    const { bulk, count, citizens, catalogue, audit } = await setup();
    const { csv } = mixedFile();
    await expect(bulk.run({ csv: csv.replace('services', 'servicios'), staffId: STAFF })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    const small = createBulkImport({ citizens, catalogue, audit, referencePrefix: 'GIJ', now: () => NOW, limits: { maxRows: 4 } });
    await expect(small.run({ csv, staffId: STAFF })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    await expect(bulk.run({ csv, staffId: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    for (const table of ['citizens', 'applications', 'audit_log'] as const) expect(await count(table)).toBe(0);
  });
});
