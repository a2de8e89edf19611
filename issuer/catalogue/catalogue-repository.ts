import type { Kysely } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { IssuerDatabase, ServicesTable } from '../db/database-schema.js';
import { checkServiceDefinition, type ServiceDefinition } from './service-definition.js';

function fromRow(row: ServicesTable): ServiceDefinition {
  return {
    id: row.id,
    names: JSON.parse(row.names),
    tiers: JSON.parse(row.tiers),
    requiredDocuments: JSON.parse(row.required_documents),
    ...(row.min_age === null ? {} : { minAge: row.min_age }),
    ...(row.max_age === null ? {} : { maxAge: row.max_age }),
    active: row.active === 1,
  };
}

/** The city's service catalogue, in the database so the back office can change it. */
export interface CatalogueRepository {
  /** Writes `services` when the catalogue is empty (first start); returns whether it did. */
  seed(services: readonly ServiceDefinition[]): Promise<boolean>;
  list(options?: { activeOnly?: boolean }): Promise<ServiceDefinition[]>;
  /** @throws UrbisError `SERVICE_UNKNOWN` */
  get(id: string): Promise<ServiceDefinition>;
  /** Adds or replaces one service (validated). */
  put(service: unknown): Promise<ServiceDefinition>;
}

export function createCatalogueRepository({ db, now = Date.now }: { db: Kysely<IssuerDatabase>; now?: () => number }): CatalogueRepository {
  const toRow = (s: ServiceDefinition): ServicesTable => ({
    id: s.id,
    names: JSON.stringify(s.names),
    tiers: JSON.stringify(s.tiers),
    required_documents: JSON.stringify(s.requiredDocuments),
    min_age: s.minAge ?? null,
    max_age: s.maxAge ?? null,
    active: s.active ? 1 : 0,
    updated_at: now(),
  });
  return {
    async seed(services) {
      const existing = await db.selectFrom('services').select('id').limit(1).execute();
      if (existing.length > 0) return false;
      const checked = services.map(checkServiceDefinition);
      if (checked.length > 0) await db.insertInto('services').values(checked.map(toRow)).execute();
      return true;
    },
    async list({ activeOnly = false } = {}) {
      let query = db.selectFrom('services').selectAll().orderBy('id');
      if (activeOnly) query = query.where('active', '=', 1);
      return (await query.execute()).map(fromRow);
    },
    async get(id) {
      const row = await db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new UrbisError('SERVICE_UNKNOWN', 'no such service in the catalogue');
      return fromRow(row);
    },
    async put(service) {
      const checked = checkServiceDefinition(service);
      const row = toRow(checked);
      await db
        .insertInto('services')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ names: row.names, tiers: row.tiers, required_documents: row.required_documents, min_age: row.min_age, max_age: row.max_age, active: row.active, updated_at: row.updated_at }))
        .execute();
      return checked;
    },
  };
}
