import type { PublicJwk } from '../../../core/crypto/ports.js';
import type { CredentialTypeName } from '../../../core/credentials/credential-types.js';
import { calculateJwkThumbprint } from '../../../core/keys/jwk-thumbprint.js';
import { StatusList } from '../../../core/status/status-list.js';
import type { CredentialKit } from '../../../core/test-kit/credential-kit.js';
import type { SnapshotContent, SnapshotIssuer } from '../../../registry/snapshot/snapshot-content.js';

/**
 * A federation member as a snapshot lists it: one key (its thumbprint), the
 * types it is accredited for, valid from a day before `now` for a year.
 * Test and benchmark support.
 */
export async function snapshotIssuerOf({
  kit,
  id,
  kid,
  publicJwk,
  credentialTypes,
  suspended = false,
}: {
  kit: CredentialKit;
  id: string;
  kid: string;
  publicJwk: PublicJwk;
  credentialTypes: readonly CredentialTypeName[];
  suspended?: boolean;
}): Promise<SnapshotIssuer> {
  const thumbprint = await calculateJwkThumbprint({ publicJwk, hash: kit.crypto.hash });
  return { did: id, keyThumbprints: [thumbprint], keys: [{ kid, thumbprint, publicJwk }], credentialTypes: [...credentialTypes], validFrom: kit.now - 86_400, validUntil: kit.now + 365 * 86_400, suspended };
}

/**
 * The content of a terminal snapshot over core's test kit: the kit's issuer
 * (accredited for `credentialTypes`), any `otherIssuers`, and the kit's
 * status list (list 0) with the `statuses` given (index → 1 revoked, 2
 * suspended), synced at `block` / `syncedAt`. The chain and registry
 * addresses are Hardhat's first deployments. Test and benchmark support.
 */
export async function kitSnapshotContent({
  kit,
  block = 40,
  syncedAt = kit.now - 60,
  statuses = {},
  credentialTypes = ['ResidentCredential', 'ServiceEntitlementCredential'],
  otherIssuers = [],
}: {
  kit: CredentialKit;
  block?: number;
  syncedAt?: number;
  statuses?: Readonly<Record<number, number>>;
  credentialTypes?: readonly CredentialTypeName[];
  otherIssuers?: readonly SnapshotIssuer[];
}): Promise<SnapshotContent> {
  const list = StatusList.create({ size: kit.statusListSize });
  for (const [index, value] of Object.entries(statuses)) list.set(Number(index), value);
  return {
    chainId: 7777,
    statusRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    trustedIssuerRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    sync: { blockNumber: block, blockHash: `0x${block.toString(16).padStart(64, '0')}`, blockTime: syncedAt - 5, syncedAt },
    issuers: [await snapshotIssuerOf({ kit, id: kit.issuer.id, kid: kit.issuer.kid, publicJwk: kit.issuer.keyPair.publicJwk, credentialTypes }), ...otherIssuers],
    lists: [{ listId: 0, uri: kit.statusListUri, sequence: 1, list }],
    journal: [],
  };
}
