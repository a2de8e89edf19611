import { Resolver } from 'did-resolver';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';

/**
 * A did-resolver `Resolver` for did:key only (key-did-resolver): resolution is
 * pure computation on the DID string, so verification never needs the
 * network. Any other DID method fails to resolve.
 *
 * @example
 * ```ts
 * const doc = await createLocalDidKeyResolver().resolve('did:key:zDn…');
 * ```
 */
export function createLocalDidKeyResolver(): Resolver {
  return new Resolver({ ...getKeyDidResolver() });
}
