import { describe, expect, it } from '@jest/globals';
import { runSoak } from './run-soak.js';

/**
 * Issue 7, reliability run, short: the city demo under ~15 s of citizen
 * load (enrol, validate, receive, present over HTTP, revoke; each citizen
 * from its own loopback address) with the chain node away for 4 s (every
 * chain client behind a proxy that refuses and cuts connections) and
 * Gijón's issuer restarted half-way; every revocation — one made while the
 * chain was away among them — is then refused at the terminal, no copy
 * shares a status entry or a holder key, the terminal's files and log lines
 * hold none of the citizens' data, and the outage was felt by the terminal
 * and the publishers and recovered from.
 */
describe('soak: a short reliability run', () => {
  it('passes every end-of-run check', async () => {
    const report = await runSoak({ seconds: 15 });
    expect(report.checks).toEqual({
      revocationsVisible: expect.objectContaining({ ok: true }),
      noDoubleIssuance: expect.objectContaining({ ok: true }),
      terminalForgets: expect.objectContaining({ ok: true }),
      chainOutagesRecovered: expect.objectContaining({ ok: true }),
    });
    expect(report.ok).toBe(true);
    expect(report.issuerRestarts).toBe(1);
    expect(report.presentations).toBeGreaterThan(0);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.revocations).toBeGreaterThan(0);
    expect(report.outagesSurvived).toBe(1);
    const [outage] = report.outages;
    expect(outage!.failedSyncs).toBeGreaterThan(0);
    expect(outage!.failedPublishes).toBeGreaterThan(0);
    expect(outage!.revocationsDuring).toBeGreaterThan(0);
    expect(outage!.snapshotKept).toBe(true);
    // Every citizen enrolled from its own address: no enrolment was refused by the per-address limit.
    expect(report.clientAddresses).toBeGreaterThanOrEqual(report.enrolments);
    expect(Object.keys(report.loopErrors).filter((e) => e.includes('429'))).toEqual([]);
  }, 90_000);
});
