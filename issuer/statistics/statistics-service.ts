import { sql, type Kysely } from 'kysely';
import type { PublicJwk, SignatureVerifier } from '../../core/crypto/ports.js';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import type { BatchState, IssuerDatabase } from '../db/database-schema.js';
import type { StatisticsScope } from './statistics-scope.js';
import { statisticsWindow, utcDay, type StatisticsWindow } from './statistics-window.js';
import type { ReportDay } from './terminal-report.js';
import { verifyTerminalReport } from './verify-terminal-report.js';

const DAY_MS = 86_400_000;

/** Issuance of one UTC day, credential type and service. */
export interface IssuanceCount {
  day: string;
  credentialType: string;
  /** The entitlement's service; `null` for a ResidentCredential. */
  serviceId: string | null;
  /** Batches issued (one per credential request). */
  batches: number;
  /** One-time copies issued in them. */
  copies: number;
  /** Of those batches, how many are revoked now (their state today, not the day of the change). */
  revoked: number;
  /** Of those batches, how many are suspended now. */
  suspended: number;
}

/** Verifications of one UTC day and service, summed over the city's terminals. */
export interface VerificationCount {
  day: string;
  serviceId: string;
  accepted: number;
  rejected: number;
  rejectedByCode: Partial<Record<UrbisErrorCode, number>>;
}

/** The staff statistics: a window of days, what the scope may see. */
export interface StatisticsOverview {
  window: { from: string; to: string; days: number };
  /** `null`: the whole city; else the one service shown. */
  serviceId: string | null;
  issuance: IssuanceCount[];
  verifications: VerificationCount[];
  /** Terminals whose reports count in the window. */
  reportingTerminals: number;
}

/** What one accepted report changed. */
export interface ReportReceipt {
  terminalId: string;
  /** Days whose counts the report set. */
  applied: number;
  /** Days kept as they were (a newer report of that day is already stored). */
  ignored: number;
}

/**
 * Issuance and verification statistics of the back office (issue #7).
 *
 * `acceptReport` takes a terminal's signed count report (see `terminal-report.ts`), verifies it
 * (`verifyTerminalReport`: known terminal, signature, audience, freshness, shape), refuses days after today (UTC,
 * one day of clock skew allowed), and stores each day in one transaction: a day's counts are replaced when the
 * report is newer than the one they came from (`iat`, then the larger total), otherwise kept. So a re-sent report
 * changes nothing and an older one (replayed, or overtaken in transit) never lowers a count. A refused report
 * changes nothing.
 *
 * `overview` reads issuance from the issuer's own tables (batches and copies per UTC day of issue and credential
 * type; revoked/suspended: their state now) and verifications from the stored reports, over a window of days, for
 * what the staff member's scope may see.
 *
 * @example
 * ```ts
 * const statistics = createStatisticsService({ db, terminalKeys: config.terminalKeys, audience: config.issuerUrl, verifySignature: crypto.verifySignature, now: Date.now });
 * await statistics.acceptReport({ jwt });
 * await statistics.overview({ scope: { kind: 'city' }, days: '30' });
 * ```
 */
