import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { encodeCompactPresentation } from '../../core/presentation/compact-presentation.js';
import { createCredentialKit, type CredentialKit } from '../../core/test-kit/credential-kit.js';
import { createMemoryReplayCache } from '../../core/trust/replay-cache.js';
import { createTrustedIssuerLookup } from '../../core/trust/trusted-issuer.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { STATUS_REVOKED } from '../../core/status/status-source.js';
import { createOutcomeCounters } from '../counters/outcome-counters.js';
import { parseServicePolicies } from '../policy/parse-service-policies.js';
import { createRequestIssuer } from '../requests/request-issuer.js';
import type { TerminalSnapshot } from '../snapshot/terminal-snapshot.js';
import { createTerminal, type Terminal, type TerminalParts } from './terminal.js';

const TERMINAL_ID = 'urbis:terminal:gijon-pool-1';
const POLICIES = parseServicePolicies(readFileSync(new URL('../policy/fixtures/gijon-policies.json', import.meta.url), 'utf8'));

/** A terminal over core's test kit: the kit's issuer trusted, its status list as the snapshot, in-memory replay cache and counters. */
async function setUp({ scannerServiceId, ageSeconds = 60, replayCache = createMemoryReplayCache() }: { scannerServiceId?: string; ageSeconds?: number; replayCache?: TerminalParts['replayCache'] } = {}): Promise<{ kit: CredentialKit; terminal: Terminal }> {
  const kit = createCredentialKit();
  // The kit's city is accredited for paper passes too (issue #8).
  const city = kit.trustedIssuers[0]!;
  kit.trustedIssuers[0] = { ...city, credentialTypes: [...city.credentialTypes, 'PaperServicePass'] };
  const snapshot = {
    ports: { status: kit.status, trust: createTrustedIssuerLookup(kit.trustedIssuers) },
    health: () => ({ loaded: true, ageSeconds }) as ReturnType<TerminalSnapshot['health']>,
  };
  const terminal = createTerminal({
    terminalId: TERMINAL_ID,
    policies: POLICIES,
    snapshot,
    replayCache,
    requests: createRequestIssuer({ terminalId: TERMINAL_ID, now: () => kit.now }),
    counters: await createOutcomeCounters({ now: () => kit.now }),
    crypto: kit.crypto,
    now: () => kit.now,
    ...(scannerServiceId === undefined ? {} : { scannerServiceId }),
  });
  return { kit, terminal };
}

/** A pools entitlement presented as the wallet would answer `nonce` (service_id and tier disclosed, as the policy's query asks). */
async function poolsPresentation(kit: CredentialKit, { nonce, claims = [['service_id'], ['tier']] }: { nonce: string; claims?: string[][] }): Promise<string> {
  const holder = kit.newHolder();
  const credential = await kit.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder });
  return kit.present({ credential, holder, claims, nonce, audience: TERMINAL_ID });
}

/** A printed paper pass for `serviceId` (issue #8): bearer, every claim in the clear. */
const paperPass = (kit: CredentialKit, { serviceId, statusIndex = 808 }: { serviceId: string; statusIndex?: number }): Promise<string> => kit.issuePaper({ serviceId, statusIndex });

const nonceOf = (link: string): string => new URL(link).searchParams.get('nonce')!;
const codes = (verdict: Awaited<ReturnType<Terminal['verify']>>) => (verdict.ok ? [] : verdict.failures.map((f) => f.code));

