import { describe, expect, it } from '@jest/globals';
import { runSoak } from './run-soak.js';

/**
 * Issue 7, reliability run, short: the city demo under ~15 s of citizen
 * load (enrol, validate, receive, present over HTTP, revoke) with Gijón's
 * issuer restarted half-way; every revocation is then refused at the
 * terminal, no copy shares a status entry or a holder key, and the
 * terminal's files and log lines hold none of the citizens' data.
 */
describe('soak: a short reliability run', () => {
  it('passes every end-of-run check', async () => {
    const report = await runSoak({ seconds: 15 });
    expect(report.checks).toEqual({
      revocationsVisible: expect.objectContaining({ ok: true }),
      noDoubleIssuance: expect.objectContaining({ ok: true }),
      terminalForgets: expect.objectContaining({ ok: true }),
    });
    expect(report.ok).toBe(true);
    expect(report.issuerRestarts).toBe(1);
    expect(report.presentations).toBeGreaterThan(0);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.revocations).toBeGreaterThan(0);
  }, 60_000);
});
