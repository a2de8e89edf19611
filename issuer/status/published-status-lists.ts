import { UrbisError } from '../../core/errors/urbis-error.js';
import type { ChainConnection } from '../../registry/chain/connect-chain.js';
import type { StatusRegistryClient } from '../../registry/chain/status-registry-client.js';
import { publishListFromChain, type PublishedStatusList } from '../../registry/publish/publish-from-chain.js';
import type { IssuerKeyStore } from '../keys/issuer-key-store.js';
import type { StatusLists } from './status-lists.js';

/**
 * The issuer's status lists in their published forms (IETF `statuslist+jwt`
 * and W3C Bitstring Status List `vc+jwt`), derived from chain state and
 * signed with the active key. Each list is cached for `ttlSeconds` (the
 * token's `ttl`) and dropped from the cache as soon as the publisher
 * confirms a change on it, so a revocation shows at once.
 */
export function createPublishedStatusLists({
  statusLists,
  keys,
  did,
  registry,
  now = Date.now,
  ttlSeconds = 60,
}: {
  statusLists: StatusLists;
  keys: IssuerKeyStore;
  did: string;
  /** The chain's status registry, or undefined when no chain is configured. */
  registry: () => Promise<{ client: StatusRegistryClient; connection: ChainConnection } | undefined>;
  now?: () => number;
  ttlSeconds?: number;
}) {
  const cache = new Map<number, { at: number; published: Promise<PublishedStatusList> }>();
  return {
    ttlSeconds,
    /**
     * Both forms of list `listId`.
     * @throws UrbisError `STATUS_LIST_UNKNOWN`, `CHAIN_UNREACHABLE`.
     */
    async get(listId: number): Promise<PublishedStatusList> {
      const list = await statusLists.list(listId);
      const at = now();
      const cached = cache.get(listId);
      if (cached !== undefined && at - cached.at <= ttlSeconds * 1000) return cached.published;
      const published = (async () => {
        let chain;
        try {
          chain = await registry();
        } catch (cause) {
          throw new UrbisError('CHAIN_UNREACHABLE', 'the status chain cannot be reached', { cause });
        }
        if (chain === undefined) throw new UrbisError('CHAIN_UNREACHABLE', 'this issuer publishes no status lists (no chain configured)');
        return publishListFromChain({ client: chain.client, provider: chain.connection.provider, listId, uri: list.uri, issuer: did, signingKey: await keys.activeSigningKey(), now: Math.floor(at / 1000), ttlSeconds });
      })();
      cache.set(listId, { at, published });
      published.catch(() => cache.delete(listId));
      return published;
    },
    /** Drops a list from the cache (the publisher confirmed a change on it). */
    invalidate(listId: number): void {
      cache.delete(listId);
    },
  };
}

/** The published status lists. */
export type PublishedStatusLists = ReturnType<typeof createPublishedStatusLists>;
