import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCompactPresentation } from '../../core/presentation/compact-presentation.js';
import { blockGlobalFetch } from '../snapshot/testing/offline-network.js';
import type { NegativeCase, NegativeCaseInput, NegativeCaseTerminal, WiredAnswer } from './negative-case.js';
import { NEGATIVE_CASES } from './negative-cases.js';
import { requestNonceOf } from './request-nonce.js';
import { createTerminalFixture, type TerminalFixture, type TerminalFixtureOptions } from './terminal-fixture.js';

/**
 * The terminal's negative suite, written once and run through two wirings
 * (issue 6: "one suite, two wirings"): in-process (`terminal.verify`) and
 * over the local HTTP API. A wiring only says how to ask the terminal for a
 * request and how to hand it a presentation; the cases, the controls and
 * the expectations are the same. Test support (imports Jest).
 *
 * Offline proof (issue 6): every fixture's snapshot holds a network adapter
 * that throws on any call, and the global `fetch` is replaced by one that
 * throws for the whole suite; the last test checks that nothing tried.
 * (The HTTP wiring's client therefore uses `node:http`, not `fetch`.)
 */

/** A terminal as a wiring exposes it. */
export interface WiredTerminal {
  newRequest(args: { serviceId: string }): Promise<{ link: string; serviceId: string }>;
  verify(input: NegativeCaseInput): Promise<WiredAnswer>;
  close(): Promise<void>;
}

/** How a wiring reaches a fixture's terminal. */
export type TerminalWiring = (fixture: TerminalFixture) => Promise<WiredTerminal>;

const FIXTURE_OPTIONS: Record<NegativeCaseTerminal, TerminalFixtureOptions> = {
  request: {},
  scanner: { scannerServiceId: 'pools' },
  'stale-snapshot': { snapshotAgeSeconds: 3 * 86_400 },
};

function rejectedTotal(fixture: TerminalFixture): number {
  return Object.values(fixture.counters.snapshot().services).reduce((sum, counts) => sum + counts.rejected, 0);
}

/**
 * Declares the negative suite under `title` for one wiring.
 *
 * @example
 * ```ts
 * describeNegativeSuite({ title: 'terminal negative suite, in-process', wire: async (fixture) => inProcess(fixture) });
 * ```
 */
export function describeNegativeSuite({ title, wire, cases = NEGATIVE_CASES }: { title: string; wire: TerminalWiring; cases?: readonly NegativeCase[] }): void {
  describe(title, () => {
    const terminals = new Map<NegativeCaseTerminal, { fixture: TerminalFixture; wired: WiredTerminal }>();
    let blocked: ReturnType<typeof blockGlobalFetch> | undefined;
    const at = (kind: NegativeCaseTerminal) => {
      const found = terminals.get(kind);
      if (found === undefined) throw new Error(`no ${kind} terminal`);
      return found;
    };

    beforeAll(async () => {
      blocked = blockGlobalFetch();
      for (const kind of Object.keys(FIXTURE_OPTIONS) as NegativeCaseTerminal[]) {
        const fixture = await createTerminalFixture(FIXTURE_OPTIONS[kind]);
        terminals.set(kind, { fixture, wired: await wire(fixture) });
      }
    });

    afterAll(async () => {
      blocked?.restore();
      for (const { fixture, wired } of terminals.values()) {
        await wired.close();
        await fixture.close();
      }
    });

    it('control: an honest answer to a request is accepted, as text and as compact QR bytes, with only the claims the policy asked for', async () => {
      const { fixture, wired } = at('request');
      for (const encode of [(text: string) => text, (text: string) => encodeCompactPresentation({ text })]) {
        const request = await wired.newRequest({ serviceId: 'pools' });
        const { credential, holder } = await fixture.issue();
        const answer = await wired.verify({ presentation: encode(await fixture.answer({ request, credential, holder })) });
        expect(answer).toMatchObject({ kind: 'verdict', ok: true, verdict: { ok: true, serviceId: 'pools', flow: 'request', accepted: 'entitlement', claims: { service_id: 'pools', tier: 'standard' } } });
        expect(answer.text).not.toContain(requestNonceOf(request));
      }
    });

    it('control: an honest scan is accepted once at the scanner terminal', async () => {
      const { fixture, wired } = at('scanner');
      const { credential, holder } = await fixture.issue();
      const answer = await wired.verify({ presentation: await fixture.scan({ credential, holder }) });
      expect(answer).toMatchObject({ ok: true, verdict: { ok: true, serviceId: 'pools', flow: 'scanner' } });
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const { fixture, wired } = at(c.terminal ?? 'request');
      const input = await c.make({ fixture, newRequest: (args) => wired.newRequest(args), verify: (i) => wired.verify(i) });
      const before = rejectedTotal(fixture);
      const answer = await wired.verify(input);
      expect(answer.ok).toBe(false);
      expect(answer.codes).toEqual(expect.arrayContaining([...c.expect]));
      // A refusal names checks and codes, never a claim value.
      const { entitlementClaims, residentClaims } = fixture.kit;
      for (const value of [entitlementClaims.pseudonym, residentClaims.given_name, residentClaims.family_name, residentClaims.address.street_address]) {
        expect(answer.text).not.toContain(value);
      }
      // A verdict for a service is counted once; a problem (the terminal never ran) is not.
      const counted = answer.kind === 'verdict' && answer.verdict?.serviceId !== undefined ? 1 : 0;
      expect(rejectedTotal(fixture) - before).toBe(counted);
    });

    it('offline: no terminal tried the network (snapshot adapter and global fetch both refuse every call)', () => {
      expect(blocked?.attempts).toEqual([]);
      for (const { fixture } of terminals.values()) expect(fixture.network.attempts).toEqual([]);
    });
  });
}
