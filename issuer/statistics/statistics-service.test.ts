import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { signCompactJws } from '../../core/jose/compact-jws.js';
import type { BatchState } from '../db/database-schema.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { createStatisticsService } from './statistics-service.js';
import { TERMINAL_REPORT_TYP, type ReportDay } from './terminal-report.js';

const crypto = createNodeCrypto();
const pool = crypto.generateKeyPair();
const library = crypto.generateKeyPair();
const POOL = 'urbis:terminal:gijon-pool-1';
const LIBRARY = 'urbis:terminal:gijon-library-1';
const ISSUER = 'http://127.0.0.1:4001';
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 8, 21, 12);
const IAT = Math.floor(NOW / 1000);

const counts = (accepted: number, rejected = 0, rejectedByCode: Record<string, number> = {}) => ({ accepted, rejected, rejectedByCode });

async function report({ terminal = POOL, key = pool.privateJwk, iat = IAT, days }: { terminal?: string; key?: typeof pool.privateJwk; iat?: number; days: ReportDay[] }): Promise<string> {
  return signCompactJws({ header: { typ: TERMINAL_REPORT_TYP }, payload: { iss: terminal, aud: ISSUER, iat, days }, signingKey: await crypto.signingKeyFromJwk({ privateJwk: key }) });
}

