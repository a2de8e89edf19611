/**
 * The policies stay synchronous with synchronous ports (node:crypto) and
 * must give the same verdicts with asynchronous ones (Web Crypto, a durable
 * replay cache, a status snapshot read from storage).
 */
import { describe, expect, it } from '@jest/globals';
import type { StatusSource } from '../status/status-source.js';
import { createMemoryReplayCache, type ReplayCache } from '../trust/replay-cache.js';
import { createTrustedIssuerLookup } from '../trust/trusted-issuer.js';
import { createCredentialKit } from '../test-kit/credential-kit.js';
import { createPresentationVerifier } from './create-presentation-verifier.js';

const later = <T>(value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), 0));

describe('verification with asynchronous ports', () => {
  it('gives the same verdicts as with synchronous ones', async () => {
    const kit = createCredentialKit();
    const memory = createMemoryReplayCache();
    const replayCache: ReplayCache = { has: (k, now) => later(memory.has(k, now) as boolean), remember: (k, e) => later(memory.remember(k, e) as void) };
    const status: StatusSource = { syncedAt: kit.status.syncedAt, statusOf: (ref) => later(kit.status.statusOf(ref) as number) };
    const verify = createPresentationVerifier({
      crypto: {
        hash: (data, alg) => later(kit.crypto.hash(data, alg)),
        verifySignature: (args) => later(kit.crypto.verifySignature(args)),
      },
      trust: createTrustedIssuerLookup(kit.trustedIssuers),
      status,
      replayCache,
    });
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'vc+sd-jwt', holder, statusIndex: 9 });
    const presentation = await kit.present({ credential, holder, claims: [['age_over_18']] });
    const request = { presentation, keyBinding: { nonce: 'nonce-3f9a1c', audience: kit.audience }, now: kit.now };

    expect(await verify(request)).toMatchObject({ ok: true, claims: { age_over_18: true } });
    expect(await verify(request)).toMatchObject({ ok: false, failures: [{ code: 'KB_REPLAYED' }] });

    kit.statusList.set(9, 1);
    const again = await kit.present({ credential, holder, claims: [['age_over_18']], iat: kit.now - 5 });
    expect(await verify({ ...request, presentation: again })).toMatchObject({ ok: false, failures: [{ code: 'STATUS_REVOKED' }] });

    const stranger = kit.newHolder();
    const forged = (await kit.present({ credential, holder: stranger, claims: [] })).replace(/[^.]+$/, 'A'.repeat(86));
    expect(await verify({ ...request, presentation: forged })).toMatchObject({ ok: false, failures: [{ code: 'KB_SIGNATURE_INVALID' }, { code: 'STATUS_REVOKED' }] });
  });
});
