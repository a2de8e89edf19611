import { describe, expect, it } from '@jest/globals';
import { walletWithCopies } from '../testing/test-wallet.js';
import { describeCopy } from './copy-description.js';

describe('describeCopy', () => {
  it.each(['dc+sd-jwt', 'vc+sd-jwt'] as const)('reads type, issuer, service, status entry and expiry of a %s copy', async (format) => {
    const { kit, document } = await walletWithCopies([
      { type: 'ResidentCredential', format, count: 1 },
      { type: 'ServiceEntitlementCredential', format, serviceId: 'pools', count: 1 },
    ]);
    const [resident, pools] = document.credentials;
    await expect(describeCopy({ credential: resident!.credential, format })).resolves.toEqual({
      credentialType: 'ResidentCredential',
      issuerId: kit.issuer.id,
      status: { uri: kit.statusListUri, index: expect.any(Number) },
      expiresAt: kit.now + 365 * 86_400,
    });
    await expect(describeCopy({ credential: pools!.credential, format })).resolves.toMatchObject({ credentialType: 'ServiceEntitlementCredential', serviceId: 'pools' });
  });

  it('refuses a damaged copy with its decoding code, and a foreign type with CREDENTIAL_TYPE_UNKNOWN', async () => {
    const { document } = await walletWithCopies([{ type: 'ResidentCredential', count: 1 }]);
    const credential = document.credentials[0]!.credential;
    await expect(describeCopy({ credential: credential.slice(0, -1), format: 'dc+sd-jwt' })).rejects.toMatchObject({ code: expect.any(String) });
    const [jwt] = credential.split('~');
    const [header, payload, signature] = jwt!.split('.');
    const foreign = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    foreign.vct = 'urn:eu:pid:1';
    const forged = `${header}.${Buffer.from(JSON.stringify(foreign)).toString('base64url')}.${signature}~`;
    await expect(describeCopy({ credential: forged, format: 'dc+sd-jwt' })).rejects.toMatchObject({ code: 'CREDENTIAL_TYPE_UNKNOWN' });
  });
});
