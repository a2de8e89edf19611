import { describe, expect, it } from '@jest/globals';
import type { FetchLike } from '../oid4vci/issuer-http.js';
import { walletWithCopies } from '../testing/test-wallet.js';
import { refreshCopies, reissueAfterRestore } from './refresh-copies.js';

/** The HTTP flows are tested against the real issuer in e2e/wallet-lifecycle.test.ts; these are the cases decided before any request. */
describe('refreshCopies / reissueAfterRestore without a way back to the issuer', () => {
  const noNetwork: FetchLike = async () => {
    throw new Error('no request expected');
  };

  it('reports REFRESH_NOT_AVAILABLE for a credential with no refresh token, sending nothing', async () => {
    const { store } = await walletWithCopies([{ type: 'ServiceEntitlementCredential', serviceId: 'pools', count: 1 }]);
    const outcomes = await refreshCopies({ store, fetch: noNetwork, targets: [{ issuerUrl: 'https://sede.gijon.es', configurationId: 'pools.dc+sd-jwt' }] });
    expect(outcomes).toEqual([{ issuerUrl: 'https://sede.gijon.es', configurationId: 'pools.dc+sd-jwt', outcome: 'failed', copies: 0, code: 'REFRESH_NOT_AVAILABLE' }]);
  });

  it('has nothing to refresh when no credential runs low', async () => {
    const { store } = await walletWithCopies([{ type: 'ResidentCredential', count: 4 }]);
    await expect(refreshCopies({ store, fetch: noNetwork })).resolves.toEqual([]);
  });

  it('reports copies restored without their issuer URL as REFRESH_NOT_AVAILABLE', async () => {
    const { store, kit } = await walletWithCopies([{ type: 'ResidentCredential', count: 1 }]);
    const outcomes = await reissueAfterRestore({
      store,
      fetch: noNetwork,
      needs: [{ credentialId: 'x', credentialType: 'ResidentCredential', format: 'dc+sd-jwt', issuerId: kit.issuer.id, reason: 'key-not-exportable' }],
    });
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'failed', code: 'REFRESH_NOT_AVAILABLE' })]);
  });
});
