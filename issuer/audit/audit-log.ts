import type { Kysely, Transaction } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { ActorKind, IssuerDatabase } from '../db/database-schema.js';

/** Who acted. Staff and citizens by their random ids; never names or usernames. */
export interface AuditActor {
  kind: ActorKind;
  id?: string;
}

/** Keys an audit detail may carry: codes, ids, counts, reasons from closed lists. Never claim values or document contents. */
export const AUDIT_DETAIL_KEYS = [
  'reason',
  'serviceId',
  'serviceIds',
  'tier',
  'credentialType',
  'configurationId',
  'configurationIds',
  'batchId',
  'batches',
  'copies',
  'documentKind',
  'documentId',
  'rows',
  'accepted',
  'rejected',
  'state',
  'kid',
  'purposes',
  'role',
  'fields',
  'code',
  'grant',
  'familyId',
] as const;

/** Non-personal details of an audited action. */
export type AuditDetail = Partial<Record<(typeof AUDIT_DETAIL_KEYS)[number], string | number | boolean | readonly string[]>>;

/** One audit entry. */
export interface AuditEntry {
  id: number;
  at: number;
  actor: AuditActor;
  action: string;
  target?: { kind: string; id: string };
  detail?: AuditDetail;
}

const KEYS: ReadonlySet<string> = new Set(AUDIT_DETAIL_KEYS);
const ACTION = /^[a-z]+(\.[a-z_-]+)+$/;

/**
 * The append-only audit log: who did what, to which record, when. The
 * database refuses UPDATE and DELETE on the table (triggers on both
 * engines), so entries outlive an erasure; they name records by random id
 * and carry only {@link AUDIT_DETAIL_KEYS}, so they hold no personal data.
 */
export function createAuditLog({ db, now = Date.now }: { db: Kysely<IssuerDatabase>; now?: () => number }) {
  return {
    /**
     * @throws UrbisError `INVALID_ARGUMENT` for an action that is not `area.verb`, an unknown detail key or a long value.
     */
    async record({ actor, action, target, detail }: { actor: AuditActor; action: string; target?: { kind: string; id: string }; detail?: AuditDetail }, tx: Kysely<IssuerDatabase> | Transaction<IssuerDatabase> = db): Promise<void> {
      if (!ACTION.test(action)) throw new UrbisError('INVALID_ARGUMENT', 'an audit action is area.verb');
      if (detail !== undefined) {
        for (const [key, value] of Object.entries(detail)) {
          if (!KEYS.has(key)) throw new UrbisError('INVALID_ARGUMENT', `audit detail key ${key} is not allowed`);
          const values = Array.isArray(value) ? value : [value];
          if (values.length > 64 || values.some((v) => typeof v === 'string' && v.length > 200)) throw new UrbisError('INVALID_ARGUMENT', 'audit detail values are short');
        }
      }
      await tx
        .insertInto('audit_log')
        .values({
          at: now(),
          actor_kind: actor.kind,
          actor_id: actor.id ?? null,
          action,
          target_kind: target?.kind ?? null,
          target_id: target?.id ?? null,
          detail: detail === undefined ? null : JSON.stringify(detail),
        })
        .execute();
    },
    /** Newest first; `before` pages by id. */
    async list({ limit = 100, before, action, targetId }: { limit?: number; before?: number; action?: string; targetId?: string } = {}): Promise<AuditEntry[]> {
      let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(Math.min(Math.max(1, limit), 1000));
      if (before !== undefined) q = q.where('id', '<', before);
      if (action !== undefined) q = q.where('action', '=', action);
      if (targetId !== undefined) q = q.where('target_id', '=', targetId);
      return (await q.execute()).map((r) => ({
        id: r.id,
        at: r.at,
        actor: { kind: r.actor_kind, ...(r.actor_id === null ? {} : { id: r.actor_id }) },
        action: r.action,
        ...(r.target_kind === null || r.target_id === null ? {} : { target: { kind: r.target_kind, id: r.target_id } }),
        ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as AuditDetail }),
      }));
    },
  };
}

/** The audit log. */
export type AuditLog = ReturnType<typeof createAuditLog>;
