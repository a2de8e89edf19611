import type { Kysely, Selectable, Transaction } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { ApplicationsTable, CitizensTable, IssuerDatabase } from '../db/database-schema.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import type { ConsentPurpose, IdentityInput, ServiceChoiceInput } from './enrolment-input.js';

/** A citizen as the issuer holds them. */
export interface Citizen extends IdentityInput {
  id: string;
  cardNumber?: string;
  restricted: boolean;
  objectedPurposes: string[];
  createdAt: number;
  updatedAt: number;
}

/** An application for the city card. */
export interface Application {
  id: string;
  reference: string;
  citizenId: string;
  state: ApplicationsTable['state'];
  rejectionReason?: string;
  submittedAt: number;
  decidedAt?: number;
  decidedBy?: string;
}

/** A chosen service. */
export interface ServiceChoice extends ServiceChoiceInput {
  chosenAt: number;
}

/** A consent record (history is kept: the latest per purpose wins). */
export interface ConsentRecord {
  purpose: string;
  granted: boolean;
  recordedAt: number;
}

/** A supporting document's metadata (the contents are in the vault). */
export interface DocumentRecord {
  id: string;
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  storageKey: string;
  applicationId?: string;
  uploadedAt: number;
}

type Db = Kysely<IssuerDatabase> | Transaction<IssuerDatabase>;

