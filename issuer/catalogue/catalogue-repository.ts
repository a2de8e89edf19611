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

/**
 * The catalogue in the database. `list()` is read on every credential request, so it is cached for
 * `cacheMs` (default 5 s): a change made by this process shows at once, one made by another process
 * sharing the database within `cacheMs`.
 */
export function createCatalogueRepository({ db, now = Date.now, cacheMs = 5_000 }: { db: Kysely<IssuerDatabase>; now?: () => number; cacheMs?: number }): CatalogueRepository {
  let cached: { at: number; services: Promise<ServiceDefinition[]> } | undefined;
  const all = (): Promise<ServiceDefinition[]> => {
    const at = now();
    if (cached === undefined || at - cached.at > cacheMs || at < cached.at) {
      const services = db.selectFrom('services').selectAll().orderBy('id').execute().then((rows) => rows.map(fromRow));
      cached = { at, services };
      services.catch(() => (cached = undefined));
    }
    return cached.services;
  };
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
      cached = undefined;
      return true;
    },
    async list({ activeOnly = false } = {}) {
      const services = await all();
      return structuredClone(activeOnly ? services.filter((s) => s.active) : services);
    },
    async get(id) {
      const service = (await all()).find((s) => s.id === id);
      if (service === undefined) throw new UrbisError('SERVICE_UNKNOWN', 'no such service in the catalogue');
      return structuredClone(service);
    },
    async put(service) {
      const checked = checkServiceDefinition(service);
      const row = toRow(checked);
      await db
        .insertInto('services')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ names: row.names, tiers: row.tiers, required_documents: row.required_documents, min_age: row.min_age, max_age: row.max_age, active: row.active, updated_at: row.updated_at }))
        .execute();
      cached = undefined;
      return checked;
    },
  };
}