describe('terminal', () => {
  it('answers its own request: accepted, with only the claims the policy asked for, counted', async () => {
    const { kit, terminal } = await setUp();
    const request = await terminal.newRequest({ serviceId: 'pools' });
    expect(request.link.startsWith('openid4vp://?')).toBe(true);
    expect(request.qr.svg).toMatch(/^<svg/);
    const presentation = await poolsPresentation(kit, { nonce: nonceOf(request.link), claims: [['service_id'], ['tier'], ['pseudonym']] });
    const verdict = await terminal.verify({ presentation });
    expect(verdict).toEqual({
      ok: true,
      serviceId: 'pools',
      flow: 'request',
      accepted: expect.any(String),
      credentialType: 'ServiceEntitlementCredential',
      claims: { service_id: 'pools', tier: 'standard' },
      warnings: [],
    });
    expect(terminal.health().counts.services).toEqual({ pools: { accepted: 1, rejected: 0, rejectedByCode: {} } });
  });

  it('takes the compact QR bytes and a one-entry vp_token as well as the text', async () => {
    const { kit, terminal } = await setUp();
    const compact = await terminal.newRequest({ serviceId: 'pools' });
    const bytes = encodeCompactPresentation({ text: await poolsPresentation(kit, { nonce: nonceOf(compact.link) }) });
    expect((await terminal.verify({ presentation: bytes })).ok).toBe(true);
    const token = await terminal.newRequest({ serviceId: 'pools' });
    const text = JSON.stringify({ pools_dc: [await poolsPresentation(kit, { nonce: nonceOf(token.link) })] });
    expect((await terminal.verify({ presentation: text })).ok).toBe(true);
  });

  it('a request is answered once; an answer to no pending request is KB_NONCE_MISMATCH', async () => {
    const { kit, terminal } = await setUp();
    const request = await terminal.newRequest({ serviceId: 'pools' });
    const presentation = await poolsPresentation(kit, { nonce: nonceOf(request.link) });
    expect((await terminal.verify({ presentation })).ok).toBe(true);
    expect(codes(await terminal.verify({ presentation }))).toEqual(['KB_NONCE_MISMATCH']);
    expect(codes(await terminal.verify({ presentation: await poolsPresentation(kit, { nonce: 'never-issued-nonce-0001' }), serviceId: 'pools' }))).toEqual(['KB_NONCE_MISMATCH']);
    expect(terminal.health().counts.services.pools).toMatchObject({ accepted: 1, rejected: 1, rejectedByCode: { KB_NONCE_MISMATCH: 1 } });
  });

  it("refuses an answer to another service's request, and a policy refusal has its own code", async () => {
    const { kit, terminal } = await setUp();
    const request = await terminal.newRequest({ serviceId: 'pools' });
    expect(codes(await terminal.verify({ presentation: await poolsPresentation(kit, { nonce: nonceOf(request.link) }), serviceId: 'library' }))).toEqual(['POLICY_SERVICE_MISMATCH']);
    const library = await terminal.newRequest({ serviceId: 'library' });
    const verdict = await terminal.verify({ presentation: await poolsPresentation(kit, { nonce: nonceOf(library.link), claims: [['service_id'], ['pseudonym']] }) });
    expect(codes(verdict)).toContain('POLICY_SERVICE_MISMATCH');
  });

  it('scanner-only: binds to the terminal id and a fresh wallet nonce; the replay cache refuses the same QR twice', async () => {
    const { kit, terminal } = await setUp({ scannerServiceId: 'pools' });
    const presentation = await poolsPresentation(kit, { nonce: 'wallet-chosen-nonce-01' });
    expect(await terminal.verify({ presentation })).toMatchObject({ ok: true, flow: 'scanner', serviceId: 'pools' });
    expect(codes(await terminal.verify({ presentation }))).toEqual(['KB_REPLAYED']);
    const elsewhere = await kit.present({ ...(await (async () => {
      const holder = kit.newHolder();
      return { holder, credential: await kit.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder }) };
    })()), claims: [['service_id'], ['tier']], nonce: 'wallet-chosen-nonce-02', audience: 'urbis:terminal:gijon-library-2' });
    expect(codes(await terminal.verify({ presentation: elsewhere }))).toEqual(['KB_AUD_MISMATCH']);
    // Only the scanner service takes wallet-chosen nonces.
    const library = await poolsPresentation(kit, { nonce: 'wallet-chosen-nonce-03', claims: [['service_id'], ['pseudonym']] });
    expect(codes(await terminal.verify({ presentation: library, serviceId: 'library' }))).toEqual(['KB_NONCE_MISMATCH']);
    // Bad input on a scanner terminal is counted under its service.
    expect(codes(await terminal.verify({ presentation: 'é'.repeat(40 * 1024) }))).toEqual(['INPUT_TOO_LARGE']);
    expect(terminal.health().counts.services.pools).toMatchObject({ accepted: 1, rejectedByCode: { KB_REPLAYED: 1, KB_AUD_MISMATCH: 1, INPUT_TOO_LARGE: 1 } });
    expect(terminal.health().counts.services.library).toMatchObject({ rejectedByCode: { KB_NONCE_MISMATCH: 1 } });
  });

  it('a replay cache that cannot write: the request flow still answers (its nonce is the guard), the scanner flow fails closed', async () => {
    const memory = createMemoryReplayCache();
    const failingDisk: TerminalParts['replayCache'] = {
      has: (key, at) => memory.has(key, at),
      remember: async (key, expiresAt) => {
        memory.remember(key, expiresAt);
        throw new UrbisError('SNAPSHOT_STORAGE_FAILED', 'disk full');
      },
      size: () => memory.size(),
    };
    const { kit, terminal } = await setUp({ scannerServiceId: 'pools', replayCache: failingDisk });
    const request = await terminal.newRequest({ serviceId: 'pools' });
    expect((await terminal.verify({ presentation: await poolsPresentation(kit, { nonce: nonceOf(request.link) }) })).ok).toBe(true);
    expect(codes(await terminal.verify({ presentation: await poolsPresentation(kit, { nonce: 'wallet-chosen-nonce-09' }) }))).toEqual(['SNAPSHOT_STORAGE_FAILED']);
  });

  it('a stale snapshot fails closed under the default policy', async () => {
    const { kit, terminal } = await setUp({ ageSeconds: 10 * 86_400 });
    expect(terminal.health().status).toBe('degraded');
    const request = await terminal.newRequest({ serviceId: 'pools' });
    expect(codes(await terminal.verify({ presentation: await poolsPresentation(kit, { nonce: nonceOf(request.link) }) }))).toContain('SNAPSHOT_STALE');
  });

  it('bad input gets typed codes and is counted only when its service is known', async () => {
    const { terminal } = await setUp();
    expect(codes(await terminal.verify({ presentation: 'x'.repeat(70 * 1024) }))).toEqual(['INPUT_TOO_LARGE']);
    expect(codes(await terminal.verify({ presentation: Uint8Array.of(0x55, 0x51, 0x01, 0xff, 0x00) }))).toEqual(['BODY_INVALID']);
    expect(codes(await terminal.verify({ presentation: Uint8Array.of(0xff, 0xfe) }))).toEqual(['BODY_INVALID']);
    expect(codes(await terminal.verify({ presentation: '{"a":["x"],"b":["y"]}' }))).toEqual(['BODY_INVALID']);
    expect(codes(await terminal.verify({ presentation: '{not json' }))).toEqual(['JSON_INVALID']);
    expect(codes(await terminal.verify({ presentation: 'not.a.presentation~' }))).toEqual(['KB_MISSING']);
    expect(codes(await terminal.verify({ presentation: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln' }))).toEqual(['SD_JWT_MISSING_TILDE']);
    expect(codes(await terminal.verify({ presentation: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln~a!.b.c' }))).not.toEqual(['KB_NONCE_MISMATCH']);
    expect(codes(await terminal.verify({ presentation: '' }))).toEqual(['BODY_INVALID']);
    await expect(terminal.verify({ presentation: 'x', serviceId: 'casino' })).rejects.toMatchObject({ code: 'SERVICE_UNKNOWN' });
    await expect(terminal.newRequest({ serviceId: 'casino' })).rejects.toMatchObject({ code: 'SERVICE_UNKNOWN' });
    expect(terminal.health().counts.services).toEqual({});
  });

  it('health reports counts and ages only', async () => {
    const { kit, terminal } = await setUp();
    const request = await terminal.newRequest({ serviceId: 'pools' });
    const presentation = await poolsPresentation(kit, { nonce: nonceOf(request.link), claims: [['service_id'], ['tier'], ['pseudonym']] });
    await terminal.verify({ presentation });
    const health = JSON.stringify(terminal.health());
    const { payload } = decodeCompactJws(presentation.split('~')[0]!);
    for (const secret of [kit.entitlementClaims.pseudonym, nonceOf(request.link), (payload.cnf as { jwk: { x: string } }).jwk.x, String((payload.status as { status_list: { idx: number } }).status_list.idx)]) {
      expect(health).not.toContain(secret);
    }
    expect(terminal.health()).toMatchObject({ terminalId: TERMINAL_ID, status: 'ok', replay: { entries: 1 }, requests: { issued: 1, taken: 1 } });
  });
});

describe('terminal: printed paper passes (issue #8)', () => {
  it('accepts a paper pass where the policy takes paper, at every visit, with only the claims the policy asks for', async () => {
    const { kit, terminal } = await setUp();
    const paper = await paperPass(kit, { serviceId: 'library' });
    for (let visit = 0; visit < 2; visit++) {
      expect(await terminal.verify({ presentation: paper, serviceId: 'library' })).toEqual({
        ok: true,
        serviceId: 'library',
        flow: 'paper',
        accepted: 'entitlement',
        credentialType: 'PaperServicePass',
        claims: { service_id: 'library', pseudonym: kit.entitlementClaims.pseudonym },
        warnings: [],
      });
    }
    expect((await terminal.verify({ presentation: encodeCompactPresentation({ text: paper }), serviceId: 'library' })).ok).toBe(true);
    expect(terminal.health().counts.services.library).toMatchObject({ accepted: 3, rejected: 0 });
  });

  it('refuses paper with its own code where the policy does not take it', async () => {
    const { kit, terminal } = await setUp();
    const verdict = await terminal.verify({ presentation: await paperPass(kit, { serviceId: 'pools' }), serviceId: 'pools' });
    expect(verdict).toMatchObject({ ok: false, serviceId: 'pools', flow: 'paper' });
    expect(codes(verdict)).toEqual(['POLICY_PAPER_REFUSED']);
  });

  it("refuses another service's paper pass, and a revoked one", async () => {
    const { kit, terminal } = await setUp();
    expect(codes(await terminal.verify({ presentation: await paperPass(kit, { serviceId: 'library' }), serviceId: 'waste-centre' }))).toEqual(['POLICY_SERVICE_MISMATCH']);
    const lost = await paperPass(kit, { serviceId: 'library', statusIndex: 809 });
    kit.statusList.set(809, STATUS_REVOKED);
    expect(codes(await terminal.verify({ presentation: lost, serviceId: 'library' }))).toEqual(['STATUS_REVOKED']);
  });

  it('needs to know the service: the one asked, else the scanner service', async () => {
    const { kit, terminal } = await setUp();
    const paper = await paperPass(kit, { serviceId: 'library' });
    expect(await terminal.verify({ presentation: paper })).toMatchObject({ ok: false, flow: 'paper', failures: [{ check: 'input', code: 'SERVICE_UNKNOWN' }] });
    const scanner = await setUp({ scannerServiceId: 'library' });
    expect(await scanner.terminal.verify({ presentation: await paperPass(scanner.kit, { serviceId: 'library' }) })).toMatchObject({ ok: true, serviceId: 'library', flow: 'paper' });
  });

  it('a paper pass with a key-binding JWT appended is not paper, and not an answer to any request', async () => {
    const { kit, terminal } = await setUp();
    const paper = await paperPass(kit, { serviceId: 'library' });
    const request = await terminal.newRequest({ serviceId: 'library' });
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder });
    const answer = await kit.present({ credential, holder, claims: [['service_id']], nonce: nonceOf(request.link), audience: TERMINAL_ID });
    const verdict = await terminal.verify({ presentation: paper + answer.slice(answer.lastIndexOf('~') + 1), serviceId: 'library' });
    expect(verdict.ok).toBe(false);
    expect(codes(verdict)).toEqual(expect.arrayContaining(['PAPER_NOT_ACCEPTED']));
  });
});
