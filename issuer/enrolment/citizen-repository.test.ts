import { randomUUID } from 'node:crypto';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { createCitizenRepository } from './citizen-repository.js';
import type { IdentityInput } from './enrolment-input.js';

const T0 = 1_790_000_000_000;

const IDENTITY: IdentityInput = {
  given_name: 'Covadonga',
  family_name: 'Fernández Suárez',
  birthdate: '1990-05-14',
  email: 'covadonga@example.org',
  phone: '+34 600 123 456',
  address: { street_address: 'Calle Corrida 12', postal_code: '33206', locality: 'Gijón', country: 'ES' },
  resident_since: '2015-09-01',
};

describeEachEngine('citizen repository', (database) => {
  const setup = () => {
    const { db } = database();
    const citizens = createCitizenRepository({ db });
    const enrol = async ({ identity = IDENTITY, cardNumber, now = T0 }: { identity?: IdentityInput; cardNumber?: string; now?: number } = {}) => {
      const id = randomUUID();
      await citizens.insertCitizen(db, { id, identity, ...(cardNumber === undefined ? {} : { cardNumber }), now });
      return id;
    };
    return { db, citizens, enrol };
  };

  test('inserts and reads a citizen back; optional fields absent when null', async () => {
    const { db, citizens, enrol } = setup();
    expect(citizens.db).toBe(db);
    const id = await enrol({ cardNumber: '1234567897' });
    expect(await citizens.citizen(id)).toEqual({ id, cardNumber: '1234567897', ...IDENTITY, restricted: false, objectedPurposes: [], createdAt: T0, updatedAt: T0 });
    const { email: _e, phone: _p, ...bare } = IDENTITY;
    const other = await enrol({ identity: bare });
    const read = await citizens.citizen(other);
    expect(read).toEqual({ id: other, ...bare, restricted: false, objectedPurposes: [], createdAt: T0, updatedAt: T0 });
    expect(read).not.toHaveProperty('cardNumber');
    expect(read).not.toHaveProperty('email');
    expect(read).not.toHaveProperty('phone');
  });

  test('an unknown citizen is RESOURCE_NOT_FOUND', async () => {
    const { citizens } = setup();
    await expect(citizens.citizen('missing')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND', message: 'no such citizen' });
  });

  test('a card number held by another citizen is CARD_NUMBER_TAKEN; lookups by card number', async () => {
    const { db, citizens, enrol } = setup();
    const holder = await enrol({ cardNumber: '1234567897' });
    await expect(enrol({ cardNumber: '1234567897' })).rejects.toMatchObject({ code: 'CARD_NUMBER_TAKEN' });
    expect(await db.selectFrom('citizens').select('id').execute()).toHaveLength(1);
    expect(await citizens.citizenIdByCardNumber('1234567897')).toBe(holder);
    expect(await citizens.citizenIdByCardNumber('1000000008')).toBeUndefined();
    // Citizens without a card do not collide.
    await enrol();
    await enrol();
    expect(await db.selectFrom('citizens').select('id').execute()).toHaveLength(3);
  });

  test('another insert failure is passed on as it is (not CARD_NUMBER_TAKEN)', async () => {
    const { db, citizens } = setup();
    const id = randomUUID();
    await citizens.insertCitizen(db, { id, identity: IDENTITY, now: T0 });
    const error = await citizens.insertCitizen(db, { id, identity: IDENTITY, now: T0 }).then(
      () => undefined,
      (e: unknown) => e as { code?: unknown },
    );
    expect(error).toBeDefined();
    expect(error?.code).not.toBe('CARD_NUMBER_TAKEN');
  });

  test('updateIdentity replaces identity columns (dropping e-mail or phone) and touches updated_at only', async () => {
    const { citizens, enrol } = setup();
    const id = await enrol({ cardNumber: '1234567897' });
    const { phone: _p, ...moved } = { ...IDENTITY, family_name: 'Suárez', address: { street_address: 'Calle Uría 1', postal_code: '33003', locality: 'Oviedo', country: 'ES' } };
    await citizens.updateIdentity(citizens.db, { id, identity: moved, now: T0 + 5 });
    const read = await citizens.citizen(id);
    expect(read).toEqual({ id, cardNumber: '1234567897', ...moved, restricted: false, objectedPurposes: [], createdAt: T0, updatedAt: T0 + 5 });
    expect(read).not.toHaveProperty('phone');
  });

  test('setFlags changes only the flags given', async () => {
    const { citizens, enrol } = setup();
    const id = await enrol();
    await citizens.setFlags(citizens.db, { id, restricted: true, now: T0 + 1 });
    expect(await citizens.citizen(id)).toMatchObject({ restricted: true, objectedPurposes: [], updatedAt: T0 + 1 });
    await citizens.setFlags(citizens.db, { id, objectedPurposes: ['statistics', 'notifications'], now: T0 + 2 });
    expect(await citizens.citizen(id)).toMatchObject({ restricted: true, objectedPurposes: ['statistics', 'notifications'], updatedAt: T0 + 2 });
    await citizens.setFlags(citizens.db, { id, cardNumber: '1000000008', restricted: false, now: T0 + 3 });
    const read = await citizens.citizen(id);
    expect(read).toMatchObject({ restricted: false, objectedPurposes: ['statistics', 'notifications'], cardNumber: '1000000008', updatedAt: T0 + 3 });
    expect(read.given_name).toBe(IDENTITY.given_name);
    expect(await citizens.citizenIdByCardNumber('1000000008')).toBe(id);
  });

  test('applications: insert, list in submission order, by reference, latest; unknown reference is RESOURCE_NOT_FOUND', async () => {
    const { citizens, enrol } = setup();
    const id = await enrol();
    expect(await citizens.applications(id)).toEqual([]);
    expect(await citizens.latestApplication(id)).toBeUndefined();
    await citizens.insertApplication(citizens.db, { id: 'app-2', reference: 'GIJ-BBBB-2222', citizenId: id, now: T0 + 20 });
    await citizens.insertApplication(citizens.db, { id: 'app-1', reference: 'GIJ-AAAA-1111', citizenId: id, now: T0 + 10 });
    const first = { id: 'app-1', reference: 'GIJ-AAAA-1111', citizenId: id, state: 'submitted', submittedAt: T0 + 10 };
    expect(await citizens.applicationByReference('GIJ-AAAA-1111')).toEqual(first);
    expect((await citizens.applications(id)).map((a) => a.id)).toEqual(['app-1', 'app-2']);
    expect((await citizens.latestApplication(id))?.id).toBe('app-2');
    await expect(citizens.applicationByReference('GIJ-0000-0000')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND', message: 'no such application' });
    await expect(citizens.insertApplication(citizens.db, { id: 'app-3', reference: 'GIJ-AAAA-1111', citizenId: id, now: T0 })).rejects.toBeDefined();
  });

  test('decideApplication decides a submitted application once', async () => {
    const { citizens, enrol } = setup();
    const id = await enrol();
    await citizens.insertApplication(citizens.db, { id: 'a', reference: 'GIJ-AAAA-1111', citizenId: id, now: T0 });
    await citizens.insertApplication(citizens.db, { id: 'b', reference: 'GIJ-BBBB-2222', citizenId: id, now: T0 + 1 });
    expect(await citizens.decideApplication(citizens.db, { id: 'a', state: 'validated', staffId: 'staff-1', now: T0 + 100 })).toBe(true);
    expect(await citizens.decideApplication(citizens.db, { id: 'a', state: 'rejected', reason: 'documents-missing', staffId: 'staff-2', now: T0 + 200 })).toBe(false);
    expect(await citizens.applicationByReference('GIJ-AAAA-1111')).toEqual({ id: 'a', reference: 'GIJ-AAAA-1111', citizenId: id, state: 'validated', submittedAt: T0, decidedAt: T0 + 100, decidedBy: 'staff-1' });
    expect(await citizens.decideApplication(citizens.db, { id: 'b', state: 'rejected', reason: 'not-resident', staffId: 'staff-2', now: T0 + 300 })).toBe(true);
    expect(await citizens.applicationByReference('GIJ-BBBB-2222')).toMatchObject({ state: 'rejected', rejectionReason: 'not-resident', decidedBy: 'staff-2' });
    expect(await citizens.decideApplication(citizens.db, { id: 'missing', state: 'validated', staffId: 'staff-1', now: T0 })).toBe(false);
  });

  test('queue lists one state in submission order, with a limit and an after cursor', async () => {
    const { citizens, enrol } = setup();
    const id = await enrol();
    for (let i = 0; i < 5; i++) await citizens.insertApplication(citizens.db, { id: `app-${i}`, reference: `GIJ-AAAA-000${i}`, citizenId: id, now: T0 + i });
    await citizens.decideApplication(citizens.db, { id: 'app-2', state: 'validated', staffId: 's', now: T0 + 10 });
    expect((await citizens.queue({ state: 'submitted', limit: 10 })).map((a) => a.id)).toEqual(['app-0', 'app-1', 'app-3', 'app-4']);
    expect((await citizens.queue({ state: 'submitted', limit: 2 })).map((a) => a.id)).toEqual(['app-0', 'app-1']);
    expect((await citizens.queue({ state: 'submitted', limit: 2, after: T0 + 1 })).map((a) => a.id)).toEqual(['app-3', 'app-4']);
    expect((await citizens.queue({ state: 'validated', limit: 10 })).map((a) => a.id)).toEqual(['app-2']);
    expect(await citizens.queue({ state: 'rejected', limit: 10 })).toEqual([]);
  });

  test('replaceChoices keeps chosen_at for a service kept with the same tier, renews it for a new tier, drops removed ones', async () => {
    const { citizens, enrol } = setup();
    const id = await enrol();
    const other = await enrol();
    await citizens.replaceChoices(citizens.db, { citizenId: other, choices: [{ service_id: 'pools', tier: 'standard' }], now: T0 });
    await citizens.replaceChoices(citizens.db, {
      citizenId: id,
      choices: [
        { service_id: 'pools', tier: 'standard' },
        { service_id: 'library', tier: 'standard' },
        { service_id: 'transport', tier: 'standard' },
      ],
      now: T0,
    });
    await citizens.replaceChoices(citizens.db, {
      citizenId: id,
      choices: [
        { service_id: 'pools', tier: 'standard' },
        { service_id: 'transport', tier: 'youth' },
        { service_id: 'waste-centre', tier: 'standard' },
      ],
      now: T0 + 50,
    });
    expect(await citizens.choices(id)).toEqual([
      { service_id: 'pools', tier: 'standard', chosenAt: T0 },
      { service_id: 'transport', tier: 'youth', chosenAt: T0 + 50 },
      { service_id: 'waste-centre', tier: 'standard', chosenAt: T0 + 50 },
    ]);
    await citizens.replaceChoices(citizens.db, { citizenId: id, choices: [], now: T0 + 60 });
    expect(await citizens.choices(id)).toEqual([]);
    expect(await citizens.choices(other)).toEqual([{ service_id: 'pools', tier: 'standard', chosenAt: T0 }]);
  });

  test('consents keep their history; the latest record per purpose is current', async () => {
    const { citizens, enrol } = setup();
    const id = await enrol();
    await citizens.recordConsents(citizens.db, { citizenId: id, consents: { service_provision: true, notifications: true }, now: T0 });
    await citizens.recordConsents(citizens.db, { citizenId: id, consents: {}, now: T0 + 1 });
    await citizens.recordConsents(citizens.db, { citizenId: id, consents: { notifications: false, statistics: true }, now: T0 + 2 });
    expect(await citizens.consents(id)).toEqual([
      { purpose: 'service_provision', granted: true, recordedAt: T0 },
      { purpose: 'notifications', granted: true, recordedAt: T0 },
      { purpose: 'notifications', granted: false, recordedAt: T0 + 2 },
      { purpose: 'statistics', granted: true, recordedAt: T0 + 2 },
    ]);
    expect(await citizens.currentConsents(id)).toEqual({ service_provision: true, notifications: false, statistics: true });
    expect(await citizens.currentConsents('nobody')).toEqual({});
  });

  test('document metadata: insert, list in upload order, one by id; unknown is RESOURCE_NOT_FOUND', async () => {
    const { citizens, enrol } = setup();
    const id = await enrol();
    const doc = { id: 'd-1', kind: 'proof_of_address', mime: 'application/pdf', size: 1234, sha256: 'ab'.repeat(32), storageKey: 'AAAAAAAAAAAAAAAAAAAAAA', applicationId: 'app-1', uploadedAt: T0 + 2 };
    await citizens.insertDocument(citizens.db, { ...doc, citizenId: id });
    await citizens.insertDocument(citizens.db, { id: 'd-0', kind: 'identity_document', mime: 'image/png', size: 10, sha256: 'cd'.repeat(32), storageKey: 'BBBBBBBBBBBBBBBBBBBBBB', uploadedAt: T0 + 1, citizenId: id });
    const listed = await citizens.documents(id);
    expect(listed.map((d) => d.id)).toEqual(['d-0', 'd-1']);
    expect(listed[1]).toEqual(doc);
    expect(listed[0]).not.toHaveProperty('applicationId');
    expect(await citizens.document('d-1')).toEqual({ ...doc, citizenId: id });
    await expect(citizens.document('missing')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND', message: 'no such document' });
  });

  test('writes join the caller\'s transaction', async () => {
    const { db, citizens } = setup();
    const id = randomUUID();
    await expect(
      db.transaction().execute(async (tx) => {
        await citizens.insertCitizen(tx, { id, identity: IDENTITY, now: T0 });
        await citizens.insertApplication(tx, { id: 'a', reference: 'GIJ-AAAA-1111', citizenId: id, now: T0 });
        expect((await citizens.citizen(id, tx)).id).toBe(id);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await expect(citizens.citizen(id)).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(citizens.applicationByReference('GIJ-AAAA-1111')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  test('deleteCitizen removes the citizen and, by cascade, their applications, choices, consents and documents', async () => {
    const { db, citizens, enrol } = setup();
    const id = await enrol();
    const kept = await enrol();
    for (const citizenId of [id, kept]) {
      await citizens.insertApplication(db, { id: `app-${citizenId}`, reference: `GIJ-${citizenId === id ? 'AAAA' : 'BBBB'}-1111`, citizenId, now: T0 });
      await citizens.replaceChoices(db, { citizenId, choices: [{ service_id: 'pools', tier: 'standard' }], now: T0 });
      await citizens.recordConsents(db, { citizenId, consents: { service_provision: true }, now: T0 });
      await citizens.insertDocument(db, { id: `doc-${citizenId}`, citizenId, kind: 'proof_of_address', mime: 'application/pdf', size: 1, sha256: 'ab'.repeat(32), storageKey: `${citizenId === id ? 'A' : 'B'}${'C'.repeat(21)}`, uploadedAt: T0 });
    }
    await citizens.deleteCitizen(db, id);
    await expect(citizens.citizen(id)).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    expect(await citizens.applications(id)).toEqual([]);
    expect(await citizens.choices(id)).toEqual([]);
    expect(await citizens.consents(id)).toEqual([]);
    expect(await citizens.documents(id)).toEqual([]);
    expect(await citizens.applications(kept)).toHaveLength(1);
    expect(await citizens.choices(kept)).toHaveLength(1);
    expect(await citizens.consents(kept)).toHaveLength(1);
    expect(await citizens.documents(kept)).toHaveLength(1);
  });
});
