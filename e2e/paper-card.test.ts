import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCityDemo, type CityDemo } from '../demo/city-demo.js';
import { pdfText, scanQrCodes } from '../issuer/paper/testing/scan-pdf.js';
import { documentForm, enrolmentBody, samplePdf } from '../issuer/testing/city-data.js';
import type { TerminalVerdict } from '../verifier/terminal/terminal.js';

/**
 * Issue #8, the whole loop from print to scan, across every part: the
 * two-city demo (Hardhat chain, registries, Gijón's issuer accredited for
 * paper passes in the federation, Gijón's terminal synced from the chain).
 * A clerk enrols a citizen without a smartphone at the counter, scans their
 * proof of address, validates, prints the card; the PDF is rasterised
 * (pdftoppm) and its QR codes decoded (jsQR) as a scanner would; the
 * terminal's HTTP API accepts the library pass, refuses it at the pools
 * with POLICY_PAPER_REFUSED; the card is lost and reprinted at the counter
 * in one step, and after the terminal's sync the old sheet is refused with
 * STATUS_REVOKED while the new one is accepted. Nothing personal is on the
 * printed page.
 */
describe('paper card: print → scan → verify', () => {
  let demo: CityDemo;
  let dir: string;
  let clerkToken: string;
  let reference: string;
  /** The first card's QR codes (the card is then lost). */
  let lost: Uint8Array[] = [];
  const citizen = enrolmentBody({
    given_name: 'Eulalia',
    family_name: 'Cienfuegos Argüelles',
    birthdate: '1938-11-02',
    address: { street_address: 'Calle Ezcurdia 40, 1º', postal_code: '33203', locality: 'Gijón', country: 'ES' },
    services: [
      { service_id: 'library', tier: 'standard' },
      { service_id: 'pools', tier: 'senior' },
    ],
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'urbis-paper-card-'));
    demo = await startCityDemo({ baseDir: dir, seed: false, ports: { chain: 0, gijon: 0, oviedo: 0, terminal: 0, wallet: 0 }, terminalSyncSeconds: 3_600 });
    const clerk = demo.staff.gijon.find((s) => s.role === 'clerk')!;
    clerkToken = ((await (await gijon('POST', '/back-office/login', { username: clerk.username, password: clerk.password })).json()) as { token: string }).token;
  }, 120_000);

  afterAll(async () => {
    await demo?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  function gijon(method: string, path: string, json?: unknown, body?: BodyInit): Promise<Response> {
    return fetch(`${demo.urls.issuers.gijon.api}${path}`, {
      method,
      headers: { ...(clerkToken === undefined ? {} : { authorization: `Bearer ${clerkToken}` }), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? (body === undefined ? {} : { body }) : { body: JSON.stringify(json) }),
    });
  }

  /** Prints the card at the counter: the PDF's QR codes as scanned from the rasterised pages, and its text. */
  async function printCard(): Promise<{ qrs: Uint8Array[]; text: string }> {
    const response = await gijon('POST', `/back-office/applications/${reference}/paper-card`, { language: 'es' });
    expect(response.status).toBe(200);
    const pdf = new Uint8Array(await response.arrayBuffer());
    return { qrs: await scanQrCodes({ pdf, dpi: 200 }), text: await pdfText({ pdf }) };
  }

  /** Posts a scanned QR to the terminal for a service, as a scanner would (raw bytes). */
  async function scanAt(service: string, qr: Uint8Array): Promise<TerminalVerdict> {
    const response = await fetch(`${demo.urls.terminal.api}/presentations/verify?service=${service}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(qr) });
    expect(response.status).toBe(200);
    return (await response.json()) as TerminalVerdict;
  }

  /** The verdicts of every QR of a card at one service (a card carries one pass per service, so exactly one can be for it). */
  async function verdictsAt(service: string, qrs: Uint8Array[]): Promise<TerminalVerdict[]> {
    const verdicts: TerminalVerdict[] = [];
    for (const qr of qrs) verdicts.push(await scanAt(service, qr));
    return verdicts;
  }

  const codesOf = (verdict: TerminalVerdict) => (verdict.ok ? [] : verdict.failures.map((f) => f.code));

  it('prints at the counter, and the terminal accepts the scanned sheet where paper is accepted', async () => {
    const enrolled = await gijon('POST', '/back-office/enrolments', citizen);
    expect(enrolled.status).toBe(201);
    reference = ((await enrolled.json()) as { application: { reference: string } }).application.reference;
    expect((await gijon('POST', `/back-office/applications/${reference}/documents`, undefined, documentForm({ kind: 'proof_of_address', bytes: samplePdf() }))).status).toBe(201);
    expect((await gijon('POST', `/back-office/applications/${reference}/decision`, { decision: 'validate' })).status).toBe(200);

    const { qrs, text } = await printCard();
    expect(qrs.length).toBeGreaterThanOrEqual(2);
    for (const personal of ['Eulalia', 'Cienfuegos', 'Argüelles', '1938', 'Ezcurdia', '33203', citizen['email'] as string]) expect(text).not.toContain(personal);
    // No sync needed to accept: a fresh status entry reads as valid in the snapshot the terminal holds.
    const library = await verdictsAt('library', qrs);
    // The library pass is accepted; the pools pass, shown at the library, is another service's.
    expect(library.filter((v) => v.ok).length).toBeGreaterThanOrEqual(1);
    expect(library.filter((v) => !v.ok).every((v) => codesOf(v).join() === 'POLICY_SERVICE_MISMATCH')).toBe(true);
    expect(library.find((v) => v.ok)).toMatchObject({ ok: true, serviceId: 'library', flow: 'paper', credentialType: 'PaperServicePass' });
    const accepted = library.find((v) => v.ok) as Extract<TerminalVerdict, { ok: true }>;
    expect(Object.keys(accepted.claims).sort()).toEqual(['pseudonym', 'service_id']);
    // The pools take no paper: the pools pass is refused with its own code, not a generic one.
    const pools = await verdictsAt('pools', qrs);
    expect(pools.every((v) => !v.ok)).toBe(true);
    expect(pools.some((v) => codesOf(v).includes('POLICY_PAPER_REFUSED'))).toBe(true);
    lost = qrs;
  }, 120_000);

  it('a lost card is reprinted in one step: after the terminal syncs, the old sheet is STATUS_REVOKED, the new one accepted', async () => {
    const { qrs } = await printCard();
    // Wait until the revocations are on the chain and the terminal has synced them.
    let old: TerminalVerdict[] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      await demo.parts.terminal.syncNow();
      old = await verdictsAt('library', lost);
      if (old.some((v) => codesOf(v).includes('STATUS_REVOKED'))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(old.every((v) => !v.ok)).toBe(true);
    expect(old.some((v) => codesOf(v).includes('STATUS_REVOKED'))).toBe(true);
    const fresh = await verdictsAt('library', qrs);
    expect(fresh.filter((v) => v.ok).length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
