import type { Kysely, Selectable } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { StatusChangeInput, StatusChangeReason } from '../../registry/publisher/status-change.js';
import type { BatchState, IssuedBatchesTable, IssuerDatabase } from '../db/database-schema.js';
import type { StatusLists } from './status-lists.js';

/** Where status changes go: the registry's durable outbox (`Outbox.enqueueMany`), published to the chain by the `StatusPublisher`. */
export interface StatusOutboxPort {
  enqueueMany(changes: readonly StatusChangeInput[]): number[];
}

/** A batch of one-time copies as the back office and the citizen see it. */
export interface IssuedBatch {
  id: string;
  citizenId?: string;
  configurationId: string;
  credentialType: string;
  serviceId?: string;
  format: string;
  state: BatchState;
  copies: number;
  issuedAt: number;
  validUntil: number;
}

/** What a status action does to a batch. */
export type StatusAction = 'revoke' | 'suspend' | 'unsuspend';

const TRANSITIONS: Record<StatusAction, { from: readonly BatchState[]; to: BatchState; value: 0 | 1 | 2 }> = {
  revoke: { from: ['active', 'suspended'], to: 'revoked', value: 1 },
  suspend: { from: ['active'], to: 'suspended', value: 2 },
  unsuspend: { from: ['suspended'], to: 'active', value: 0 },
};

export function batchFromRow(row: Selectable<IssuedBatchesTable>, copies: number): IssuedBatch {
  return {
    id: row.id,
    ...(row.citizen_id === null ? {} : { citizenId: row.citizen_id }),
    configurationId: row.configuration_id,
    credentialType: row.credential_type,
    ...(row.service_id === null ? {} : { serviceId: row.service_id }),
    format: row.format,
    state: row.state,
    copies,
    issuedAt: row.issued_at,
    validUntil: row.valid_until,
  };
}

/**
 * Revokes, suspends and unsuspends issued batches: every copy's status
 * entry goes to the outbox first (durable, published exactly once by the
 * registry's publisher), then the batch's state changes here. Were the
 * process to stop between the two, repeating the action enqueues the same
 * values again, which the publisher applies idempotently. Revocation is
 * final (`STATUS_TRANSITION_FORBIDDEN` afterwards).
 */
export function createCredentialStatus({ db, statusLists, outbox }: { db: Kysely<IssuerDatabase>; statusLists: StatusLists; outbox: StatusOutboxPort }) {
  async function copiesOf(batchIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (batchIds.length === 0) return counts;
    const rows = await db.selectFrom('issued_copies').select(['batch_id']).where('batch_id', 'in', batchIds).execute();
    for (const r of rows) counts.set(r.batch_id, (counts.get(r.batch_id) ?? 0) + 1);
    return counts;
  }
  const service = {
    async batch(id: string): Promise<IssuedBatch> {
      const row = await db.selectFrom('issued_batches').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such credential batch');
      return batchFromRow(row, (await copiesOf([id])).get(id) ?? 0);
    },
    async batchesOf(citizenId: string): Promise<IssuedBatch[]> {
      const rows = await db.selectFrom('issued_batches').selectAll().where('citizen_id', '=', citizenId).orderBy('issued_at').execute();
      const counts = await copiesOf(rows.map((r) => r.id));
      return rows.map((r) => batchFromRow(r, counts.get(r.id) ?? 0));
    },
    /**
     * Applies `action` to one batch.
     * @throws UrbisError `RESOURCE_NOT_FOUND`, `STATUS_TRANSITION_FORBIDDEN`.
     */
    async apply({ batchId, action, reason }: { batchId: string; action: StatusAction; reason: StatusChangeReason }): Promise<IssuedBatch> {
      const batch = await service.batch(batchId);
      const rule = TRANSITIONS[action];
      if (!rule.from.includes(batch.state)) throw new UrbisError('STATUS_TRANSITION_FORBIDDEN', `a ${batch.state} credential cannot be ${action}d`);
      const entries = await statusLists.entriesOfBatch(batchId);
      outbox.enqueueMany(entries.map((e) => ({ listId: e.listId, index: e.index, value: rule.value, reason: action === 'unsuspend' ? 'suspension-lifted' : reason })));
      await db.updateTable('issued_batches').set({ state: rule.to, suspended_by_restriction: 0 }).where('id', '=', batchId).execute();
      return { ...batch, state: rule.to };
    },
    /** GDPR art. 18: suspends every active batch of the citizen, marked as suspended by the restriction. Returns how many. */
    async suspendForRestriction({ citizenId }: { citizenId: string }): Promise<number> {
      let count = 0;
      for (const batch of await service.batchesOf(citizenId)) {
        if (batch.state !== 'active') continue;
        await service.apply({ batchId: batch.id, action: 'suspend', reason: 'holder-request' });
        await db.updateTable('issued_batches').set({ suspended_by_restriction: 1 }).where('id', '=', batch.id).execute();
        count++;
      }
      return count;
    },
    /** Lifting a restriction unsuspends exactly the batches the restriction suspended. Returns how many. */
    async liftRestriction({ citizenId }: { citizenId: string }): Promise<number> {
      const rows = await db.selectFrom('issued_batches').select('id').where('citizen_id', '=', citizenId).where('suspended_by_restriction', '=', 1).where('state', '=', 'suspended').execute();
      for (const { id } of rows) {
        await service.apply({ batchId: id, action: 'unsuspend', reason: 'suspension-lifted' });
        await db.updateTable('issued_batches').set({ suspended_by_restriction: 0 }).where('id', '=', id).execute();
      }
      return rows.length;
    },
    /** Revokes every batch of a citizen that is not revoked yet, optionally only those matching `filter`; returns the batches revoked. */
    async revokeWhere({ citizenId, reason, filter = () => true }: { citizenId: string; reason: StatusChangeReason; filter?: (batch: IssuedBatch) => boolean }): Promise<IssuedBatch[]> {
      const revoked: IssuedBatch[] = [];
      for (const batch of await service.batchesOf(citizenId)) {
        if (batch.state === 'revoked' || !filter(batch)) continue;
        revoked.push(await service.apply({ batchId: batch.id, action: 'revoke', reason }));
      }
      return revoked;
    },
  };
  return service;
}

/** The credential status service. */
export type CredentialStatus = ReturnType<typeof createCredentialStatus>;
