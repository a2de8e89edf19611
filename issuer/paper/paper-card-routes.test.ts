import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { documentForm, enrolmentBody, samplePdf } from '../testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../testing/issuer-fixture.js';
import { pdfText, scanQrCodes } from './testing/scan-pdf.js';

/**
 * The paper card (issue #8) over real HTTP and a real SQLite file: counter
 * enrolment, document scan, validation, print; reprint revokes the earlier
 * card in the same step; revocation of a lost card; print at home after a
 * card number + PIN login (the issuer's own login, not a second one); the
 * sheet's QR codes decode to bearer PaperServicePass credentials for
 * exactly the services chosen, and the printed text holds nothing personal.
 * (The scan → terminal loop is e2e/paper-card.test.ts.)
 */
describe('paper card routes', () => {
  let fixture: IssuerFixture;
  let clerk: string;
  const body = enrolmentBody({ given_name: 'Aurelia', family_name: 'Menéndez Valdés', birthdate: '1941-03-09', services: [{ service_id: 'library', tier: 'standard' }, { service_id: 'waste-centre', tier: 'standard' }] });
  let reference: string;
  let cardNumber: string;

  beforeAll(async () => {
    fixture = await startIssuerFixture();
    clerk = await fixture.staffToken({ role: 'clerk' });
    const enrolled = await fixture.request('POST', '/back-office/enrolments', { token: clerk, json: body });
    expect(enrolled.status).toBe(201);
    reference = enrolled.body.application.reference;
    const scanned = await fixture.request('POST', `/back-office/applications/${reference}/documents`, { token: clerk, body: documentForm({ kind: 'proof_of_address', bytes: samplePdf() }) });
    expect(scanned.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
  });

  const print = (token: string, path = `/back-office/applications/${reference}/paper-card`, json?: unknown) =>
    fetch(`${fixture.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) }, ...(json === undefined ? {} : { body: JSON.stringify(json) }) });

  async function scanned(response: Response) {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const pdf = new Uint8Array(await response.arrayBuffer());
    return { pdf, text: await pdfText({ pdf }) };
  }

  it('is refused before the clerk validates the application', async () => {
    const early = await print(clerk);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { code: string }).code).toBe('STATE_CONFLICT');
  });

  it('prints at the counter: one bearer pass per chosen service, nothing personal on the page', async () => {
    expect((await fixture.request('POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' } })).status).toBe(200);
    const response = await print(clerk, undefined, { language: 'es' });
    expect(response.headers.get('x-urbis-paper-passes')).toBe('2');
    const { pdf, text } = await scanned(response);
    for (const word of ['Aurelia', 'Menéndez', '1941', 'Corrida', '33206', body.email as string]) expect(text).not.toContain(word);
    expect(text).toContain('Gijón');
    // The QR codes decode (rasterised by pdftoppm): the card-sized pages carry one QR each.
    const passes = await fixture.issuer.db.selectFrom('issued_batches').selectAll().where('credential_type', '=', 'PaperServicePass').execute();
    expect(passes.map((p) => p.service_id).sort()).toEqual(['library', 'waste-centre']);
    expect(passes.every((p) => p.state === 'active')).toBe(true);
    const texts = (await scanQrCodes({ pdf, dpi: 200 })).map((bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    expect(texts.length).toBeGreaterThanOrEqual(2);
    const payloads = texts.map((t) => decodeCompactJws(t.slice(0, t.indexOf('~'))).payload);
    expect(new Set(payloads.map((p) => p['service_id']))).toEqual(new Set(['library', 'waste-centre']));
    for (const payload of payloads) {
      expect(payload).toMatchObject({ vct: 'urn:urbis:vct:paper-service-pass:1', iss: fixture.config.did, municipality: 'Gijón' });
      expect(payload).not.toHaveProperty('cnf');
      expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'iss', 'municipality', 'pseudonym', 'service_id', 'status', 'tier', 'vct']);
      expect((payload['exp'] as number) - (payload['iat'] as number)).toBeLessThanOrEqual(91 * 86_400);
    }
  });

  it('reprints a lost card in one step: the earlier passes are revoked, the new ones active', async () => {
    const before = await fixture.issuer.db.selectFrom('issued_batches').select(['id']).where('credential_type', '=', 'PaperServicePass').execute();
    const response = await print(clerk);
    expect(response.headers.get('x-urbis-paper-replaced')).toBe('2');
    await scanned(response);
    const rows = await fixture.issuer.db.selectFrom('issued_batches').select(['id', 'state']).where('credential_type', '=', 'PaperServicePass').execute();
    const old = new Set(before.map((r) => r.id));
    expect(rows.filter((r) => old.has(r.id)).every((r) => r.state === 'revoked')).toBe(true);
    expect(rows.filter((r) => !old.has(r.id)).map((r) => r.state)).toEqual(['active', 'active']);
    const audit = await fixture.request('GET', '/back-office/audit?action=card.paper_printed', { token: await fixture.adminToken() });
    expect(audit.body.entries.length).toBe(2);
    expect(JSON.stringify(audit.body)).not.toContain('Aurelia');
  });

  it('prints at home after a card number + PIN login, in the asked language; revokes a lost card', async () => {
    const file = await fixture.request('GET', `/back-office/applications/${reference}`, { token: clerk });
    cardNumber = file.body.citizen.cardNumber;
    expect((await fixture.request('PUT', `/back-office/applications/${reference}/pin`, { token: clerk, json: { pin: '4821' } })).status).toBe(204);
    const login = await fixture.request('POST', '/front-office/login/card', { json: { cardNumber, pin: '4821' } });
    expect(login.status).toBe(200);
    const { text } = await scanned(await print(login.body.token, '/front-office/me/paper-card', { language: 'fr' }));
    expect(text.toLowerCase()).toMatch(/valable|bibliothèque/);
    const revoked = await fixture.request('POST', '/front-office/me/paper-card/revoke', { token: login.body.token });
    expect(revoked.body).toEqual({ revoked: 2 });
    const rows = await fixture.issuer.db.selectFrom('issued_batches').select(['state']).where('credential_type', '=', 'PaperServicePass').execute();
    expect(rows.every((r) => r.state === 'revoked')).toBe(true);
    expect((await fixture.request('POST', `/back-office/applications/${reference}/paper-card/revoke`, { token: clerk })).body).toEqual({ revoked: 0 });
  });

  it('refuses bad input with typed errors and changes nothing', async () => {
    const count = async () => (await fixture.issuer.db.selectFrom('issued_batches').select(['id']).where('credential_type', '=', 'PaperServicePass').execute()).length;
    const before = await count();
    const manager = await fixture.staffToken({ role: 'service_manager', serviceId: 'library' });
    const cases: [Response, number, string][] = [
      [await print(manager), 403, 'FORBIDDEN'],
      [await print(clerk, undefined, { language: 'de' }), 400, 'BODY_INVALID'],
      [await print(clerk, undefined, { language: 'es', name: 'x' }), 400, 'BODY_INVALID'],
      [await print(clerk, '/back-office/applications/not-a-reference/paper-card'), 400, 'BODY_INVALID'],
      [await print(clerk, '/back-office/applications/GIJ-AAAA-AAAA/paper-card'), 404, 'RESOURCE_NOT_FOUND'],
      [await print('not-a-session', '/front-office/me/paper-card'), 401, 'SESSION_INVALID'],
    ];
    for (const [response, status, code] of cases) {
      expect(response.status).toBe(status);
      expect(((await response.json()) as { code: string }).code).toBe(code);
    }
    expect(await count()).toBe(before);
  });
});
