import type { SigningKey } from '../../core/crypto/ports.js';
import type { Compression } from '../../core/status/compression.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import { signStatusListToken } from '../../core/status/status-list-jwt.js';
import type { StatusList } from '../../core/status/status-list.js';
import { buildStatusListTokenPayload } from '../../core/status/token-status-list.js';

/**
 * Publishes a list as an IETF Status List Token (`statuslist+jwt`,
 * draft-ietf-oauth-status-list §5.1): `sub` is the URI the Referenced Tokens
 * point at (`status.status_list.uri`), `status_list` the ZLIB-compressed
 * LSB-first bytes, signed ES256 by the issuer (header `kid` from `kid` or the
 * signing key). The list is normally the chain state read by
 * `readListFromChain`, so the token says exactly what the chain says at that
 * block.
 *
 * @throws UrbisError `ALG_NOT_ALLOWED` (not an ES256 key); `INVALID_ARGUMENT`
 *   (empty uri, bad iat/exp/ttl).
 *
 * @example
 * ```ts
 * const { list } = await readListFromChain({ client, provider, listId: 3 });
 * const jwt = await publishTokenStatusList({
 *   list,
 *   uri: 'https://city.example/status/3',
 *   iss: 'did:web:city.example',
 *   signingKey,
 *   iat: Math.floor(Date.now() / 1000),
 *   ttl: 300,
 * });
 * ```
 */
export async function publishTokenStatusList({
  list,
  uri,
  signingKey,
  iat,
  ttl,
  exp,
  iss,
  kid,
  compression = createNodeCompression(),
}: {
  list: StatusList;
  /** The Status List Token's URI: its `sub`, and the `uri` of the credentials. */
  uri: string;
  signingKey: SigningKey;
  /** Issued-at, epoch seconds. */
  iat: number;
  /** Maximum caching time in seconds. */
  ttl?: number;
  /** Expiry, epoch seconds. */
  exp?: number;
  /** The issuer, as the credentials' `iss` names it. */
  iss?: string;
  kid?: string;
  compression?: Compression;
}): Promise<string> {
  const payload = buildStatusListTokenPayload({
    sub: uri,
    iat,
    ...(iss === undefined ? {} : { iss }),
    ...(exp === undefined ? {} : { exp }),
    ...(ttl === undefined ? {} : { ttl }),
    list,
    compression,
  });
  return signStatusListToken({ payload, signingKey, ...(kid === undefined ? {} : { kid }) });
}
