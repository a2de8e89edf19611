/**
 * Issue #7, terminal → issuer over real HTTP: a terminal (its real data folder, counters and snapshot key) pushes
 * its daily counts as a signed report to a real issuer (real SQLite file), and staff read them back from
 * `GET /back-office/statistics`. Re-sent and older reports never double count or lower; reports from an unknown
 * terminal, with another signature or another audience are refused and change nothing; nothing but ids, days,
 * codes and counts is stored.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { publicPartOf } from '../core/keys/public-jwk.js';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';
import { loadTerminalConfig, type TerminalConfig } from '../verifier/config/terminal-config.js';
import { sendTerminalReport } from '../verifier/reporting/send-terminal-report.js';
import { startTerminalReporting, type TerminalReporting } from '../verifier/reporting/start-terminal-reporting.js';
import { signTerminalReport } from '../verifier/reporting/terminal-report.js';
import { openLocalSnapshotKey } from '../verifier/snapshot/local-snapshot-key.js';
import { openTerminal, type OpenedTerminal } from '../verifier/terminal/open-terminal.js';

const TERMINAL_ID = 'urbis:terminal:gijon-pool-1';
const today = () => new Date().toISOString().slice(0, 10);

let dir: string;
let fixture: IssuerFixture;
let config: TerminalConfig;
let opened: OpenedTerminal;
let reporting: TerminalReporting;
let admin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'urbis-terminal-report-'));
  const terminalDir = join(dir, 'terminal');
  // The operator's setup: the terminal's key exists (created on first start), the issuer lists its public part.
  const key = await openLocalSnapshotKey({ path: join(terminalDir, 'snapshot-key.json') });
  fixture = await startIssuerFixture({ overrides: { terminalKeys: { [TERMINAL_ID]: publicPartOf(key.publicJwk) } } });
  config = loadTerminalConfig({ env: { URBIS_TERMINAL_DIR: terminalDir, URBIS_TERMINAL_ID: TERMINAL_ID, URBIS_TERMINAL_REPORT_URL: fixture.url } });
  opened = await openTerminal({ config });
  reporting = await startTerminalReporting({ config, counters: opened.counters, observeEverySeconds: 0 });
  admin = await fixture.adminToken();
}, 60_000);

afterAll(async () => {
  await reporting?.close();
  await opened?.close();
  await fixture?.close();
  await rm(dir, { recursive: true, force: true });
});

const verificationsSeen = async (token = admin) => {
  const res = await fixture.request('GET', '/back-office/statistics?days=7', { token });
  expect(res.status).toBe(200);
  return res.body.verifications;
};

describe('a terminal pushes its daily counts to its issuer', () => {
  it('the counts reach the back office statistics, per day, service and outcome', async () => {
    opened.counters.record({ serviceId: 'pools', outcome: 'accepted' });
    opened.counters.record({ serviceId: 'pools', outcome: 'accepted' });
    opened.counters.record({ serviceId: 'pools', outcome: 'rejected', codes: ['KB_REPLAYED'] });
    opened.counters.record({ serviceId: 'library', outcome: 'rejected', codes: ['STATUS_REVOKED', 'SNAPSHOT_STALE'] });
    expect(await reporting.report()).toEqual({ sent: true, days: 1, applied: 1, ignored: 0 });
    expect(await verificationsSeen()).toEqual([
      { day: today(), serviceId: 'library', accepted: 0, rejected: 1, rejectedByCode: { SNAPSHOT_STALE: 1, STATUS_REVOKED: 1 } },
      { day: today(), serviceId: 'pools', accepted: 2, rejected: 1, rejectedByCode: { KB_REPLAYED: 1 } },
    ]);
    const stats = await fixture.request('GET', '/back-office/statistics', { token: admin });
    expect(stats.body).toMatchObject({ window: { days: 30, to: today() }, serviceId: null, reportingTerminals: 1 });
  });

  it('nothing new: nothing sent; re-sending every day (on demand) never double counts', async () => {
    const before = await verificationsSeen();
    expect(await reporting.report()).toEqual({ sent: false, reason: 'nothing-new' });
    expect(await reporting.report({ all: true })).toMatchObject({ sent: true, days: 1 });
    expect(await reporting.report({ all: true })).toMatchObject({ sent: true, days: 1 });
    expect(await verificationsSeen()).toEqual(before);
  });

  it('new verifications replace the day\'s counts; an older report replayed afterwards lowers nothing', async () => {
    const key = await openLocalSnapshotKey({ path: config.files.snapshotKey, create: false });
    const older = await signTerminalReport({ terminalId: TERMINAL_ID, audience: fixture.url, days: [{ day: today(), services: { pools: { accepted: 1, rejected: 0, rejectedByCode: {} } } }], signingKey: key, now: Math.floor(Date.now() / 1000) - 120 });
    opened.counters.record({ serviceId: 'pools', outcome: 'accepted' });
    expect(await reporting.report()).toMatchObject({ sent: true, applied: 1 });
    expect(await sendTerminalReport({ issuerUrl: fixture.url, jwt: older })).toEqual({ applied: 0, ignored: 1 });
    expect((await verificationsSeen()).find((r: { serviceId: string }) => r.serviceId === 'pools')).toMatchObject({ accepted: 3, rejected: 1 });
  });

  it('refused over HTTP with a problem and a typed code, changing nothing: unknown terminal, another key, another audience, stale, malformed, wrong media type', async () => {
    const before = await verificationsSeen();
    const key = await openLocalSnapshotKey({ path: config.files.snapshotKey, create: false });
    const stranger = await openLocalSnapshotKey({ path: join(dir, 'stranger-key.json') });
    const days = [{ day: today(), services: { pools: { accepted: 999, rejected: 0, rejectedByCode: {} } } }];
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string, number][] = [
      ['REPORT_TERMINAL_UNKNOWN', await signTerminalReport({ terminalId: 'urbis:terminal:elsewhere', audience: fixture.url, days, signingKey: key, now }), 401],
      ['SIGNATURE_INVALID', await signTerminalReport({ terminalId: TERMINAL_ID, audience: fixture.url, days, signingKey: stranger, now }), 401],
      ['REPORT_AUD_INVALID', await signTerminalReport({ terminalId: TERMINAL_ID, audience: 'http://127.0.0.1:4002', days, signingKey: key, now }), 400],
      ['REPORT_STALE', await signTerminalReport({ terminalId: TERMINAL_ID, audience: fixture.url, days, signingKey: key, now: now - 3600 }), 400],
      ['JWS_MALFORMED', 'not.a-report', 400],
    ];
    for (const [code, jwt, status] of cases) {
      const res = await fixture.request('POST', '/terminal-reports', { body: jwt, headers: { 'content-type': 'application/jwt' } });
      expect({ code, status: res.status, body: res.body, type: res.headers.get('content-type') }).toEqual({ code, status, body: expect.objectContaining({ code, type: `https://urbis.city/problems/${code.toLowerCase().replace(/_/g, '-')}` }), type: expect.stringMatching(/^application\/problem\+json/) });
    }
    const json = await fixture.request('POST', '/terminal-reports', { json: { report: cases[0]![1] } });
    expect({ status: json.status, code: json.body.code }).toEqual({ status: 415, code: 'CONTENT_TYPE_UNSUPPORTED' });
    expect(await verificationsSeen()).toEqual(before);
  });

  it('role check: a service manager sees only their service; a clerk nothing; no session, AUTH_REQUIRED', async () => {
    const manager = await fixture.staffToken({ role: 'service_manager', serviceId: 'library' });
    const res = await fixture.request('GET', '/back-office/statistics', { token: manager });
    expect(res.body.serviceId).toBe('library');
    expect(res.body.verifications.map((r: { serviceId: string }) => r.serviceId)).toEqual(['library']);
    const clerk = await fixture.staffToken({ role: 'clerk' });
    expect((await fixture.request('GET', '/back-office/statistics', { token: clerk })).body.code).toBe('FORBIDDEN');
    expect((await fixture.request('GET', '/back-office/statistics')).body.code).toBe('AUTH_REQUIRED');
    expect((await fixture.request('GET', '/back-office/statistics?days=0', { token: admin })).body.code).toBe('INVALID_ARGUMENT');
  });

  it('the issuer stores nothing but terminal ids, days, services, outcomes, codes and counts', async () => {
    const rows = await fixture.issuer.db.selectFrom('verification_counts').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['code', 'count', 'day', 'outcome', 'service_id', 'terminal_id']);
      expect(row.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.terminal_id).toBe(TERMINAL_ID);
    }
  });
});
