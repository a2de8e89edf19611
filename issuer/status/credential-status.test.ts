import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StatusChangeInput } from '../../registry/publisher/status-change.js';
import { insertTestCitizen } from '../auth/testing/citizen-rows.js';
import type { BatchState, IssuerDatabase } from '../db/database-schema.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { createCredentialStatus } from './credential-status.js';
import { createStatusLists } from './status-lists.js';
import { createRecordingOutbox } from './testing/recording-outbox.js';

const T0 = 1_790_000_000_000;
const LIST = 4;

describeEachEngine('credential status', (database) => {
  async function setup() {
    const { db } = database();
    const outbox = createRecordingOutbox();
    const { recorded } = outbox;
    const statusLists = createStatusLists({ db, randomBytes: (n) => new Uint8Array(randomBytes(n)) });
    await statusLists.register({ listId: LIST, uri: 'https://city.example/status/4', size: 1_024 });
    const status = createCredentialStatus({ db, statusLists, outbox });
    let nextIndex = 0;
    /** A batch row with `copies` status entries (indices assigned in order). */
    async function batch({ citizenId, serviceId, state = 'active', copies = 2, issuedAt = T0 }: { citizenId: string | null; serviceId?: string; state?: BatchState; copies?: number; issuedAt?: number }) {
      const id = randomUUID();
      await insertBatchRow(db, { id, citizenId, serviceId, state, issuedAt });
      const indices = Array.from({ length: copies }, () => nextIndex++);
      if (copies > 0) await db.insertInto('issued_copies').values(indices.map((status_index) => ({ batch_id: id, status_list_id: LIST, status_index }))).execute();
      return { id, indices };
    }
    const stateOf = async (id: string) => (await db.selectFrom('issued_batches').select(['state', 'suspended_by_restriction']).where('id', '=', id).executeTakeFirstOrThrow());
    return { db, status, recorded, batch, stateOf };
  }

  const changes = (indices: number[], value: 0 | 1 | 2, reason: string) => indices.map((index) => ({ listId: LIST, index, value, reason }));
  const sortByIndex = (list: StatusChangeInput[]) => [...list].sort((a, b) => a.index - b.index);

  test('batch and batchesOf give the batch with its copy count; unknown is RESOURCE_NOT_FOUND', async () => {
    const { db, status, batch } = await setup();
    const citizenId = await insertTestCitizen(db);
    const resident = await batch({ citizenId, copies: 3, issuedAt: T0 + 2 });
    const pools = await batch({ citizenId, serviceId: 'pools', copies: 1, issuedAt: T0 + 1 });
    const empty = await batch({ citizenId, serviceId: 'library', copies: 0, issuedAt: T0 + 3 });
    await batch({ citizenId: await insertTestCitizen(db), serviceId: 'pools' });
    expect(await status.batch(resident.id)).toEqual({
      id: resident.id,
      citizenId,
      configurationId: 'config',
      credentialType: 'ResidentCredential',
      format: 'dc+sd-jwt',
      state: 'active',
      copies: 3,
      issuedAt: T0 + 2,
      validUntil: T0 + 365,
    });
    expect((await status.batch(resident.id))).not.toHaveProperty('serviceId');
    expect((await status.batchesOf(citizenId)).map((b) => [b.id, b.serviceId, b.copies])).toEqual([
      [pools.id, 'pools', 1],
      [resident.id, undefined, 3],
      [empty.id, 'library', 0],
    ]);
    expect(await status.batchesOf('nobody')).toEqual([]);
    await expect(status.batch('missing')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(status.apply({ batchId: 'missing', action: 'revoke', reason: 'issuer-decision' })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  test('an erased citizen\'s batch (citizen_id null) has no citizenId', async () => {
    const { status, batch } = await setup();
    const orphan = await batch({ citizenId: null });
    expect(await status.batch(orphan.id)).not.toHaveProperty('citizenId');
  });

  test('suspend (2), unsuspend (0, suspension-lifted), revoke (1): every copy goes to the outbox, then the state changes', async () => {
    const { db, status, recorded, batch, stateOf } = await setup();
    const citizenId = await insertTestCitizen(db);
    const b = await batch({ citizenId, serviceId: 'pools', copies: 3 });
    const suspended = await status.apply({ batchId: b.id, action: 'suspend', reason: 'issuer-decision' });
    expect(suspended).toMatchObject({ id: b.id, state: 'suspended', copies: 3 });
    expect(sortByIndex(recorded)).toEqual(changes(b.indices, 2, 'issuer-decision'));
    expect((await stateOf(b.id)).state).toBe('suspended');

    recorded.length = 0;
    const lifted = await status.apply({ batchId: b.id, action: 'unsuspend', reason: 'issuer-decision' });
    expect(lifted.state).toBe('active');
    expect(sortByIndex(recorded)).toEqual(changes(b.indices, 0, 'suspension-lifted'));

    recorded.length = 0;
    const revoked = await status.apply({ batchId: b.id, action: 'revoke', reason: 'eligibility-ended' });
    expect(revoked.state).toBe('revoked');
    expect(sortByIndex(recorded)).toEqual(changes(b.indices, 1, 'eligibility-ended'));
    expect((await stateOf(b.id)).state).toBe('revoked');
  });

  test('a suspended batch can be revoked', async () => {
    const { db, status, recorded, batch } = await setup();
    const b = await batch({ citizenId: await insertTestCitizen(db), state: 'suspended' });
    expect((await status.apply({ batchId: b.id, action: 'revoke', reason: 'key-compromise' })).state).toBe('revoked');
    expect(sortByIndex(recorded)).toEqual(changes(b.indices, 1, 'key-compromise'));
  });

  test('forbidden transitions are STATUS_TRANSITION_FORBIDDEN and enqueue nothing; revocation is final', async () => {
    const { db, status, recorded, batch, stateOf } = await setup();
    const citizenId = await insertTestCitizen(db);
    const active = await batch({ citizenId });
    await expect(status.apply({ batchId: active.id, action: 'unsuspend', reason: 'issuer-decision' })).rejects.toMatchObject({ code: 'STATUS_TRANSITION_FORBIDDEN' });
    const suspended = await batch({ citizenId, state: 'suspended' });
    await expect(status.apply({ batchId: suspended.id, action: 'suspend', reason: 'issuer-decision' })).rejects.toMatchObject({ code: 'STATUS_TRANSITION_FORBIDDEN' });
    const revoked = await batch({ citizenId });
    await status.apply({ batchId: revoked.id, action: 'revoke', reason: 'holder-request' });
    recorded.length = 0;
    for (const action of ['revoke', 'suspend', 'unsuspend'] as const) {
      await expect(status.apply({ batchId: revoked.id, action, reason: 'issuer-decision' })).rejects.toMatchObject({ code: 'STATUS_TRANSITION_FORBIDDEN' });
    }
    expect(recorded).toEqual([]);
    expect((await stateOf(revoked.id)).state).toBe('revoked');
    expect((await stateOf(active.id)).state).toBe('active');
    expect((await stateOf(suspended.id)).state).toBe('suspended');
  });

  test('revokeWhere revokes the citizen\'s batches not yet revoked that match the filter, and returns them', async () => {
    const { db, status, recorded, batch, stateOf } = await setup();
    const citizenId = await insertTestCitizen(db);
    const otherCitizen = await insertTestCitizen(db);
    const pools = await batch({ citizenId, serviceId: 'pools' });
    const poolsSuspended = await batch({ citizenId, serviceId: 'pools', state: 'suspended' });
    const poolsRevoked = await batch({ citizenId, serviceId: 'pools', state: 'revoked' });
    const library = await batch({ citizenId, serviceId: 'library' });
    const resident = await batch({ citizenId });
    const othersPools = await batch({ citizenId: otherCitizen, serviceId: 'pools' });

    const revoked = await status.revokeWhere({ citizenId, reason: 'holder-request', filter: (b) => b.serviceId === 'pools' });
    expect(revoked.map((b) => b.id).sort()).toEqual([pools.id, poolsSuspended.id].sort());
    expect(revoked.every((b) => b.state === 'revoked')).toBe(true);
    expect(sortByIndex(recorded)).toEqual(changes([...pools.indices, ...poolsSuspended.indices], 1, 'holder-request'));
    for (const untouched of [library, resident, othersPools]) expect((await stateOf(untouched.id)).state).toBe('active');
    expect((await stateOf(poolsRevoked.id)).state).toBe('revoked');

    recorded.length = 0;
    const rest = await status.revokeWhere({ citizenId, reason: 'legal-order' });
    expect(rest.map((b) => b.id).sort()).toEqual([library.id, resident.id].sort());
    expect(sortByIndex(recorded)).toEqual(changes([...library.indices, ...resident.indices].sort((a, b) => a - b), 1, 'legal-order'));
    expect(await status.revokeWhere({ citizenId, reason: 'legal-order' })).toEqual([]);
    expect((await stateOf(othersPools.id)).state).toBe('active');
  });

  test('a restriction suspends the active batches only, marks them, and lifting unsuspends exactly those', async () => {
    const { db, status, recorded, batch, stateOf } = await setup();
    const citizenId = await insertTestCitizen(db);
    const a = await batch({ citizenId, serviceId: 'pools' });
    const b = await batch({ citizenId });
    const staffSuspended = await batch({ citizenId, serviceId: 'library', state: 'suspended' });
    const revoked = await batch({ citizenId, serviceId: 'transport', state: 'revoked' });
    const otherCitizens = await batch({ citizenId: await insertTestCitizen(db) });

    expect(await status.suspendForRestriction({ citizenId })).toBe(2);
    expect(sortByIndex(recorded)).toEqual(changes([...a.indices, ...b.indices], 2, 'holder-request'));
    expect(await stateOf(a.id)).toEqual({ state: 'suspended', suspended_by_restriction: 1 });
    expect(await stateOf(b.id)).toEqual({ state: 'suspended', suspended_by_restriction: 1 });
    expect(await stateOf(staffSuspended.id)).toEqual({ state: 'suspended', suspended_by_restriction: 0 });
    expect(await stateOf(revoked.id)).toEqual({ state: 'revoked', suspended_by_restriction: 0 });
    expect(await stateOf(otherCitizens.id)).toEqual({ state: 'active', suspended_by_restriction: 0 });
    expect(await status.suspendForRestriction({ citizenId })).toBe(0);

    recorded.length = 0;
    expect(await status.liftRestriction({ citizenId })).toBe(2);
    expect(sortByIndex(recorded)).toEqual(changes([...a.indices, ...b.indices], 0, 'suspension-lifted'));
    expect(await stateOf(a.id)).toEqual({ state: 'active', suspended_by_restriction: 0 });
    expect(await stateOf(b.id)).toEqual({ state: 'active', suspended_by_restriction: 0 });
    expect(await stateOf(staffSuspended.id)).toEqual({ state: 'suspended', suspended_by_restriction: 0 });
    expect(await status.liftRestriction({ citizenId })).toBe(0);
  });

  test('a batch revoked during the restriction stays revoked when it is lifted', async () => {
    const { db, status, batch, stateOf } = await setup();
    const citizenId = await insertTestCitizen(db);
    const a = await batch({ citizenId, serviceId: 'pools' });
    const b = await batch({ citizenId, serviceId: 'library' });
    await status.suspendForRestriction({ citizenId });
    await status.apply({ batchId: a.id, action: 'revoke', reason: 'legal-order' });
    expect(await status.liftRestriction({ citizenId })).toBe(1);
    expect((await stateOf(a.id)).state).toBe('revoked');
    expect((await stateOf(b.id)).state).toBe('active');
  });

  test('a batch staff unsuspended during the restriction and later suspended for another reason stays suspended when the restriction is lifted', async () => {
    const { db, status, batch, stateOf } = await setup();
    const citizenId = await insertTestCitizen(db);
    const a = await batch({ citizenId, serviceId: 'pools' });
    expect(await status.suspendForRestriction({ citizenId })).toBe(1);
    // Staff lift the suspension by hand (back office changeStatus), then suspend it again for their own reason.
    await status.apply({ batchId: a.id, action: 'unsuspend', reason: 'issuer-decision' });
    await status.apply({ batchId: a.id, action: 'suspend', reason: 'issuer-decision' });
    // The restriction no longer accounts for this suspension: lifting it must not undo the staff's.
    expect(await status.liftRestriction({ citizenId })).toBe(0);
    expect((await stateOf(a.id)).state).toBe('suspended');
  });
});

async function insertBatchRow(
  db: Kysely<IssuerDatabase>,
  { id, citizenId, serviceId, state, issuedAt }: { id: string; citizenId: string | null; serviceId: string | undefined; state: BatchState; issuedAt: number },
): Promise<void> {
  await db
    .insertInto('issued_batches')
    .values({ id, citizen_id: citizenId, configuration_id: 'config', credential_type: serviceId === undefined ? 'ResidentCredential' : 'ServiceEntitlementCredential', service_id: serviceId ?? null, format: 'dc+sd-jwt', state, issued_at: issuedAt, valid_until: T0 + 365 })
    .execute();
}
