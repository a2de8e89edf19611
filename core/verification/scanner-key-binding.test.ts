import { beforeEach, describe, expect, it } from '@jest/globals';
import type { UrbisErrorCode } from '../errors/urbis-error.js';
import { createCredentialKit, type CredentialKit } from '../test-kit/credential-kit.js';
import type { ReplayCache } from '../trust/replay-cache.js';
import { createTrustedIssuerLookup } from '../trust/trusted-issuer.js';
import { DEFAULT_SCANNER_MAX_AGE_SECONDS } from './policies/key-binding-policy.js';
import type { PresentationVerificationResult } from './verification-result.js';
import { verifyPresentation } from './verify-presentation.js';

/** DESIGN §4 flow (b): the terminal shows nothing; the wallet binds to the terminal id, a nonce of its own and the time. */
describe('scanner-only key binding', () => {
  let kit: CredentialKit;
  const terminal = 'urbis:terminal:gijon-pool-1';
  const walletNonce = 'wallet-chosen-nonce-7d1e0c';
  beforeEach(() => {
    kit = createCredentialKit();
  });

  const codes = (result: PresentationVerificationResult): UrbisErrorCode[] => (result.ok ? [] : result.failures.map((f) => f.code));

  async function scan({ nonce = walletNonce, audience = terminal, iat = kit.now, at = kit.now, replayCache = kit.replayCache, maxAgeSeconds }: { nonce?: string; audience?: string; iat?: number; at?: number; replayCache?: ReplayCache | null; maxAgeSeconds?: number } = {}) {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder });
    const presentation = await kit.present({ credential, holder, claims: [['age_over_18']], nonce, audience, iat });
    return verifyPresentation({
      presentation,
      crypto: kit.crypto,
      trust: createTrustedIssuerLookup(kit.trustedIssuers),
      status: kit.status,
      keyBinding: { scanner: true, audience: terminal, ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }) },
      ...(replayCache === null ? {} : { replayCache }),
      now: at,
    }).then((result) => ({ result, presentation }));
  }

  it('accepts a presentation bound to this terminal with a nonce of its own, fresh iat, once', async () => {
    const { result, presentation } = await scan();
    expect(result).toMatchObject({ ok: true, claims: { age_over_18: true } });
    const again = await verifyPresentation({
      presentation,
      crypto: kit.crypto,
      trust: createTrustedIssuerLookup(kit.trustedIssuers),
      status: kit.status,
      keyBinding: { scanner: true, audience: terminal },
      replayCache: kit.replayCache,
      now: kit.now + 5,
    });
    expect(codes(again)).toEqual(['KB_REPLAYED']);
  });

  it('refuses a short nonce, another terminal, and an iat outside the short window', async () => {
    expect(codes((await scan({ nonce: 'short' })).result)).toEqual(['KB_NONCE_MISMATCH']);
    expect(codes((await scan({ audience: 'urbis:terminal:gijon-library-2' })).result)).toEqual(['KB_AUD_MISMATCH']);
    expect(codes((await scan({ iat: kit.now - DEFAULT_SCANNER_MAX_AGE_SECONDS - 1 })).result)).toEqual(['KB_IAT_OUT_OF_WINDOW']);
    expect((await scan({ iat: kit.now - DEFAULT_SCANNER_MAX_AGE_SECONDS + 1 })).result.ok).toBe(true);
    expect(codes((await scan({ iat: kit.now - 20, maxAgeSeconds: 10 })).result)).toEqual(['KB_IAT_OUT_OF_WINDOW']);
  });

  it('a scanner window wider than the verifier limit is capped by the limit', async () => {
    expect(codes((await scan({ iat: kit.now - 301, maxAgeSeconds: 3_600 })).result)).toEqual(['KB_IAT_OUT_OF_WINDOW']);
  });

  it('refuses to check scanner presentations without a replay cache (INVALID_ARGUMENT)', async () => {
    await expect(scan({ replayCache: null })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('keeps request-flow nonces exact', async () => {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder });
    const presentation = await kit.present({ credential, holder, claims: [], nonce: walletNonce });
    expect(codes(await kit.verify({ presentation }))).toEqual(['KB_NONCE_MISMATCH']);
  });
});
