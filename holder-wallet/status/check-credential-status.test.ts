import { describe, expect, it } from '@jest/globals';
import { buildDidWebDocument } from '../../core/did/did-web-document.js';
import { createPakoCompression } from '../../core/status/pako-compression.js';
import { signStatusListToken } from '../../core/status/status-list-jwt.js';
import { buildStatusListTokenPayload } from '../../core/status/token-status-list.js';
import type { CredentialKit } from '../../core/test-kit/credential-kit.js';
import type { FetchLike } from '../oid4vci/issuer-http.js';
import type { WalletStore } from '../store/wallet-store.js';
import { walletWithCopies } from '../testing/test-wallet.js';
import { checkCredentialStatus } from './check-credential-status.js';

const ISSUER_URL = 'https://gijon.urbis.example';

/** A wallet with 3 resident and 2 pool copies from the kit's issuer, which it trusts; and that issuer's status list and DID document served by a fetch. */
async function setUp({ spentResident = 0 } = {}): Promise<{ kit: CredentialKit; store: WalletStore; served: { fetch: FetchLike; requests: string[]; signWith?: CredentialKit['issuer']['signingKey']; iss?: string; down?: boolean } }> {
  const { kit, store } = await walletWithCopies([
    { type: 'ResidentCredential', count: 3, spent: spentResident },
    { type: 'ServiceEntitlementCredential', serviceId: 'pools', count: 2 },
  ]);
  await store.mutate((document) => {
    document.trustedIssuers.push({ issuerUrl: ISSUER_URL, name: 'Gijón', issuerIds: [kit.issuer.id] });
    for (const copy of document.credentials) copy.issuerUrl = ISSUER_URL;
  });
  const didDocument = await buildDidWebDocument({ did: kit.issuer.id, keys: [{ publicJwk: kit.issuer.keyPair.publicJwk, id: 'key-1' }] });
  const served: { fetch: FetchLike; requests: string[]; signWith?: CredentialKit['issuer']['signingKey']; iss?: string; down?: boolean } = {
    requests: [],
    fetch: async (url, init) => {
      served.requests.push(url);
      if (served.down) throw new TypeError('fetch failed');
      if (url === kit.statusListUri) {
        expect(new Headers(init?.headers).get('accept')).toBe('application/statuslist+jwt');
        const payload = buildStatusListTokenPayload({ sub: kit.statusListUri, iat: kit.now - 10, iss: served.iss ?? kit.issuer.id, list: kit.statusList, compression: createPakoCompression() });
        const token = await signStatusListToken({ payload, signingKey: served.signWith ?? kit.issuer.signingKey, kid: kit.issuer.kid });
        return new Response(token, { headers: { 'content-type': 'application/statuslist+jwt' } });
      }
      if (url === `${ISSUER_URL}/.well-known/did.json`) return Response.json(didDocument);
      return new Response('not found', { status: 404 });
    },
  };
  return { kit, store, served };
}

const at = (kit: CredentialKit) => () => kit.now * 1000;

describe('checkCredentialStatus', () => {
  it('reads every unspent copy as valid from one fetch of the list, and stores the status on the copies', async () => {
    const { kit, store, served } = await setUp({ spentResident: 1 });
    const check = await checkCredentialStatus({ store, fetch: served.fetch, now: at(kit) });
    expect(check.failures).toEqual([]);
    expect(check.checkedAt).toBe(kit.now);
    expect(check.credentials).toEqual([
      { credentialType: 'ResidentCredential', issuerId: kit.issuer.id, status: 'valid', copies: { valid: 2 } },
      { credentialType: 'ServiceEntitlementCredential', serviceId: 'pools', issuerId: kit.issuer.id, status: 'valid', copies: { valid: 2 } },
    ]);
    expect(served.requests.filter((u) => u === kit.statusListUri)).toHaveLength(1);
    const document = await store.load();
    expect(document.credentials.filter((c) => c.spentAt === undefined).every((c) => c.status === 'valid' && c.statusCheckedAt === kit.now)).toBe(true);
    expect(document.credentials.filter((c) => c.spentAt !== undefined).every((c) => c.status === undefined)).toBe(true);
  });

  it('shows revoked and suspended copies (the worst status per credential, with counts)', async () => {
    const { kit, store, served } = await setUp();
    const copies = (await store.load()).credentials;
    const indexOf = (copy: { credential: string }) => {
      const payload = JSON.parse(Buffer.from(copy.credential.split('.')[1]!, 'base64url').toString('utf8'));
      return payload.status.status_list.idx as number;
    };
    kit.statusList.set(indexOf(copies[0]!), 1);
    kit.statusList.set(indexOf(copies[3]!), 2);
    const check = await checkCredentialStatus({ store, fetch: served.fetch, now: at(kit) });
    expect(check.credentials).toEqual([
      expect.objectContaining({ credentialType: 'ResidentCredential', status: 'revoked', copies: { revoked: 1, valid: 2 } }),
      expect.objectContaining({ credentialType: 'ServiceEntitlementCredential', status: 'suspended', copies: { suspended: 1, valid: 1 } }),
    ]);
    expect((await store.load()).credentials.map((c) => c.status)).toEqual(['revoked', 'valid', 'valid', 'suspended', 'valid']);
  });

  it('keeps the previous status when the list cannot be trusted or read, and reports why', async () => {
    const { kit, store, served } = await setUp();
    await checkCredentialStatus({ store, fetch: served.fetch, now: at(kit) });

    served.signWith = kit.crypto.signingKeyFromJwk({ privateJwk: kit.crypto.generateKeyPair().privateJwk, kid: kit.issuer.kid });
    const forged = await checkCredentialStatus({ store, fetch: served.fetch, now: at(kit) });
    expect(forged.failures).toEqual([{ uri: kit.statusListUri, code: 'SIGNATURE_INVALID' }]);
    expect(forged.credentials.every((c) => c.status === 'valid')).toBe(true);
    delete served.signWith;

    served.iss = 'did:web:other.example';
    expect((await checkCredentialStatus({ store, fetch: served.fetch, now: at(kit) })).failures).toEqual([{ uri: kit.statusListUri, code: 'CLAIM_INVALID' }]);
    delete served.iss;

    served.down = true;
    const offline = await checkCredentialStatus({ store, fetch: served.fetch, now: () => (kit.now + 60) * 1000 });
    expect(offline.failures).toEqual([{ uri: kit.statusListUri, code: 'ISSUER_UNREACHABLE' }]);
    expect((await store.load()).credentials.every((c) => c.status === 'valid' && c.statusCheckedAt === kit.now)).toBe(true);
  });

  it('refuses to read the key of an issuer no longer in the trust list', async () => {
    const { kit, store, served } = await setUp();
    await store.mutate((document) => {
      document.trustedIssuers = [];
    });
    const check = await checkCredentialStatus({ store, fetch: served.fetch, now: at(kit) });
    expect(check.failures).toEqual([{ uri: kit.statusListUri, code: 'ISSUER_UNTRUSTED' }]);
    expect(served.requests).not.toContain(`${ISSUER_URL}/.well-known/did.json`);
  });
});
