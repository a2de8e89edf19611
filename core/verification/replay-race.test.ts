import { describe, expect, it } from '@jest/globals';
import type { StatusSource } from '../status/status-source.js';
import { createCredentialKit } from '../test-kit/credential-kit.js';
import { createMemoryReplayCache } from '../trust/replay-cache.js';
import { createTrustedIssuerLookup } from '../trust/trusted-issuer.js';
import { createPresentationVerifier } from './create-presentation-verifier.js';

describe('replay: check and remember in one step', () => {
  it('accepts one of two concurrent verifications of the same presentation, even when a port answers asynchronously', async () => {
    const kit = createCredentialKit();
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder });
    const presentation = await kit.present({ credential, holder, claims: [['age_over_18']] });
    // A status source that answers later (the port allows promises): both verifications pass the replay policy before either remembers.
    const slowStatus: StatusSource = {
      syncedAt: kit.status.syncedAt,
      statusOf: (ref) => new Promise((resolve) => setTimeout(() => resolve(kit.status.statusOf(ref) as number), 5)),
    } as StatusSource;
    const verify = createPresentationVerifier({ crypto: kit.crypto, trust: createTrustedIssuerLookup(kit.trustedIssuers), status: slowStatus, replayCache: createMemoryReplayCache() });
    const request = { presentation, keyBinding: { nonce: 'nonce-3f9a1c', audience: kit.audience }, now: kit.now };
    const results = await Promise.all([verify(request), verify(request), verify(request)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? [] : r.failures.map((f) => f.code)))).toEqual([['KB_REPLAYED'], ['KB_REPLAYED']]);
  });
});
