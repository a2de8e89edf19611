import type { JsonRpcProvider } from 'ethers';
import type { SigningKey } from '../../core/crypto/ports.js';
import type { Compression } from '../../core/status/compression.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import type { StatusRegistryClient } from '../chain/status-registry-client.js';
import { publishBitstringStatusListCredential, type PublishedBitstringStatusList } from './publish-bitstring-status-list.js';
import { publishTokenStatusList } from './publish-token-status-list.js';
import { readListFromChain, type ChainListState } from './read-list-from-chain.js';

/** Both published forms of one chain list, and the state they were derived from. */
export interface PublishedStatusList {
  state: ChainListState;
  /** IETF Status List Token (`statuslist+jwt`). */
  token: string;
  /** W3C Bitstring Status List credential (`vc+jwt`). */
  bitstring: PublishedBitstringStatusList;
}

/**
 * Reads list `listId` from chain state (at `blockTag`, default the latest
 * block) and publishes both forms from that one read, so the two always
 * agree: the IETF Status List Token (`sub` = `uri`) and the W3C Bitstring
 * Status List credential (`id` = `uri`). One URI serves both forms (by
 * content negotiation on `Accept`: `application/statuslist+jwt` or
 * `application/vc+jwt`), which is also the URI a terminal snapshot files the
 * list under. Issued at `now`; the token's `ttl` and the credential's
 * `validUntil` (`now + validitySeconds`) tell relying parties when to fetch
 * again.
 *
 * @throws UrbisError as `readListFromChain`, `publishTokenStatusList` and
 *   `publishBitstringStatusListCredential`.
 *
 * @example
 * ```ts
 * const { token, bitstring } = await publishListFromChain({
 *   client: status, provider, listId: 3, uri: 'https://city.example/status/3',
 *   issuer: 'did:web:city.example', signingKey, now: Math.floor(Date.now() / 1000),
 * });
 * ```
 */
export async function publishListFromChain({
  client,
  provider,
  listId,
  blockTag,
  uri,
  issuer,
  signingKey,
  now,
  ttlSeconds = 300,
  validitySeconds = 86_400,
  compression = createNodeCompression(),
}: {
  client: StatusRegistryClient;
  provider: JsonRpcProvider;
  listId: number;
  blockTag?: number;
  uri: string;
  /** The issuer's DID. */
  issuer: string;
  signingKey: SigningKey;
  /** Epoch seconds. */
  now: number;
  ttlSeconds?: number;
  validitySeconds?: number;
  compression?: Compression;
}): Promise<PublishedStatusList> {
  const state = await readListFromChain({ client, provider, listId, ...(blockTag === undefined ? {} : { blockTag }) });
  const token = await publishTokenStatusList({
    list: state.list,
    uri,
    iss: issuer,
    signingKey,
    iat: now,
    exp: now + validitySeconds,
    ttl: ttlSeconds,
    compression,
  });
  const bitstring = await publishBitstringStatusListCredential({
    list: state.list,
    id: uri,
    issuer,
    signingKey,
    validFrom: new Date(now * 1000),
    validUntil: new Date((now + validitySeconds) * 1000),
    ttl: ttlSeconds * 1000,
    compression,
  });
  return { state, token, bitstring };
}