export function citizenFromRow(row: Selectable<CitizensTable>): Citizen {
  return {
    id: row.id,
    ...(row.card_number === null ? {} : { cardNumber: row.card_number }),
    given_name: row.given_name,
    family_name: row.family_name,
    birthdate: row.birthdate,
    ...(row.email === null ? {} : { email: row.email }),
    ...(row.phone === null ? {} : { phone: row.phone }),
    address: { street_address: row.street_address, postal_code: row.postal_code, locality: row.locality, country: row.country },
    resident_since: row.resident_since,
    restricted: row.restricted === 1,
    objectedPurposes: JSON.parse(row.objected_purposes) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function applicationFromRow(row: Selectable<ApplicationsTable>): Application {
  return {
    id: row.id,
    reference: row.reference,
    citizenId: row.citizen_id,
    state: row.state,
    ...(row.rejection_reason === null ? {} : { rejectionReason: row.rejection_reason }),
    submittedAt: row.submitted_at,
    ...(row.decided_at === null ? {} : { decidedAt: row.decided_at }),
    ...(row.decided_by === null ? {} : { decidedBy: row.decided_by }),
  };
}

/** Identity columns of a citizen row from identity input. */
export function identityColumns(identity: IdentityInput) {
  return {
    given_name: identity.given_name,
    family_name: identity.family_name,
    birthdate: identity.birthdate,
    email: identity.email ?? null,
    phone: identity.phone ?? null,
    street_address: identity.address.street_address,
    postal_code: identity.address.postal_code,
    locality: identity.address.locality,
    country: identity.address.country,
    resident_since: identity.resident_since,
  };
}

/**
 * Reads and writes citizens and what hangs off them: applications, service
 * choices, consents, document metadata. Every method takes an optional
 * transaction so services can group writes.
 */
export function createCitizenRepository({ db }: { db: Kysely<IssuerDatabase> }) {
  return {
    db,
    async insertCitizen(tx: Db, { id, identity, cardNumber, now }: { id: string; identity: IdentityInput; cardNumber?: string; now: number }): Promise<void> {
      try {
        await tx.insertInto('citizens').values({ id, card_number: cardNumber ?? null, ...identityColumns(identity), created_at: now, updated_at: now }).execute();
      } catch (cause) {
        if (cardNumber !== undefined && isUniqueViolation(cause)) throw new UrbisError('CARD_NUMBER_TAKEN', 'this card number is already held', { cause });
        throw cause;
      }
    },
    async citizen(id: string, tx: Db = db): Promise<Citizen> {
      const row = await tx.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such citizen');
      return citizenFromRow(row);
    },
    async citizenIdByCardNumber(cardNumber: string): Promise<string | undefined> {
      return (await db.selectFrom('citizens').select('id').where('card_number', '=', cardNumber).executeTakeFirst())?.id;
    },
    async updateIdentity(tx: Db, { id, identity, now }: { id: string; identity: IdentityInput; now: number }): Promise<void> {
      await tx.updateTable('citizens').set({ ...identityColumns(identity), updated_at: now }).where('id', '=', id).execute();
    },
    async setFlags(tx: Db, { id, restricted, objectedPurposes, cardNumber, now }: { id: string; restricted?: boolean; objectedPurposes?: string[]; cardNumber?: string; now: number }): Promise<void> {
      await tx
        .updateTable('citizens')
        .set({
          updated_at: now,
          ...(restricted === undefined ? {} : { restricted: restricted ? 1 : 0 }),
          ...(objectedPurposes === undefined ? {} : { objected_purposes: JSON.stringify(objectedPurposes) }),
          ...(cardNumber === undefined ? {} : { card_number: cardNumber }),
        })
        .where('id', '=', id)
        .execute();
    },
    async insertApplication(tx: Db, application: { id: string; reference: string; citizenId: string; now: number }): Promise<void> {
      await tx
        .insertInto('applications')
        .values({ id: application.id, reference: application.reference, citizen_id: application.citizenId, state: 'submitted', rejection_reason: null, submitted_at: application.now, decided_at: null, decided_by: null })
        .execute();
    },
    async applications(citizenId: string, tx: Db = db): Promise<Application[]> {
      return (await tx.selectFrom('applications').selectAll().where('citizen_id', '=', citizenId).orderBy('submitted_at').execute()).map(applicationFromRow);
    },
    async applicationByReference(reference: string, tx: Db = db): Promise<Application> {
      const row = await tx.selectFrom('applications').selectAll().where('reference', '=', reference).executeTakeFirst();
      if (row === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such application');
      return applicationFromRow(row);
    },
    async latestApplication(citizenId: string, tx: Db = db): Promise<Application | undefined> {
      const row = await tx.selectFrom('applications').selectAll().where('citizen_id', '=', citizenId).orderBy('submitted_at', 'desc').limit(1).executeTakeFirst();
      return row === undefined ? undefined : applicationFromRow(row);
    },
    async decideApplication(tx: Db, { id, state, reason, staffId, now }: { id: string; state: 'validated' | 'rejected'; reason?: string; staffId: string; now: number }): Promise<boolean> {
      const result = await tx
        .updateTable('applications')
        .set({ state, rejection_reason: reason ?? null, decided_at: now, decided_by: staffId })
        .where('id', '=', id)
        .where('state', '=', 'submitted')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async queue({ state, limit, after }: { state: ApplicationsTable['state']; limit: number; after?: number }): Promise<Application[]> {
      let q = db.selectFrom('applications').selectAll().where('state', '=', state).orderBy('submitted_at').limit(limit);
      if (after !== undefined) q = q.where('submitted_at', '>', after);
      return (await q.execute()).map(applicationFromRow);
    },
    async choices(citizenId: string, tx: Db = db): Promise<ServiceChoice[]> {
      const rows = await tx.selectFrom('service_choices').selectAll().where('citizen_id', '=', citizenId).orderBy('service_id').execute();
      return rows.map((r) => ({ service_id: r.service_id, tier: r.tier as ServiceChoice['tier'], chosenAt: r.chosen_at }));
    },
    async replaceChoices(tx: Db, { citizenId, choices, now }: { citizenId: string; choices: readonly ServiceChoiceInput[]; now: number }): Promise<void> {
      const existing = new Map((await tx.selectFrom('service_choices').selectAll().where('citizen_id', '=', citizenId).execute()).map((r) => [r.service_id, r]));
      await tx.deleteFrom('service_choices').where('citizen_id', '=', citizenId).execute();
      if (choices.length > 0) {
        await tx
          .insertInto('service_choices')
          .values(
            choices.map((c) => {
              const kept = existing.get(c.service_id);
              return { citizen_id: citizenId, service_id: c.service_id, tier: c.tier, chosen_at: kept !== undefined && kept.tier === c.tier ? kept.chosen_at : now };
            }),
          )
          .execute();
      }
    },
    async recordConsents(tx: Db, { citizenId, consents, now }: { citizenId: string; consents: Partial<Record<ConsentPurpose, boolean>>; now: number }): Promise<void> {
      const rows = Object.entries(consents).map(([purpose, granted]) => ({ citizen_id: citizenId, purpose, granted: (granted ? 1 : 0) as 0 | 1, recorded_at: now }));
      if (rows.length > 0) await tx.insertInto('consents').values(rows).execute();
    },
    async consents(citizenId: string, tx: Db = db): Promise<ConsentRecord[]> {
      const rows = await tx.selectFrom('consents').selectAll().where('citizen_id', '=', citizenId).orderBy('id').execute();
      return rows.map((r) => ({ purpose: r.purpose, granted: r.granted === 1, recordedAt: r.recorded_at }));
    },
    /** The current consent per purpose (latest record wins). */
    async currentConsents(citizenId: string, tx: Db = db): Promise<Record<string, boolean>> {
      const out: Record<string, boolean> = {};
      for (const c of await this.consents(citizenId, tx)) out[c.purpose] = c.granted;
      return out;
    },
    async insertDocument(tx: Db, doc: DocumentRecord & { citizenId: string }): Promise<void> {
      await tx
        .insertInto('documents')
        .values({ id: doc.id, citizen_id: doc.citizenId, application_id: doc.applicationId ?? null, kind: doc.kind, mime: doc.mime, size: doc.size, sha256: doc.sha256, storage_key: doc.storageKey, uploaded_at: doc.uploadedAt })
        .execute();
    },
    async documents(citizenId: string, tx: Db = db): Promise<DocumentRecord[]> {
      const rows = await tx.selectFrom('documents').selectAll().where('citizen_id', '=', citizenId).orderBy('uploaded_at').execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        mime: r.mime,
        size: r.size,
        sha256: r.sha256,
        storageKey: r.storage_key,
        ...(r.application_id === null ? {} : { applicationId: r.application_id }),
        uploadedAt: r.uploaded_at,
      }));
    },
    async document(id: string): Promise<DocumentRecord & { citizenId: string }> {
      const r = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
      if (r === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such document');
      return { id: r.id, citizenId: r.citizen_id, kind: r.kind, mime: r.mime, size: r.size, sha256: r.sha256, storageKey: r.storage_key, ...(r.application_id === null ? {} : { applicationId: r.application_id }), uploadedAt: r.uploaded_at };
    },
    async deleteCitizen(tx: Db, id: string): Promise<void> {
      await tx.deleteFrom('citizens').where('id', '=', id).execute();
    },
  };
}

/** The citizen repository. */
export type CitizenRepository = ReturnType<typeof createCitizenRepository>;