export function createStatisticsService({
  db,
  terminalKeys,
  audience,
  verifySignature,
  now = Date.now,
}: {
  db: Kysely<IssuerDatabase>;
  terminalKeys: Readonly<Record<string, PublicJwk>>;
  audience: string;
  verifySignature: SignatureVerifier;
  now?: () => number;
}) {
  const dayTotal = (day: ReportDay): number => Object.values(day.services).reduce((sum, s) => sum + s.accepted + s.rejected, 0);

  async function issuance(window: StatisticsWindow, scope: StatisticsScope): Promise<IssuanceCount[]> {
    const dayBucket = sql<number>`b.issued_at / ${sql.lit(DAY_MS)}`;
    let query = db
      .selectFrom('issued_batches as b')
      .leftJoin('issued_copies as c', 'c.batch_id', 'b.id')
      .select([dayBucket.as('d'), 'b.credential_type', 'b.service_id', 'b.state', sql<number>`count(distinct b.id)`.as('batches'), sql<number>`count(c.batch_id)`.as('copies')])
      .where('b.issued_at', '>=', window.fromMs)
      .where('b.issued_at', '<', window.endMs);
    if (scope.kind === 'service') query = query.where('b.service_id', '=', scope.serviceId);
    const rows = await query.groupBy([dayBucket, 'b.credential_type', 'b.service_id', 'b.state']).execute();
    const byKey = new Map<string, IssuanceCount>();
    for (const row of rows) {
      const day = utcDay(Number(row.d) * DAY_MS);
      const key = JSON.stringify([day, row.credential_type, row.service_id]);
      const entry = byKey.get(key) ?? { day, credentialType: row.credential_type, serviceId: row.service_id, batches: 0, copies: 0, revoked: 0, suspended: 0 };
      const batches = Number(row.batches);
      entry.batches += batches;
      entry.copies += Number(row.copies);
      if ((row.state as BatchState) === 'revoked') entry.revoked += batches;
      if ((row.state as BatchState) === 'suspended') entry.suspended += batches;
      byKey.set(key, entry);
    }
    return [...byKey.values()].sort((a, b) => compare(a.day, b.day) || compare(a.credentialType, b.credentialType) || compare(a.serviceId ?? '', b.serviceId ?? ''));
  }

  async function verifications(window: StatisticsWindow, scope: StatisticsScope): Promise<{ counts: VerificationCount[]; terminals: number }> {
    let query = db
      .selectFrom('verification_counts')
      .select(['day', 'service_id', 'outcome', 'code', sql<number>`sum(${sql.ref('count')})`.as('n')])
      .where('day', '>=', window.from)
      .where('day', '<=', window.to);
    if (scope.kind === 'service') query = query.where('service_id', '=', scope.serviceId);
    const rows = await query.groupBy(['day', 'service_id', 'outcome', 'code']).execute();
    let terminalsQuery = db.selectFrom('verification_counts').select(sql<number>`count(distinct terminal_id)`.as('n')).where('day', '>=', window.from).where('day', '<=', window.to);
    if (scope.kind === 'service') terminalsQuery = terminalsQuery.where('service_id', '=', scope.serviceId);
    const terminals = Number((await terminalsQuery.executeTakeFirst())?.n ?? 0);
    const byKey = new Map<string, VerificationCount>();
    for (const row of rows) {
      const key = `${row.day} ${row.service_id}`;
      const entry = byKey.get(key) ?? { day: row.day, serviceId: row.service_id, accepted: 0, rejected: 0, rejectedByCode: {} };
      const n = Number(row.n);
      if (row.outcome === 'accepted') entry.accepted += n;
      else if (row.code === '') entry.rejected += n;
      else entry.rejectedByCode[row.code as UrbisErrorCode] = (entry.rejectedByCode[row.code as UrbisErrorCode] ?? 0) + n;
      byKey.set(key, entry);
    }
    return { counts: [...byKey.values()].sort((a, b) => compare(a.day, b.day) || compare(a.serviceId, b.serviceId)), terminals };
  }

  return {
    /**
     * Verifies and stores a terminal's report.
     * @throws UrbisError the codes of `verifyTerminalReport`, and `SCHEMA_INVALID` for a day after today.
     */
    async acceptReport({ jwt }: { jwt: unknown }): Promise<ReportReceipt> {
      const at = now();
      const report = await verifyTerminalReport({ jwt, terminalKeys, audience, verifySignature, now: at });
      const latestDay = utcDay(at + DAY_MS);
      if (report.days.some((d) => d.day > latestDay)) throw new UrbisError('SCHEMA_INVALID', 'terminal report: a day is after today');
      const iatMs = report.iat * 1000;
      let applied = 0;
      await db.transaction().execute(async (tx) => {
        for (const day of report.days) {
          const total = dayTotal(day);
          const stored = await tx.selectFrom('terminal_report_days').select(['report_iat', 'total']).where('terminal_id', '=', report.iss).where('day', '=', day.day).executeTakeFirst();
          if (stored !== undefined && (Number(stored.report_iat) > iatMs || (Number(stored.report_iat) === iatMs && Number(stored.total) >= total))) continue;
          await tx.deleteFrom('verification_counts').where('terminal_id', '=', report.iss).where('day', '=', day.day).execute();
          const rows = Object.entries(day.services).flatMap(([serviceId, c]) => [
            ...(c.accepted > 0 ? [{ outcome: 'accepted' as const, code: '', count: c.accepted }] : []),
            ...(c.rejected > 0 ? [{ outcome: 'rejected' as const, code: '', count: c.rejected }] : []),
            ...Object.entries(c.rejectedByCode)
              .filter(([, n]) => n > 0)
              .map(([code, n]) => ({ outcome: 'rejected' as const, code, count: n })),
          ].map((r) => ({ terminal_id: report.iss, day: day.day, service_id: serviceId, ...r })));
          if (rows.length > 0) await tx.insertInto('verification_counts').values(rows).execute();
          if (stored === undefined) await tx.insertInto('terminal_report_days').values({ terminal_id: report.iss, day: day.day, report_iat: iatMs, total, received_at: at }).execute();
          else await tx.updateTable('terminal_report_days').set({ report_iat: iatMs, total, received_at: at }).where('terminal_id', '=', report.iss).where('day', '=', day.day).execute();
          applied += 1;
        }
      });
      return { terminalId: report.iss, applied, ignored: report.days.length - applied };
    },

    /**
     * Issuance and verification counts over the last `days` UTC days (default 30, at most 366) for `scope`.
     * @throws UrbisError `INVALID_ARGUMENT` for a bad `days`.
     */
    async overview({ scope, days }: { scope: StatisticsScope; days?: unknown }): Promise<StatisticsOverview> {
      const window = statisticsWindow({ days, now: now() });
      const [issued, verified] = await Promise.all([issuance(window, scope), verifications(window, scope)]);
      return {
        window: { from: window.from, to: window.to, days: window.days },
        serviceId: scope.kind === 'service' ? scope.serviceId : null,
        issuance: issued,
        verifications: verified.counts,
        reportingTerminals: verified.terminals,
      };
    },
  };
}

/** The statistics service. */
export type StatisticsService = ReturnType<typeof createStatisticsService>;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
