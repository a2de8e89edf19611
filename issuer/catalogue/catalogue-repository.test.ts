import { describeEachEngine } from '../db/testing/test-databases.js';
import { createCatalogueRepository } from './catalogue-repository.js';
import { DEFAULT_CATALOGUE } from './default-catalogue.js';
import type { ServiceDefinition } from './service-definition.js';

const T0 = 1_790_000_000_000;
const NAMES = { en: 'Zoo', es: 'Zoo', fr: 'Zoo' };

describeEachEngine('catalogue repository', (database) => {
  let clock = T0;
  beforeEach(() => {
    clock = T0;
  });
  const setup = () => {
    const { db } = database();
    return { db, catalogue: createCatalogueRepository({ db, now: () => clock }) };
  };

  test('list is cached: a change by this process shows at once, one by another process sharing the database within cacheMs', async () => {
    const { db, catalogue } = setup();
    const other = createCatalogueRepository({ db, now: () => clock });
    await catalogue.seed(DEFAULT_CATALOGUE);
    const zoo = { id: 'zoo', names: NAMES, tiers: ['standard'], requiredDocuments: [], active: true };
    expect((await catalogue.list()).some((s) => s.id === 'zoo')).toBe(false);
    await catalogue.put(zoo);
    expect((await catalogue.list()).some((s) => s.id === 'zoo')).toBe(true);
    // The other process read its list before the change…
    await other.put({ ...zoo, id: 'aquarium' });
    expect((await catalogue.list()).some((s) => s.id === 'aquarium')).toBe(false);
    // …and sees it once its cache expires.
    clock = T0 + 5_001;
    expect((await catalogue.list()).some((s) => s.id === 'aquarium')).toBe(true);
    // Callers cannot change the cached copy.
    (await catalogue.list())[0]!.tiers.length = 0;
    expect((await catalogue.list())[0]!.tiers.length).toBeGreaterThan(0);
  });

  test('seed writes the catalogue once, on an empty table', async () => {
    const { db, catalogue } = setup();
    expect(await catalogue.seed(DEFAULT_CATALOGUE)).toBe(true);
    const byId = (list: readonly ServiceDefinition[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(await catalogue.list()).toEqual(byId(DEFAULT_CATALOGUE));
    clock = T0 + 1_000;
    expect(await catalogue.seed([{ id: 'zoo', names: NAMES, tiers: ['standard'], requiredDocuments: [], active: true }])).toBe(false);
    await expect(catalogue.get('zoo')).rejects.toMatchObject({ code: 'SERVICE_UNKNOWN' });
    const rows = await db.selectFrom('services').select(['id', 'updated_at']).execute();
    expect(rows).toHaveLength(DEFAULT_CATALOGUE.length);
    expect(rows.every((r) => r.updated_at === T0)).toBe(true);
  });

  test('seed validates every service first: one bad entry writes nothing', async () => {
    const { catalogue } = setup();
    await expect(catalogue.seed([DEFAULT_CATALOGUE[0]!, { id: 'Bad Id', names: NAMES, tiers: ['standard'], requiredDocuments: [], active: true }])).rejects.toMatchObject({ code: 'BODY_INVALID' });
    expect(await catalogue.list()).toEqual([]);
    expect(await catalogue.seed(DEFAULT_CATALOGUE)).toBe(true);
  });

  test('seeding an empty list writes nothing, and a later seed still can', async () => {
    const { catalogue } = setup();
    expect(await catalogue.seed([])).toBe(true);
    expect(await catalogue.list()).toEqual([]);
    expect(await catalogue.seed(DEFAULT_CATALOGUE.slice(0, 2))).toBe(true);
    expect(await catalogue.list()).toHaveLength(2);
  });

  test('list is ordered by id; activeOnly leaves inactive services out', async () => {
    const { catalogue } = setup();
    await catalogue.seed(DEFAULT_CATALOGUE);
    await catalogue.put({ ...DEFAULT_CATALOGUE.find((s) => s.id === 'parking')!, active: false });
    const all = await catalogue.list();
    expect(all.map((s) => s.id)).toEqual(['library', 'parking', 'pools', 'sports-booking', 'transport', 'waste-centre', 'youth-pass']);
    expect(all.find((s) => s.id === 'parking')!.active).toBe(false);
    expect((await catalogue.list({ activeOnly: true })).map((s) => s.id)).toEqual(['library', 'pools', 'sports-booking', 'transport', 'waste-centre', 'youth-pass']);
    expect(await catalogue.list({ activeOnly: false })).toEqual(all);
  });

  test('get returns one service with its age limits; an unknown id is SERVICE_UNKNOWN', async () => {
    const { catalogue } = setup();
    await catalogue.seed(DEFAULT_CATALOGUE);
    expect(await catalogue.get('youth-pass')).toEqual(DEFAULT_CATALOGUE.find((s) => s.id === 'youth-pass'));
    const library = await catalogue.get('library');
    expect(library).not.toHaveProperty('minAge');
    expect(library).not.toHaveProperty('maxAge');
    await expect(catalogue.get('zoo')).rejects.toMatchObject({ code: 'SERVICE_UNKNOWN', message: 'no such service in the catalogue' });
    await expect(catalogue.get('')).rejects.toMatchObject({ code: 'SERVICE_UNKNOWN' });
  });

  test('put adds a new service (validated, defaults applied) and returns it', async () => {
    const { db, catalogue } = setup();
    const added = await catalogue.put({ id: 'zoo', names: NAMES, tiers: ['standard', 'family'], minAge: 0 });
    expect(added).toEqual({ id: 'zoo', names: NAMES, tiers: ['standard', 'family'], requiredDocuments: [], minAge: 0, active: true });
    expect(await catalogue.get('zoo')).toEqual(added);
    const row = await db.selectFrom('services').selectAll().where('id', '=', 'zoo').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ min_age: 0, max_age: null, active: 1, updated_at: T0 });
    expect(JSON.parse(row.names)).toEqual(NAMES);
  });

  test('put replaces every column of an existing service', async () => {
    const { db, catalogue } = setup();
    await catalogue.seed(DEFAULT_CATALOGUE);
    clock = T0 + 5_000;
    const updated = await catalogue.put({ id: 'youth-pass', names: { en: 'Youth card', es: 'Carné joven', fr: 'Carte jeune' }, tiers: ['youth', 'reduced'], requiredDocuments: ['student_card'], maxAge: 26, active: false });
    expect(await catalogue.get('youth-pass')).toEqual(updated);
    expect(updated).not.toHaveProperty('minAge');
    const row = await db.selectFrom('services').selectAll().where('id', '=', 'youth-pass').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ min_age: null, max_age: 26, active: 0, updated_at: T0 + 5_000 });
    expect(JSON.parse(row.tiers)).toEqual(['youth', 'reduced']);
    expect(JSON.parse(row.required_documents)).toEqual(['student_card']);
    expect(await db.selectFrom('services').select('id').execute()).toHaveLength(DEFAULT_CATALOGUE.length);
    // Other services are untouched.
    expect(await catalogue.get('pools')).toEqual(DEFAULT_CATALOGUE.find((s) => s.id === 'pools'));
  });

  test('put refuses an invalid definition with BODY_INVALID and changes nothing', async () => {
    const { catalogue } = setup();
    await catalogue.seed(DEFAULT_CATALOGUE);
    await expect(catalogue.put({ id: 'pools', names: NAMES, tiers: [] })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    await expect(catalogue.put({ id: 'pools', names: NAMES, tiers: ['standard'], minAge: 40, maxAge: 20 })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    await expect(catalogue.put(null)).rejects.toMatchObject({ code: 'BODY_INVALID' });
    expect(await catalogue.get('pools')).toEqual(DEFAULT_CATALOGUE.find((s) => s.id === 'pools'));
  });

  test('a put service counts as the catalogue: seed no longer writes', async () => {
    const { catalogue } = setup();
    await catalogue.put({ id: 'zoo', names: NAMES, tiers: ['standard'] });
    expect(await catalogue.seed(DEFAULT_CATALOGUE)).toBe(false);
    expect((await catalogue.list()).map((s) => s.id)).toEqual(['zoo']);
  });
});
