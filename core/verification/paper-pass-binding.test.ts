import { beforeEach, describe, expect, it } from '@jest/globals';
import { decodeCompactJws } from '../jose/compact-jws.js';
import type { UrbisErrorCode } from '../errors/urbis-error.js';
import { issueCredential } from '../issuance/issue-credential.js';
import { decodeCompactPresentation, encodeCompactPresentation } from '../presentation/compact-presentation.js';
import { STATUS_REVOKED } from '../status/status-source.js';
import { createCredentialKit, KIT_NONCE, type CredentialKit } from '../test-kit/credential-kit.js';
import { createTrustedIssuerLookup } from '../trust/trusted-issuer.js';
import type { KeyBindingExpectation } from './policies/key-binding-policy.js';
import type { PresentationVerificationResult } from './verification-result.js';
import { verifyPresentation } from './verify-presentation.js';

/** Issue #8: a printed PaperServicePass is a bearer credential, accepted only by a paper scan. */
describe('paper pass binding', () => {
  let kit: CredentialKit;
  beforeEach(() => {
    kit = createCredentialKit();
    const city = kit.trustedIssuers[0]!;
    kit.trustedIssuers[0] = { ...city, credentialTypes: [...city.credentialTypes, 'PaperServicePass'] };
  });

  const codes = (result: PresentationVerificationResult): UrbisErrorCode[] => (result.ok ? [] : result.failures.map((f) => f.code));

  const issuePaper = (statusIndex = 77) => kit.issuePaper({ statusIndex });

  const check = (presentation: unknown, keyBinding: KeyBindingExpectation = { paper: true }, now = kit.now) =>
    verifyPresentation({
      presentation,
      crypto: kit.crypto,
      trust: createTrustedIssuerLookup(kit.trustedIssuers),
      status: kit.status,
      replayCache: kit.replayCache,
      keyBinding,
      now,
    });

  it('is issued without holder key, key-binding JWT or disclosures', async () => {
    const paper = await issuePaper();
    expect(paper.endsWith('~')).toBe(true);
    expect(paper.split('~')).toHaveLength(2);
    const { payload } = decodeCompactJws(paper.slice(0, -1));
    expect(payload).not.toHaveProperty('cnf');
    expect(payload).toMatchObject({ vct: 'urn:urbis:vct:paper-service-pass:1', service_id: kit.entitlementClaims.service_id, pseudonym: kit.entitlementClaims.pseudonym });
  });

  it('is accepted by a paper scan, at every visit (the same sheet each time: nothing is remembered)', async () => {
    const paper = await issuePaper();
    for (const at of [kit.now, kit.now + 60, kit.now + 3_000]) {
      const result = await check(paper, { paper: true }, at);
      expect(result).toMatchObject({ ok: true, type: 'PaperServicePass', format: 'dc+sd-jwt', claims: kit.entitlementClaims });
    }
  });

  it('survives the compact QR form', async () => {
    const paper = await issuePaper();
    const bytes = encodeCompactPresentation({ text: paper });
    expect(bytes.length).toBeLessThan(paper.length);
    expect((await check(decodeCompactPresentation({ bytes }))).ok).toBe(true);
  });

  it('is refused where key binding is expected: answers to requests and scanner-only presentations', async () => {
    const paper = await issuePaper();
    expect(codes(await check(paper, { nonce: KIT_NONCE, audience: kit.audience }))).toEqual(['PAPER_NOT_ACCEPTED']);
    expect(codes(await check(paper, { scanner: true, audience: kit.audience }))).toEqual(['PAPER_NOT_ACCEPTED']);
  });

  it('a paper scan refuses a holder-bound credential, with or without its key binding', async () => {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder });
    expect(codes(await check(credential))).toEqual(['PAPER_PASS_EXPECTED']);
    const presentation = await kit.present({ credential, holder, claims: [['service_id'], ['pseudonym']] });
    expect(codes(await check(presentation))).toEqual(['PAPER_PASS_EXPECTED']);
  });

  it('refuses a key-binding JWT appended to a paper pass', async () => {
    const paper = await issuePaper();
    const holder = kit.newHolder();
    const other = await kit.present({ credential: await kit.issue({ format: 'dc+sd-jwt', holder }), holder, claims: [['municipality']] });
    const kbJwt = other.slice(other.lastIndexOf('~') + 1);
    expect(codes(await check(paper + kbJwt))).toEqual(['KB_UNEXPECTED']);
  });

  it('is refused when revoked, expired, altered, or from an issuer not accredited for paper passes', async () => {
    const paper = await issuePaper(91);
    kit.statusList.set(91, STATUS_REVOKED);
    expect(codes(await check(paper))).toEqual(['STATUS_REVOKED']);

    const fresh = await issuePaper(92);
    expect(codes(await check(fresh, { paper: true }, kit.now + 91 * 86_400))).toContain('CREDENTIAL_EXPIRED');

    const [header, payload, signature] = fresh.slice(0, -1).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const altered = [header, Buffer.from(JSON.stringify({ ...claims, tier: 'senior' })).toString('base64url'), signature].join('.') + '~';
    expect(codes(await check(altered))).toEqual(['SIGNATURE_INVALID']);

    const city = kit.trustedIssuers[0]!;
    kit.trustedIssuers[0] = { ...city, credentialTypes: city.credentialTypes.filter((t) => t !== 'PaperServicePass') };
    expect(codes(await check(fresh))).toEqual(['ISSUER_NOT_ACCREDITED']);
  });

  it('is never issued with a holder key, and an entitlement never without one', async () => {
    const holder = kit.newHolder();
    const issue = (type: 'PaperServicePass' | 'ServiceEntitlementCredential', holderKey: object) =>
      issueCredential({
        format: 'dc+sd-jwt',
        type,
        claims: kit.entitlementClaims,
        issuer: { id: kit.issuer.id, signingKey: kit.issuer.signingKey },
        statusListUri: kit.statusListUri,
        validFrom: kit.now,
        validUntil: kit.now + 86_400,
        crypto: kit.crypto,
        statusIndex: 5,
        ...holderKey,
      });
    await expect(issue('PaperServicePass', { holderPublicJwk: holder.keyPair.publicJwk })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(issue('ServiceEntitlementCredential', {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
