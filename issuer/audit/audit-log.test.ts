import { describeEachEngine } from '../db/testing/test-databases.js';
import { AUDIT_DETAIL_KEYS, createAuditLog, type AuditDetail } from './audit-log.js';

const T0 = 1_790_000_000_000;

describeEachEngine('audit log', (database) => {
  let clock = T0;
  beforeEach(() => {
    clock = T0;
  });
  const setup = () => {
    const { db } = database();
    return { db, audit: createAuditLog({ db, now: () => clock }) };
  };

  test('records an entry and lists it back with every field', async () => {
    const { db, audit } = setup();
    await audit.record({ actor: { kind: 'staff', id: 's-1' }, action: 'application.validated', target: { kind: 'application', id: 'a-1' }, detail: { serviceIds: ['pools', 'library'], copies: 10, state: 'validated', accepted: true } });
    const [entry, ...rest] = await audit.list();
    expect(rest).toEqual([]);
    expect(entry).toEqual({
      id: expect.any(Number),
      at: T0,
      actor: { kind: 'staff', id: 's-1' },
      action: 'application.validated',
      target: { kind: 'application', id: 'a-1' },
      detail: { serviceIds: ['pools', 'library'], copies: 10, state: 'validated', accepted: true },
    });
    const row = await db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ at: T0, actor_kind: 'staff', actor_id: 's-1', action: 'application.validated', target_kind: 'application', target_id: 'a-1' });
  });

  test('actor without id, no target, no detail: nulls in the row, absent in the entry', async () => {
    const { db, audit } = setup();
    await audit.record({ actor: { kind: 'system' }, action: 'keys.rotated' });
    const [entry] = await audit.list();
    expect(entry).toEqual({ id: expect.any(Number), at: T0, actor: { kind: 'system' }, action: 'keys.rotated' });
    const row = await db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_id: null, target_kind: null, target_id: null, detail: null });
  });

  test('lists newest first; limit bounds the page (at least 1)', async () => {
    const { audit } = setup();
    for (let i = 0; i < 5; i++) {
      clock = T0 + i;
      await audit.record({ actor: { kind: 'system' }, action: 'test.step', detail: { rows: i } });
    }
    const all = await audit.list();
    expect(all.map((e) => e.detail?.rows)).toEqual([4, 3, 2, 1, 0]);
    expect(all.map((e) => e.at)).toEqual([T0 + 4, T0 + 3, T0 + 2, T0 + 1, T0]);
    expect((await audit.list({ limit: 2 })).map((e) => e.detail?.rows)).toEqual([4, 3]);
    expect(await audit.list({ limit: 0 })).toHaveLength(1);
    expect(await audit.list({ limit: -5 })).toHaveLength(1);
    expect(await audit.list({ limit: 1_000_000 })).toHaveLength(5);
  });

  test('pages with before (an id): entries strictly older, newest first', async () => {
    const { audit } = setup();
    for (let i = 0; i < 7; i++) await audit.record({ actor: { kind: 'system' }, action: 'test.step', detail: { rows: i } });
    const page1 = await audit.list({ limit: 3 });
    expect(page1.map((e) => e.detail?.rows)).toEqual([6, 5, 4]);
    const page2 = await audit.list({ limit: 3, before: page1.at(-1)!.id });
    expect(page2.map((e) => e.detail?.rows)).toEqual([3, 2, 1]);
    const page3 = await audit.list({ limit: 3, before: page2.at(-1)!.id });
    expect(page3.map((e) => e.detail?.rows)).toEqual([0]);
    expect(await audit.list({ before: page3[0]!.id })).toEqual([]);
    const ids = [...page1, ...page2, ...page3].map((e) => e.id);
    expect(new Set(ids).size).toBe(7);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  test('filters by action and by target id, and combines filters with paging', async () => {
    const { audit } = setup();
    await audit.record({ actor: { kind: 'citizen', id: 'c-1' }, action: 'application.submitted', target: { kind: 'application', id: 'a-1' } });
    await audit.record({ actor: { kind: 'staff', id: 's-1' }, action: 'application.validated', target: { kind: 'application', id: 'a-1' } });
    await audit.record({ actor: { kind: 'citizen', id: 'c-2' }, action: 'application.submitted', target: { kind: 'application', id: 'a-2' } });
    await audit.record({ actor: { kind: 'citizen', id: 'c-1' }, action: 'document.uploaded', target: { kind: 'document', id: 'd-1' } });
    const submitted = await audit.list({ action: 'application.submitted' });
    expect(submitted.map((e) => e.target?.id)).toEqual(['a-2', 'a-1']);
    expect((await audit.list({ targetId: 'a-1' })).map((e) => e.action)).toEqual(['application.validated', 'application.submitted']);
    expect((await audit.list({ action: 'application.submitted', targetId: 'a-1' })).map((e) => e.actor)).toEqual([{ kind: 'citizen', id: 'c-1' }]);
    expect((await audit.list({ action: 'application.submitted', before: submitted[0]!.id })).map((e) => e.target?.id)).toEqual(['a-1']);
    expect(await audit.list({ action: 'nothing.here' })).toEqual([]);
  });

  test('an action that is not area.verb is INVALID_ARGUMENT; nothing is written', async () => {
    const { audit } = setup();
    for (const action of ['login', 'Application.submitted', 'application.Submitted', 'application.', '.submitted', 'application..submitted', 'application submitted', 'app1.submitted', 'application.submitted!', '']) {
      await expect(audit.record({ actor: { kind: 'system' }, action })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'an audit action is area.verb' });
    }
    expect(await audit.list()).toEqual([]);
    for (const action of ['gdpr.restriction_lifted', 'credential.revoked', 'webhook.delivery.failed', 'offer.re-sent']) await audit.record({ actor: { kind: 'system' }, action });
    expect(await audit.list()).toHaveLength(4);
  });

  test('a detail key outside the allowed list is INVALID_ARGUMENT naming the key; nothing is written', async () => {
    const { audit } = setup();
    for (const key of ['email', 'given_name', 'birthdate', 'message', 'note', '__proto__x']) {
      const detail = { [key]: 'Jane Doe' } as unknown as AuditDetail;
      await expect(audit.record({ actor: { kind: 'system' }, action: 'test.step', detail })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `audit detail key ${key} is not allowed` });
    }
    expect(await audit.list()).toEqual([]);
  });

  test('an allowed key next to a disallowed one is still refused', async () => {
    const { audit } = setup();
    const detail = { reason: 'holder-request', email: 'jane@example.org' } as unknown as AuditDetail;
    await expect(audit.record({ actor: { kind: 'system' }, action: 'test.step', detail })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await audit.list()).toEqual([]);
  });

  test('every allowed key is accepted', async () => {
    const { audit } = setup();
    const detail = Object.fromEntries(AUDIT_DETAIL_KEYS.map((key) => [key, 'x'])) as AuditDetail;
    await audit.record({ actor: { kind: 'system' }, action: 'test.step', detail });
    expect((await audit.list())[0]!.detail).toEqual(detail);
  });

  test('values: strings up to 200 characters, lists up to 64 entries', async () => {
    const { audit } = setup();
    await audit.record({ actor: { kind: 'system' }, action: 'test.step', detail: { reason: 'r'.repeat(200), serviceIds: Array.from({ length: 64 }, (_, i) => `s${i}`) } });
    await expect(audit.record({ actor: { kind: 'system' }, action: 'test.step', detail: { reason: 'r'.repeat(201) } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'audit detail values are short' });
    await expect(audit.record({ actor: { kind: 'system' }, action: 'test.step', detail: { serviceIds: Array.from({ length: 65 }, (_, i) => `s${i}`) } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(audit.record({ actor: { kind: 'system' }, action: 'test.step', detail: { serviceIds: ['pools', 'p'.repeat(201)] } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const entries = await audit.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail?.reason).toHaveLength(200);
  });

  test('record joins the caller\'s transaction: a rollback takes the entry with it', async () => {
    const { db, audit } = setup();
    await expect(
      db.transaction().execute(async (tx) => {
        await audit.record({ actor: { kind: 'system' }, action: 'test.rolled_back' }, tx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.transaction().execute(async (tx) => audit.record({ actor: { kind: 'system' }, action: 'test.committed' }, tx));
    expect((await audit.list()).map((e) => e.action)).toEqual(['test.committed']);
  });
});