describeEachEngine('statistics service', (database) => {
  let clock = NOW;
  const service = () => createStatisticsService({ db: database().db, terminalKeys: { [POOL]: pool.publicJwk, [LIBRARY]: library.publicJwk }, audience: ISSUER, verifySignature: crypto.verifySignature, now: () => clock });
  const city = { kind: 'city' } as const;
  const stored = async () => (await database().db.selectFrom('verification_counts').selectAll().orderBy('terminal_id').orderBy('day').orderBy('service_id').orderBy('outcome').orderBy('code').execute()).map((r) => ({ ...r, count: Number(r.count) }));
  beforeEach(() => {
    clock = NOW;
  });

  test('a report is stored per terminal, day, service and outcome, and summed over terminals', async () => {
    const statistics = service();
    expect(await statistics.acceptReport({ jwt: await report({ days: [{ day: '2026-09-20', services: { pools: counts(4, 2, { KB_REPLAYED: 1, STATUS_REVOKED: 1 }) } }, { day: '2026-09-21', services: { pools: counts(1) } }] }) })).toEqual({ terminalId: POOL, applied: 2, ignored: 0 });
    await statistics.acceptReport({ jwt: await report({ terminal: LIBRARY, key: library.privateJwk, days: [{ day: '2026-09-21', services: { library: counts(2, 1, { STATUS_SUSPENDED: 1 }), pools: counts(1) } }] }) });
    const overview = await statistics.overview({ scope: city, days: '7' });
    expect(overview.window).toEqual({ from: '2026-09-15', to: '2026-09-21', days: 7 });
    expect(overview.reportingTerminals).toBe(2);
    expect(overview.verifications).toEqual([
      { day: '2026-09-20', serviceId: 'pools', accepted: 4, rejected: 2, rejectedByCode: { KB_REPLAYED: 1, STATUS_REVOKED: 1 } },
      { day: '2026-09-21', serviceId: 'library', accepted: 2, rejected: 1, rejectedByCode: { STATUS_SUSPENDED: 1 } },
      { day: '2026-09-21', serviceId: 'pools', accepted: 2, rejected: 0, rejectedByCode: {} },
    ]);
    const manager = await statistics.overview({ scope: { kind: 'service', serviceId: 'library' } });
    expect(manager.serviceId).toBe('library');
    expect(manager.verifications).toEqual([{ day: '2026-09-21', serviceId: 'library', accepted: 2, rejected: 1, rejectedByCode: { STATUS_SUSPENDED: 1 } }]);
    expect(manager.reportingTerminals).toBe(1);
  });

  test('re-sending a report replaces, never double counts; a newer one replaces the day', async () => {
    const statistics = service();
    const jwt = await report({ days: [{ day: '2026-09-21', services: { pools: counts(3) } }] });
    await statistics.acceptReport({ jwt });
    const first = await stored();
    expect(await statistics.acceptReport({ jwt })).toEqual({ terminalId: POOL, applied: 0, ignored: 1 });
    expect(await stored()).toEqual(first);
    clock += 30_000;
    await statistics.acceptReport({ jwt: await report({ iat: IAT + 30, days: [{ day: '2026-09-21', services: { pools: counts(5, 1, { KB_REPLAYED: 1 }) } }] }) });
    expect(await stored()).toEqual([
      { terminal_id: POOL, day: '2026-09-21', service_id: 'pools', outcome: 'accepted', code: '', count: 5 },
      { terminal_id: POOL, day: '2026-09-21', service_id: 'pools', outcome: 'rejected', code: '', count: 1 },
      { terminal_id: POOL, day: '2026-09-21', service_id: 'pools', outcome: 'rejected', code: 'KB_REPLAYED', count: 1 },
    ]);
  });

  test('an older report (replayed, or overtaken in transit) never lowers the counts', async () => {
    const statistics = service();
    const older = await report({ iat: IAT - 60, days: [{ day: '2026-09-21', services: { pools: counts(2) } }] });
    await statistics.acceptReport({ jwt: await report({ days: [{ day: '2026-09-21', services: { pools: counts(7) } }] }) });
    expect(await statistics.acceptReport({ jwt: older })).toEqual({ terminalId: POOL, applied: 0, ignored: 1 });
    expect((await statistics.overview({ scope: city })).verifications).toEqual([{ day: '2026-09-21', serviceId: 'pools', accepted: 7, rejected: 0, rejectedByCode: {} }]);
    // Same iat: the larger total wins (two reports of one second), the smaller changes nothing.
    await statistics.acceptReport({ jwt: await report({ days: [{ day: '2026-09-21', services: { pools: counts(6) } }] }) });
    expect((await stored())[0]!.count).toBe(7);
    await statistics.acceptReport({ jwt: await report({ days: [{ day: '2026-09-21', services: { pools: counts(8) } }] }) });
    expect((await stored())[0]!.count).toBe(8);
  });

  test('refused reports change nothing', async () => {
    const statistics = service();
    await statistics.acceptReport({ jwt: await report({ days: [{ day: '2026-09-21', services: { pools: counts(1) } }] }) });
    const before = await stored();
    const bad: [string, Promise<string> | string][] = [
      ['SIGNATURE_INVALID', report({ key: library.privateJwk, days: [{ day: '2026-09-21', services: { pools: counts(99) } }] })],
      ['REPORT_TERMINAL_UNKNOWN', report({ terminal: 'urbis:terminal:unknown', days: [{ day: '2026-09-21', services: { pools: counts(99) } }] })],
      ['REPORT_STALE', report({ iat: IAT - 3600, days: [{ day: '2026-09-21', services: { pools: counts(99) } }] })],
      ['SCHEMA_INVALID', report({ days: [{ day: '2026-09-23', services: { pools: counts(99) } }] })],
      ['JWS_MALFORMED', 'not a report'],
    ];
    for (const [code, jwt] of bad) await expect(statistics.acceptReport({ jwt: await jwt })).rejects.toMatchObject({ code });
    expect(await stored()).toEqual(before);
  });

  test('issuance: batches and copies per UTC day and credential type, revoked/suspended as they are now, within the window and scope', async () => {
    const { db } = database();
    let copyIndex = 0;
    const batch = async ({ id, at, type, serviceId = null, copies, state = 'active' }: { id: string; at: number; type: string; serviceId?: string | null; copies: number; state?: BatchState }) => {
      await db.insertInto('issued_batches').values({ id, citizen_id: null, configuration_id: `${type}.dc+sd-jwt`, credential_type: type, service_id: serviceId, format: 'dc+sd-jwt', state, issued_at: at, valid_until: at + 365 * DAY_MS }).execute();
      for (let i = 0; i < copies; i++) await db.insertInto('issued_copies').values({ batch_id: id, status_list_id: 0, status_index: copyIndex++ }).execute();
    };
    const today = Date.UTC(2026, 8, 21, 8);
    await batch({ id: 'b1', at: today, type: 'ResidentCredential', copies: 10 });
    await batch({ id: 'b2', at: today + 3_600_000, type: 'ResidentCredential', copies: 10, state: 'revoked' });
    await batch({ id: 'b3', at: today, type: 'ServiceEntitlementCredential', serviceId: 'pools', copies: 5, state: 'suspended' });
    await batch({ id: 'b4', at: today - DAY_MS, type: 'ServiceEntitlementCredential', serviceId: 'library', copies: 2 });
    await batch({ id: 'b5', at: today - 40 * DAY_MS, type: 'ResidentCredential', copies: 10 }); // outside 30 days
    const statistics = service();
    expect((await statistics.overview({ scope: city })).issuance).toEqual([
      { day: '2026-09-20', credentialType: 'ServiceEntitlementCredential', serviceId: 'library', batches: 1, copies: 2, revoked: 0, suspended: 0 },
      { day: '2026-09-21', credentialType: 'ResidentCredential', serviceId: null, batches: 2, copies: 20, revoked: 1, suspended: 0 },
      { day: '2026-09-21', credentialType: 'ServiceEntitlementCredential', serviceId: 'pools', batches: 1, copies: 5, revoked: 0, suspended: 1 },
    ]);
    expect((await statistics.overview({ scope: city, days: '41' })).issuance.map((r) => r.day)).toContain('2026-08-12');
    expect((await statistics.overview({ scope: { kind: 'service', serviceId: 'pools' } })).issuance).toEqual([
      { day: '2026-09-21', credentialType: 'ServiceEntitlementCredential', serviceId: 'pools', batches: 1, copies: 5, revoked: 0, suspended: 1 },
    ]);
    await expect(statistics.overview({ scope: city, days: '400' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('an empty city: empty lists, no terminal', async () => {
    expect(await service().overview({ scope: city, days: '1' })).toEqual({ window: { from: '2026-09-21', to: '2026-09-21', days: 1 }, serviceId: null, issuance: [], verifications: [], reportingTerminals: 0 });
  });
});
