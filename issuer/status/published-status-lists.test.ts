import { randomBytes } from 'node:crypto';
import { describeEachEngine } from '../db/testing/test-databases.js';
import type { IssuerKeyStore } from '../keys/issuer-key-store.js';
import { createPublishedStatusLists } from './published-status-lists.js';
import { createStatusLists, type StatusLists } from './status-lists.js';

const T0 = 1_790_000_000_000;
const DID = 'did:web:gijon.city.example';
/** Never reached on the paths tested here (no chain is ever returned). */
const NO_KEYS = {} as IssuerKeyStore;

type Registry = Parameters<typeof createPublishedStatusLists>[0]['registry'];

/** Rejections the test settles later: keeps Node from reporting them as unhandled meanwhile. */
function settle<T>(promise: Promise<T>): Promise<{ code: unknown; message: string } | 'resolved'> {
  return promise.then(
    () => 'resolved' as const,
    (error: unknown) => ({ code: (error as { code?: unknown }).code, message: (error as Error).message }),
  );
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describeEachEngine('published status lists', (database) => {
  async function setup(registry: Registry) {
    const { db } = database();
    const statusLists = createStatusLists({ db, randomBytes: (n) => new Uint8Array(randomBytes(n)) });
    await statusLists.register({ listId: 1, uri: 'https://gijon.city.example/status/1', size: 131_072 });
    return { published: createPublishedStatusLists({ statusLists, keys: NO_KEYS, did: DID, registry, now: () => T0 }) };
  }

  test('an unknown list is STATUS_LIST_UNKNOWN, before the chain is asked', async () => {
    let asked = 0;
    const { published } = await setup(async () => {
      asked++;
      return undefined;
    });
    await expect(published.get(99)).rejects.toMatchObject({ code: 'STATUS_LIST_UNKNOWN' });
    expect(asked).toBe(0);
  });

  test('no chain configured is CHAIN_UNREACHABLE, and the failure is not cached', async () => {
    let asked = 0;
    const { published } = await setup(async () => {
      asked++;
      return undefined;
    });
    expect(published.ttlSeconds).toBe(60);
    await expect(published.get(1)).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE', message: 'this issuer publishes no status lists (no chain configured)' });
    await expect(published.get(1)).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE' });
    expect(asked).toBe(2);
  });

  test('a registry that throws (chain down) is CHAIN_UNREACHABLE with the cause kept', async () => {
    const down = new Error('connect ECONNREFUSED 127.0.0.1:8545');
    const { published } = await setup(async () => {
      throw down;
    });
    await expect(published.get(1)).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE', message: 'the status chain cannot be reached', cause: down });
  });
});

/** The status lists of an issuer with list 1 only, without a database: answers in microtasks. */
const FAKE_LISTS = {
  async list(listId: number) {
    if (listId !== 1) throw Object.assign(new Error('this issuer has no such status list'), { code: 'STATUS_LIST_UNKNOWN' });
    return { listId, uri: 'https://gijon.city.example/status/1', size: 131_072, allocated: 0 };
  },
} as unknown as StatusLists;

test('one fetch per list at a time: callers within the ttl share it; invalidate and expiry start a new one', async () => {
  const gates: ((value: undefined) => void)[] = [];
  let clock = T0;
  const published = createPublishedStatusLists({
    statusLists: FAKE_LISTS,
    keys: NO_KEYS,
    did: DID,
    registry: () =>
      new Promise<undefined>((resolve) => {
        gates.push(resolve);
      }),
    now: () => clock,
    ttlSeconds: 30,
  });
  const pending: Promise<unknown>[] = [];
  try {
    const first = settle(published.get(1));
    pending.push(first);
    await waitFor(() => gates.length === 1);
    const shared = settle(published.get(1));
    clock = T0 + 30_000; // still within the ttl (inclusive)
    const sharedToo = settle(published.get(1));
    pending.push(shared, sharedToo);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(gates).toHaveLength(1);

    published.invalidate(1);
    const afterInvalidate = settle(published.get(1));
    pending.push(afterInvalidate);
    await waitFor(() => gates.length === 2);

    clock = T0 + 30_000 + 30_001; // past the ttl of the second fetch (made at T0 + 30 s)
    const afterExpiry = settle(published.get(1));
    pending.push(afterExpiry);
    await waitFor(() => gates.length === 3);

    published.invalidate(42); // another list: no effect
    for (const open of gates) open(undefined);
    for (const result of await Promise.all([first, shared, sharedToo, afterInvalidate, afterExpiry])) expect(result).toMatchObject({ code: 'CHAIN_UNREACHABLE' });

    // Failures leave the cache: the next call asks again.
    const again = settle(published.get(1));
    pending.push(again);
    await waitFor(() => gates.length === 4);
    gates[3]!(undefined);
    expect(await again).toMatchObject({ code: 'CHAIN_UNREACHABLE' });
  } finally {
    for (const open of gates) open(undefined);
    await Promise.all(pending);
  }
});
