import { describe, expect, it } from '@jest/globals';
import { walletWithCopies } from '../testing/test-wallet.js';
import { copyInventory } from './copy-inventory.js';
import { lowRefreshTargets } from './refresh-copies.js';

describe('copyInventory', () => {
  it('counts unspent and spent copies per credential, says which run low, and keeps the worst status read', async () => {
    const { document, kit } = await walletWithCopies([
      { type: 'ResidentCredential', count: 5, spent: 1 },
      { type: 'ServiceEntitlementCredential', serviceId: 'pools', count: 3, spent: 1 },
      { type: 'ServiceEntitlementCredential', serviceId: 'library', count: 2 },
    ]);
    document.credentials[1]!.status = 'suspended';
    document.credentials[1]!.statusCheckedAt = kit.now;
    document.credentials[2]!.status = 'valid';
    expect(copyInventory(document)).toEqual([
      { credentialType: 'ResidentCredential', issuerId: kit.issuer.id, format: 'dc+sd-jwt', unspent: 4, spent: 1, low: false, status: 'suspended', statusCheckedAt: kit.now },
      { credentialType: 'ServiceEntitlementCredential', serviceId: 'pools', issuerId: kit.issuer.id, format: 'dc+sd-jwt', unspent: 2, spent: 1, low: true },
      { credentialType: 'ServiceEntitlementCredential', serviceId: 'library', issuerId: kit.issuer.id, format: 'dc+sd-jwt', unspent: 2, spent: 0, low: true },
    ]);
  });

  it('asks to refresh only what runs low, came by OID4VCI, and is not revoked', async () => {
    const { document } = await walletWithCopies([
      { type: 'ResidentCredential', count: 5 },
      { type: 'ServiceEntitlementCredential', serviceId: 'pools', count: 2 },
      { type: 'ServiceEntitlementCredential', serviceId: 'library', count: 1 },
      { type: 'ServiceEntitlementCredential', serviceId: 'parking', count: 1 },
    ]);
    for (const copy of document.credentials) Object.assign(copy, { issuerUrl: 'https://sede.gijon.es', configurationId: `${copy.serviceId ?? 'resident'}.dc+sd-jwt` });
    document.credentials.find((c) => c.serviceId === 'parking')!.status = 'revoked';
    delete document.credentials.find((c) => c.serviceId === 'library')!.issuerUrl;
    expect(lowRefreshTargets(document)).toEqual([{ issuerUrl: 'https://sede.gijon.es', configurationId: 'pools.dc+sd-jwt' }]);
  });
});
