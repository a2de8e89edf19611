import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PrivateJwk } from '../../core/crypto/ports.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { presentCredential } from '../../core/presentation/present-credential.js';
import type { StatusSource } from '../../core/status/status-source.js';
import { createTrustedIssuerLookup } from '../../core/trust/trusted-issuer.js';
import { verifyPresentation } from '../../core/verification/verify-presentation.js';
import { CARD_HOLDER_COLUMNS } from '../bulk-import/card-holder-csv.js';
import type { DatabaseEngine } from '../db/migrations.js';
import { dropPostgresFileDatabase, POSTGRES_AVAILABILITY } from '../db/testing/test-databases.js';
import { isCardNumber, newCardNumber } from '../enrolment/application-reference.js';
import { documentForm, enrolmentBody, samplePdf } from '../testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../testing/issuer-fixture.js';
import { redeemOffer, requestDeferred, requestToken, resolveOffer } from '../testing/oid4vci-test-client.js';
import { WEBHOOK_EVENT_TYPE_HEADER, WEBHOOK_SIGNATURE_HEADER, newWebhookSecret, verifyWebhookSignature } from '../webhooks/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../webhooks/testing/webhook-receiver.js';

/**
 * The back office over real HTTP and a real database: staff roles, decisions,
 * credential status, the counter (enrolment, documents, offers, PINs), the
 * audit log, bulk import, webhooks to departments, key rotation and the
 * catalogue. The suite runs on SQLite and on PostgreSQL (declared skipped,
 * with the reason, when PostgreSQL does not answer). The tests of one engine
 * share one issuer and run in order: the last one checks that the audit log
 * holds every staff action of the others.
 */

const crypto = createNodeCrypto();

/** A staff member signed in over HTTP. */
interface StaffSession {
  id: string;
  token: string;
  username: string;
  password: string;
}

/** A citizen enrolled at the front office. */
interface Enrolled {
  body: Record<string, unknown>;
  email: string;
  reference: string;
  token: string;
}

/** Copies of one configuration, with the holder keys they are bound to. */
interface Copies {
  credentials: string[];
  holderKeys: PrivateJwk[];
}

/** One staff action the audit log must show. */
interface ExpectedAudit {
  actorId: string;
  action: string;
  targetId?: string;
}

/** Personal data the audit log must never hold. */
interface Secrets {
  values: Set<string>;
}

const pseudonymOf = (credential: string): unknown => {
  const disclosures = credential
    .split('~')
    .slice(1, -1)
    .map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[]);
  return disclosures.find((d) => d[1] === 'pseudonym')?.[2];
};

const payloadOf = (credential: string) => decodeCompactJws(credential.slice(0, credential.indexOf('~')));

/** The audit action of each status change, in the past tense like every other audit action. */
const AUDITED_STATUS_ACTION = { revoke: 'credential.revoked', suspend: 'credential.suspended', unsuspend: 'credential.unsuspended' } as const;

const engines: { engine: DatabaseEngine }[] = [{ engine: 'sqlite' }, ...(POSTGRES_AVAILABILITY.ok ? [{ engine: 'postgres' as const }] : [])];

if (!POSTGRES_AVAILABILITY.ok) {
  describe.skip(`back office [postgres] — skipped: PostgreSQL did not answer (${POSTGRES_AVAILABILITY.reason})`, () => {
    test('needs PostgreSQL', () => undefined);
  });
}

describe.each(engines)('back office over HTTP [$engine]', ({ engine }) => {
  let city: IssuerFixture;
  let admin: StaffSession;
  let clerk: StaffSession;
  let poolsManager: StaffSession;
  const expected: ExpectedAudit[] = [];
  const secrets: Secrets = { values: new Set() };

  beforeAll(async () => {
    city = await startIssuerFixture({ engine });
    const login = await city.request('POST', '/back-office/login', { json: { username: 'admin', password: 'correct horse battery staple' } });
    expect(login.status).toBe(200);
    admin = { id: login.body.staff.id, token: login.body.token, username: 'admin', password: 'correct horse battery staple' };
    clerk = await createStaff('clerk');
    poolsManager = await createStaff('service_manager', 'pools');
  }, 60_000);
  afterAll(async () => {
    await city?.close();
    if (engine === 'postgres') await dropPostgresFileDatabase();
  });

  /** An admin creates the account over HTTP (audited), then it signs in. */
  async function createStaff(role: 'clerk' | 'service_manager' | 'admin', serviceId?: string): Promise<StaffSession> {
    const username = `${role.replace('_', '-')}-${randomBytes(4).toString('hex')}`;
    const password = `password-${randomBytes(8).toString('hex')}`;
    const created = await city.request('POST', '/back-office/staff', { token: admin.token, json: { username, password, role, ...(serviceId === undefined ? {} : { serviceId }) } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username, role, serviceId: serviceId ?? null, disabled: false });
    expect(JSON.stringify(created.body)).not.toContain(password);
    expected.push({ actorId: admin.id, action: 'staff.created', targetId: created.body.id });
    const login = await city.request('POST', '/back-office/login', { json: { username, password } });
    expect(login.status).toBe(200);
    return { id: created.body.id, token: login.body.token, username, password };
  }

  function remember(body: Record<string, unknown>): void {
    const address = body['address'] as Record<string, string>;
    for (const value of [body['given_name'], body['family_name'], body['email'], address['street_address']]) secrets.values.add(String(value));
  }

  async function enrol(overrides: Record<string, unknown> = {}): Promise<Enrolled> {
    const body = enrolmentBody(overrides);
    remember(body);
    const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
    expect(enrolled.status).toBe(201);
    return { body, email: body['email'] as string, reference: enrolled.body.application.reference, token: enrolled.body.session.token };
  }

  async function decide(staff: StaffSession, reference: string, json: Record<string, unknown>) {
    const answer = await city.request('POST', `/back-office/applications/${reference}/decision`, { token: staff.token, json });
    if (answer.status === 200) expected.push({ actorId: staff.id, action: json['decision'] === 'validate' ? 'application.validated' : 'application.rejected', targetId: answer.body.id });
    return answer;
  }

  async function changeStatus(staff: StaffSession, batchId: string, action: 'revoke' | 'suspend' | 'unsuspend') {
    const answer = await city.request('POST', `/back-office/credentials/${batchId}/status`, { token: staff.token, json: { action, reason: action === 'unsuspend' ? 'suspension-lifted' : 'issuer-decision' } });
    if (answer.status === 200) expected.push({ actorId: staff.id, action: AUDITED_STATUS_ACTION[action], targetId: batchId });
    return answer;
  }

  async function applicationFile(reference: string) {
    const file = await city.request('GET', `/back-office/applications/${reference}`, { token: admin.token });
    expect(file.status).toBe(200);
    return file.body as { application: { id: string; state: string }; citizen: { id: string; cardNumber?: string }; credentials: { id: string; configurationId: string; credentialType: string; serviceId?: string; state: string; copies: number }[] };
  }

  /** The citizen asks for an offer (tx_code by e-mail) and redeems it: copies per configuration. */
  async function issueTo(citizen: Enrolled, batchSize = 2): Promise<Map<string, Copies>> {
    const offer = await city.request('POST', '/front-office/me/offers', { token: citizen.token });
    expect(offer.status).toBe(201);
    const redeemed = await redeemOffer({ offer: offer.body.deepLink, txCode: await city.lastCodeSentTo(citizen.email), batchSize });
    const out = new Map<string, Copies>();
    for (const result of redeemed.results) {
      if (!('credentials' in result)) throw new Error(`${result.configurationId} was deferred`);
      out.set(result.configurationId, { credentials: result.credentials, holderKeys: result.holderKeys });
    }
    return out;
  }

  async function batchOf(reference: string, configurationId: string) {
    const batch = (await applicationFile(reference)).credentials.find((b) => b.configurationId === configurationId);
    if (batch === undefined) throw new Error(`no ${configurationId} batch`);
    return batch;
  }

  test('roles: clerks decide, service managers act on their own service only, admins do everything, a disabled account is locked out', async () => {
    const citizen = await enrol();
    const other = await enrol();

    // A rejection needs a reason from the list.
    const noReason = await decide(clerk, other.reference, { decision: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('BODY_INVALID');
    expect(noReason.headers.get('content-type')).toContain('application/problem+json');
    const freeText = await decide(clerk, other.reference, { decision: 'reject', reason: 'I do not like the photo' });
    expect(freeText.status).toBe(400);
    expect(freeText.body.code).toBe('BODY_INVALID');
    const rejected = await decide(clerk, other.reference, { decision: 'reject', reason: 'documents_missing' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'rejected', rejectionReason: 'documents_missing', decidedBy: clerk.id });

    // A service manager cannot decide, the clerk can.
    const managerDecides = await decide(poolsManager, citizen.reference, { decision: 'validate' });
    expect(managerDecides.status).toBe(403);
    expect(managerDecides.body.code).toBe('FORBIDDEN');
    const managerQueue = await city.request('GET', '/back-office/applications', { token: poolsManager.token });
    expect(managerQueue.status).toBe(403);
    expect((await decide(clerk, citizen.reference, { decision: 'validate' })).status).toBe(200);

    const issued = await issueTo(citizen);
    expect([...issued.keys()].sort()).toEqual(['entitlement.library.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt', 'resident.dc+sd-jwt']);
    const pools = await batchOf(citizen.reference, 'entitlement.pools.dc+sd-jwt');
    const library = await batchOf(citizen.reference, 'entitlement.library.dc+sd-jwt');
    const resident = await batchOf(citizen.reference, 'resident.dc+sd-jwt');

    // The pools manager reads the application (it includes pools) and acts on pools only.
    expect((await city.request('GET', `/back-office/applications/${citizen.reference}`, { token: poolsManager.token })).status).toBe(200);
    const suspended = await changeStatus(poolsManager, pools.id, 'suspend');
    expect(suspended.status).toBe(200);
    expect(suspended.body.state).toBe('suspended');
    for (const batch of [library, resident]) {
      for (const action of ['suspend', 'revoke'] as const) {
        const refused = await changeStatus(poolsManager, batch.id, action);
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('FORBIDDEN');
      }
    }
    const revoked = await changeStatus(poolsManager, pools.id, 'revoke');
    expect(revoked.status).toBe(200);
    expect(revoked.body.state).toBe('revoked');

    // A clerk acts on the resident credential only; neither may touch admin areas.
    expect((await changeStatus(clerk, library.id, 'suspend')).status).toBe(403);
    for (const staff of [clerk, poolsManager]) {
      expect((await city.request('GET', '/back-office/audit', { token: staff.token })).status).toBe(403);
      expect((await city.request('POST', '/back-office/keys/rotate', { token: staff.token })).status).toBe(403);
      expect((await city.request('GET', '/back-office/staff', { token: staff.token })).status).toBe(403);
    }

    // The admin does all of it.
    expect((await changeStatus(admin, library.id, 'suspend')).status).toBe(200);
    expect((await changeStatus(admin, library.id, 'revoke')).status).toBe(200);
    expect((await changeStatus(admin, resident.id, 'revoke')).status).toBe(200);
    const third = await enrol({ services: [{ service_id: 'library', tier: 'standard' }] });
    const notPools = await city.request('GET', `/back-office/applications/${third.reference}`, { token: poolsManager.token });
    expect(notPools.status).toBe(403);
    expect(notPools.body.code).toBe('FORBIDDEN');
    expect((await decide(admin, third.reference, { decision: 'reject', reason: 'not_resident' })).status).toBe(200);

    // A disabled account's session stops working at once, and it cannot sign in again.
    const leaving = await createStaff('clerk');
    expect((await city.request('GET', '/back-office/applications', { token: leaving.token })).status).toBe(200);
    const disabled = await city.request('POST', `/back-office/staff/${leaving.id}/disable`, { token: admin.token });
    expect(disabled.status).toBe(204);
    expected.push({ actorId: admin.id, action: 'staff.disabled', targetId: leaving.id });
    const after = await city.request('GET', '/back-office/applications', { token: leaving.token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('SESSION_INVALID');
    const again = await city.request('POST', '/back-office/login', { json: { username: leaving.username, password: leaving.password } });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('AUTH_FAILED');
  }, 60_000);

  test('decisions: once only, validation assigns a card number, rejection withdraws open offers and deferred requests', async () => {
    const validated = await enrol();
    expect((await applicationFile(validated.reference)).citizen.cardNumber).toBeUndefined();
    expect((await decide(clerk, validated.reference, { decision: 'validate' })).status).toBe(200);
    const { cardNumber } = (await applicationFile(validated.reference)).citizen;
    expect(cardNumber).toMatch(/^[0-9]{10}$/);
    expect(isCardNumber(cardNumber)).toBe(true);
    secrets.values.add(cardNumber!);
    for (const second of [{ decision: 'validate' }, { decision: 'reject', reason: 'other' }]) {
      const conflict = await decide(clerk, validated.reference, second);
      expect(conflict.status).toBe(409);
      expect(conflict.body.code).toBe('STATE_CONFLICT');
    }
    expect((await applicationFile(validated.reference)).citizen.cardNumber).toBe(cardNumber);

    // A pending citizen redeems one offer (deferred) and holds another, unused.
    const pending = await enrol();
    const first = await city.request('POST', '/front-office/me/offers', { token: pending.token });
    const redeemed = await redeemOffer({ offer: first.body.deepLink, txCode: await city.lastCodeSentTo(pending.email), batchSize: 1 });
    const transactionIds = redeemed.results.map((r) => (r as { transactionId: string }).transactionId);
    expect(transactionIds.every((t) => typeof t === 'string')).toBe(true);
    const second = await city.request('POST', '/front-office/me/offers', { token: pending.token });
    const secondTxCode = await city.lastCodeSentTo(pending.email);
    const unused = await resolveOffer({ offer: second.body.deepLink });
    const preAuthorizedCode = unused.grants!['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];

    const rejected = await decide(clerk, pending.reference, { decision: 'reject', reason: 'identity_not_verified' });
    expect(rejected.status).toBe(200);
    expect((await applicationFile(pending.reference)).citizen.cardNumber).toBeUndefined();
    expect((await decide(admin, pending.reference, { decision: 'validate' })).status).toBe(409);

    // The open offer is withdrawn: not served by reference, its code refused at the token endpoint.
    expect((await city.request('GET', new URL(second.body.offerUri).pathname)).status).toBe(404);
    const token = await requestToken({ issuerUrl: city.url, preAuthorizedCode, txCode: secondTxCode });
    expect(token.status).toBe(400);
    expect(token.body?.['error']).toBe('invalid_grant');
    // The deferred requests are withdrawn: holder keys dropped, no credential ever.
    const deferred = await requestDeferred({ issuerUrl: city.url, accessToken: redeemed.accessToken, transactionId: transactionIds[0]! });
    expect(deferred.status).not.toBe(200);
    expect(deferred.status).not.toBe(202);
    const citizenId = (await applicationFile(pending.reference)).citizen.id;
    const rows = await city.issuer.db.selectFrom('deferred_issuances').select(['state', 'holder_keys']).where('citizen_id', '=', citizenId).execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toEqual({ state: 'withdrawn', holder_keys: '[]' });
    // Nor can the citizen ask for a new offer.
    expect((await city.request('POST', '/front-office/me/offers', { token: pending.token })).status).toBe(409);
  }, 60_000);

  test('status: suspend, unsuspend, revoke; final after revocation; the outbox gets 2, 0, 1 for every copy', async () => {
    const citizen = await enrol({ services: [{ service_id: 'library', tier: 'standard' }] });
    expect((await decide(clerk, citizen.reference, { decision: 'validate' })).status).toBe(200);
    const issued = await issueTo(citizen, 3);
    const resident = await batchOf(citizen.reference, 'resident.dc+sd-jwt');
    expect(resident.copies).toBe(3);
    const indices = issued.get('resident.dc+sd-jwt')!.credentials.map((c) => (payloadOf(c).payload as { status: { status_list: { idx: number } } }).status.status_list.idx);
    const valuesAt = () => new Map(indices.map((index) => [index, city.issuer.outbox.changes({ listId: 0 }).filter((c) => c.index === index).map((c) => c.value)]));

    expect((await changeStatus(clerk, resident.id, 'unsuspend')).body.code).toBe('STATUS_TRANSITION_FORBIDDEN');
    const suspended = await changeStatus(clerk, resident.id, 'suspend');
    expect(suspended.status).toBe(200);
    expect(suspended.body.state).toBe('suspended');
    const twice = await changeStatus(clerk, resident.id, 'suspend');
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('STATUS_TRANSITION_FORBIDDEN');
    const unsuspended = await changeStatus(clerk, resident.id, 'unsuspend');
    expect(unsuspended.body.state).toBe('active');
    const revoked = await changeStatus(clerk, resident.id, 'revoke');
    expect(revoked.body.state).toBe('revoked');
    for (const action of ['suspend', 'unsuspend', 'revoke'] as const) {
      const refused = await changeStatus(admin, resident.id, action);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('STATUS_TRANSITION_FORBIDDEN');
    }
    expect((await batchOf(citizen.reference, 'resident.dc+sd-jwt')).state).toBe('revoked');
    for (const [, values] of valuesAt()) expect(values).toEqual([2, 0, 1]);
    const unknown = await changeStatus(admin, '00000000-0000-4000-8000-000000000000', 'revoke');
    expect(unknown.status).toBe(404);
  }, 60_000);

  test('the counter: staff enrol, scan a document, validate, offer (tx_code on screen), set the PIN; the citizen signs in with card + PIN', async () => {
    const body = enrolmentBody();
    remember(body);
    const enrolled = await city.request('POST', '/back-office/enrolments', { token: clerk.token, json: body });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.application.state).toBe('submitted');
    const { reference } = enrolled.body.application as { reference: string };
    const file = await applicationFile(reference);
    expected.push({ actorId: clerk.id, action: 'application.enrolled_at_counter', targetId: file.application.id });
    expect((await city.request('POST', '/back-office/enrolments', { token: poolsManager.token, json: enrolmentBody() })).status).toBe(403);

    const scanned = await city.request('POST', `/back-office/applications/${reference}/documents`, { token: clerk.token, body: documentForm({ kind: 'proof_of_address', bytes: samplePdf('URBIS-COUNTER-SCAN-SECRET') }) });
    expect(scanned.status).toBe(201);
    expect(scanned.body).toMatchObject({ kind: 'proof_of_address', mime: 'application/pdf' });
    expected.push({ actorId: clerk.id, action: 'document.uploaded', targetId: scanned.body.id });
    const viewed = await city.request('GET', `/back-office/applications/${reference}/documents/${scanned.body.id}`, { token: clerk.token });
    expect(viewed.text).toContain('URBIS-COUNTER-SCAN-SECRET');
    expected.push({ actorId: clerk.id, action: 'document.viewed', targetId: scanned.body.id });

    expect((await decide(clerk, reference, { decision: 'validate' })).status).toBe(200);
    const { citizen } = await applicationFile(reference);
    const cardNumber = citizen.cardNumber!;
    expect(isCardNumber(cardNumber)).toBe(true);
    secrets.values.add(cardNumber);

    const offer = await city.request('POST', `/back-office/applications/${reference}/offers`, { token: clerk.token });
    expect(offer.status).toBe(201);
    expect(offer.body.txCode).toMatch(/^[0-9]{6}$/);
    expect(offer.body.qrSvg).toContain('<svg');
    expected.push({ actorId: clerk.id, action: 'offer.created', targetId: citizen.id });
    const redeemed = await redeemOffer({ offer: offer.body.deepLink, txCode: offer.body.txCode, batchSize: 1 });
    expect(redeemed.results.map((r) => [r.configurationId, 'credentials' in r])).toEqual([
      ['resident.dc+sd-jwt', true],
      ['entitlement.library.dc+sd-jwt', true],
      ['entitlement.pools.dc+sd-jwt', true],
    ]);

    const pin = '90817263';
    secrets.values.add(pin);
    expect((await city.request('PUT', `/back-office/applications/${reference}/pin`, { token: clerk.token, json: { pin: '12' } })).status).toBe(400);
    const set = await city.request('PUT', `/back-office/applications/${reference}/pin`, { token: clerk.token, json: { pin } });
    expect(set.status).toBe(204);
    expected.push({ actorId: clerk.id, action: 'card.pin_set', targetId: citizen.id });

    const wrong = await city.request('POST', '/front-office/login/card', { json: { cardNumber, pin: '11112222' } });
    expect(wrong.status).toBe(401);
    const login = await city.request('POST', '/front-office/login/card', { json: { cardNumber, pin } });
    expect(login.status).toBe(200);
    const me = await city.request('GET', '/front-office/me', { token: login.body.token });
    expect(me.status).toBe(200);
    expect(me.body.citizen).toMatchObject({ id: citizen.id, cardNumber, given_name: body['given_name'] });
    expect(me.body.application.state).toBe('validated');
  }, 60_000);

  test('bulk import over HTTP: a dry run first, a report without values, imported holders get an offer at the counter', async () => {
    const good = ['Anabel', 'Bernardina'].map((name, i) => ({
      card_number: newCardNumber(),
      given_name: name,
      family_name: `${name === 'Anabel' ? 'Quirós' : 'Llaneza'} Importada`,
      birthdate: '1961-02-03',
      email: `imported.${i}.${randomBytes(3).toString('hex')}@correo.example`,
      phone: '',
      street_address: `Calle Importada ${i + 10}`,
      postal_code: '33201',
      locality: 'Gijón',
      country: 'ES',
      resident_since: '1999-09-09',
      services: 'pools:senior;library:standard',
    }));
    const badEmail = { ...good[0]!, card_number: newCardNumber(), given_name: 'Rejected', family_name: 'Secretperson', email: 'not-an-email-secretvalue', street_address: 'Calle Secreta 99' };
    const badService = { ...good[1]!, card_number: newCardNumber(), given_name: 'Otherrejected', email: 'other.secret@correo.example', services: 'opera:standard' };
    const badCard = { ...good[1]!, card_number: '1234', given_name: 'Thirdrejected', email: 'third.secret@correo.example' };
    for (const row of [...good, badEmail, badService, badCard]) for (const v of [row.given_name, row.family_name, row.email, row.street_address]) secrets.values.add(v);
    const rows = [good[0]!, badEmail, good[1]!, badService, badCard];
    const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const csv = `${CARD_HOLDER_COLUMNS.join(',')}\r\n${rows.map((r) => CARD_HOLDER_COLUMNS.map((c) => quote(r[c])).join(',')).join('\r\n')}\r\n`;
    const post = (query: string, token = admin.token) => city.request('POST', `/back-office/imports${query}`, { token, body: csv, headers: { 'content-type': 'text/csv' } });
    const countCitizens = async () => Number((await city.issuer.db.selectFrom('citizens').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

    expect((await post('', clerk.token)).status).toBe(403);
    expect((await city.request('POST', '/back-office/imports', { token: admin.token, json: { csv } })).status).toBe(415);

    const before = await countCitizens();
    const dry = await post('?dryRun=true');
    expect(dry.status).toBe(200);
    const rejected = [
      { line: 3, fields: ['email'], code: 'BODY_INVALID' },
      { line: 5, fields: ['services'], code: 'SERVICE_UNKNOWN' },
      { line: 6, fields: ['card_number'], code: 'BODY_INVALID' },
    ];
    expect(dry.body).toEqual({ dryRun: true, rows: 5, imported: 2, rejected, skippedExisting: 0 });
    for (const row of rows) for (const value of Object.values(row)) if (value.length > 4) expect(dry.text).not.toContain(value);
    expect(await countCitizens()).toBe(before);

    const run = await post('');
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ dryRun: false, rows: 5, imported: 2, rejected, skippedExisting: 0 });
    expected.push({ actorId: admin.id, action: 'import.completed' });
    expect(await countCitizens()).toBe(before + 2);
    const rerun = await post('?dryRun=true');
    expect(rerun.body).toMatchObject({ imported: 0, skippedExisting: 2 });

    // The holder comes to the counter with the plastic card. (No back-office route finds an application
    // by card number, so the test looks the reference up in the database, as the counter screen would need to.)
    for (const holder of good) {
      secrets.values.add(holder.card_number);
      const citizenId = (await city.issuer.citizens.citizenIdByCardNumber(holder.card_number))!;
      const application = (await city.issuer.citizens.latestApplication(citizenId))!;
      expect(application.state).toBe('validated');
      expect(application.decidedBy).toBe(admin.id);
      const offer = await city.request('POST', `/back-office/applications/${application.reference}/offers`, { token: clerk.token });
      expect(offer.status).toBe(201);
      expected.push({ actorId: clerk.id, action: 'offer.created', targetId: citizenId });
      const redeemed = await redeemOffer({ offer: offer.body.deepLink, txCode: offer.body.txCode, batchSize: 1 });
      expect(redeemed.results.map((r) => r.configurationId)).toEqual(['resident.dc+sd-jwt', 'entitlement.library.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt']);
      const resident = redeemed.results[0] as { credentials: string[] };
      const disclosed = resident.credentials[0]!.split('~').slice(1, -1).map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[]);
      expect(disclosed.find((d) => d[1] === 'family_name')?.[2]).toBe(holder.family_name);
    }
  }, 60_000);

  test('webhooks: a department gets signed events carrying only service, pseudonym, tier and state', async () => {
    await city.issuer.dispatcher.stop(); // deliveries are driven by runOnce below
    const secret = newWebhookSecret();
    let receiver: WebhookReceiver | undefined;
    try {
      receiver = await startWebhookReceiver({ secret, now: Date.now, script: () => 204 });
      const subscribed = await city.request('POST', '/back-office/webhooks', { token: admin.token, json: { url: `${receiver.url}/pools`, secret, serviceIds: ['pools'] } });
      expect(subscribed.status).toBe(201);
      expect(JSON.stringify(subscribed.body)).not.toContain(secret);
      expected.push({ actorId: admin.id, action: 'webhooks.subscribed', targetId: subscribed.body.id });
      expect((await city.request('POST', '/back-office/webhooks', { token: clerk.token, json: { url: `${receiver.url}/x`, secret, serviceIds: ['pools'] } })).status).toBe(403);

      const events: { type: string; created_at: string; data: Record<string, unknown> }[] = [];
      const rank = ['entitlement.granted', 'entitlement.suspended', 'entitlement.changed', 'entitlement.revoked'];
      // By creation time; events of the same millisecond in the order the test caused them.
      const byCreation = (list: typeof events) => [...list].sort((a, b) => a.created_at.localeCompare(b.created_at) || rank.indexOf(a.type) - rank.indexOf(b.type));
      const deliver = async (count: number) => {
        const seen = receiver!.requests.length;
        const summary = await city.issuer.dispatcher.runOnce();
        expect(summary).toEqual({ delivered: count, retried: 0, failed: 0 });
        const fresh = receiver!.requests.slice(seen);
        expect(fresh).toHaveLength(count);
        for (const request of fresh) {
          expect(request.verified).toBe(true);
          const header = request.headers[WEBHOOK_SIGNATURE_HEADER];
          expect(verifyWebhookSignature({ secret, body: request.body, header: typeof header === 'string' ? header : undefined })).toBe(true);
          expect(() => verifyWebhookSignature({ secret: newWebhookSecret(), body: request.body, header: typeof header === 'string' ? header : undefined })).toThrow();
          const event = JSON.parse(request.body) as { id: string; type: string; created_at: string; data: Record<string, unknown> };
          expect(Object.keys(event).sort()).toEqual(['created_at', 'data', 'id', 'type']);
          expect(request.headers[WEBHOOK_EVENT_TYPE_HEADER]).toBe(event.type);
          for (const key of Object.keys(event.data)) expect(['service_id', 'pseudonym', 'tier', 'state']).toContain(key);
          events.push(event);
        }
        return fresh;
      };

      const citizen = await enrol();
      expect((await decide(clerk, citizen.reference, { decision: 'validate' })).status).toBe(200);
      await deliver(1); // pools only: the library grant goes to no subscription
      const issued = await issueTo(citizen, 1);
      const pseudonym = pseudonymOf(issued.get('entitlement.pools.dc+sd-jwt')!.credentials[0]!);
      expect(pseudonym).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(events[0]).toMatchObject({ type: 'entitlement.granted', data: { service_id: 'pools', pseudonym, tier: 'standard', state: 'active' } });

      const pools = await batchOf(citizen.reference, 'entitlement.pools.dc+sd-jwt');
      expect((await changeStatus(poolsManager, pools.id, 'suspend')).status).toBe(200);
      expect((await changeStatus(poolsManager, pools.id, 'unsuspend')).status).toBe(200);
      expect((await changeStatus(poolsManager, pools.id, 'revoke')).status).toBe(200);
      const library = await batchOf(citizen.reference, 'entitlement.library.dc+sd-jwt');
      expect((await changeStatus(admin, library.id, 'revoke')).status).toBe(200);
      await deliver(3);
      // Deliveries go out in parallel: no order is promised (receivers order by created_at).
      expect(byCreation(events.slice(1, 4))).toEqual([
        expect.objectContaining({ type: 'entitlement.suspended', data: { service_id: 'pools', pseudonym, state: 'suspended' } }),
        expect.objectContaining({ type: 'entitlement.changed', data: { service_id: 'pools', pseudonym, state: 'active' } }),
        expect.objectContaining({ type: 'entitlement.revoked', data: { service_id: 'pools', pseudonym, state: 'revoked' } }),
      ]);

      const changed = await city.request('PUT', '/front-office/me/services', { token: citizen.token, json: { services: [{ service_id: 'pools', tier: 'family' }, { service_id: 'library', tier: 'standard' }] } });
      expect(changed.status).toBe(200);
      expect(changed.body.changed).toEqual(['pools']);
      const dropped = await city.request('PUT', '/front-office/me/services', { token: citizen.token, json: { services: [{ service_id: 'library', tier: 'standard' }] } });
      expect(dropped.body.removed).toEqual(['pools']);
      await deliver(2);
      expect(byCreation(events.slice(4))).toEqual([
        expect.objectContaining({ type: 'entitlement.changed', data: { service_id: 'pools', pseudonym, tier: 'family', state: 'active' } }),
        expect.objectContaining({ type: 'entitlement.revoked', data: { service_id: 'pools', pseudonym, state: 'revoked' } }),
      ]);
      const citizenId = (await applicationFile(citizen.reference)).citizen.id;
      for (const request of receiver.requests) {
        for (const personal of [citizenId, citizen.email, citizen.body['given_name'] as string, citizen.reference]) expect(request.body).not.toContain(personal);
      }
      const unsubscribed = await city.request('DELETE', `/back-office/webhooks/${subscribed.body.id}`, { token: admin.token });
      expect(unsubscribed.status).toBe(200);
      expected.push({ actorId: admin.id, action: 'webhooks.unsubscribed', targetId: subscribed.body.id });
    } finally {
      await receiver?.close();
    }
  }, 60_000);

  test('key rotation: the DID document lists both keys, old credentials still verify, new ones carry the new kid', async () => {
    const citizen = await enrol({ services: [] });
    expect((await decide(clerk, citizen.reference, { decision: 'validate' })).status).toBe(200);
    const before = (await issueTo(citizen, 1)).get('resident.dc+sd-jwt')!;
    const oldKid = String(payloadOf(before.credentials[0]!).header.kid);
    expect(oldKid.startsWith(`${city.config.did}#`)).toBe(true);

    const rotated = await city.request('POST', '/back-office/keys/rotate', { token: admin.token });
    expect(rotated.status).toBe(200);
    const newKid = rotated.body.active.kid as string;
    expect(newKid).not.toBe(oldKid);
    expected.push({ actorId: admin.id, action: 'keys.rotated', targetId: newKid });
    expect(rotated.body.published.map((k: { kid: string; state: string }) => [k.kid, k.state])).toEqual([
      [newKid, 'active'],
      [oldKid, 'retired'],
    ]);
    const didDocument = (await city.request('GET', '/.well-known/did.json')).body as { id: string; verificationMethod: { id: string; publicKeyJwk: never }[]; assertionMethod: string[] };
    expect(didDocument.id).toBe(city.config.did);
    expect(didDocument.verificationMethod.map((m) => m.id).sort()).toEqual([newKid, oldKid].sort());

    const after = (await issueTo(citizen, 1)).get('resident.dc+sd-jwt')!;
    expect(payloadOf(after.credentials[0]!).header.kid).toBe(newKid);

    const trust = createTrustedIssuerLookup([{ id: city.config.did, keys: didDocument.verificationMethod.map((m) => ({ kid: m.id, publicJwk: m.publicKeyJwk })), credentialTypes: ['ResidentCredential'] }]);
    const status: StatusSource = { syncedAt: Math.floor(Date.now() / 1000), statusOf: () => 0 };
    for (const copies of [before, after]) {
      const presentation = await presentCredential({ credential: copies.credentials[0]!, claims: [['age_over_18']], nonce: 'n-rotation', audience: 'terminal:1', holderKey: crypto.signingKeyFromJwk({ privateJwk: copies.holderKeys[0]! }), hash: crypto.hash });
      expect(await verifyPresentation({ presentation, crypto, trust, status, keyBinding: { nonce: 'n-rotation', audience: 'terminal:1' } })).toMatchObject({ ok: true, type: 'ResidentCredential' });
    }
    // Without the old key (a DID document that dropped it), the old credential no longer verifies.
    const newOnly = createTrustedIssuerLookup([{ id: city.config.did, keys: didDocument.verificationMethod.filter((m) => m.id === newKid).map((m) => ({ kid: m.id, publicJwk: m.publicKeyJwk })), credentialTypes: ['ResidentCredential'] }]);
    const presentation = await presentCredential({ credential: before.credentials[0]!, claims: [['age_over_18']], nonce: 'n2', audience: 'terminal:1', holderKey: crypto.signingKeyFromJwk({ privateJwk: before.holderKeys[0]! }), hash: crypto.hash });
    expect((await verifyPresentation({ presentation, crypto, trust: newOnly, status, keyBinding: { nonce: 'n2', audience: 'terminal:1' } })).ok).toBe(false);
  }, 60_000);

  test('catalogue: a new service appears in the front office and in the credential issuer metadata', async () => {
    const museum = { id: 'museum', names: { en: 'City museums', es: 'Museos municipales', fr: 'Musées municipaux' }, tiers: ['standard', 'senior'], requiredDocuments: [], active: true };
    expect((await city.request('PUT', '/back-office/catalogue/museum', { token: clerk.token, json: museum })).status).toBe(403);
    const mismatch = await city.request('PUT', '/back-office/catalogue/other', { token: admin.token, json: museum });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe('BODY_INVALID');
    const metadataBefore = (await city.request('GET', '/.well-known/openid-credential-issuer')).body;
    expect(metadataBefore.credential_configurations_supported['entitlement.museum.dc+sd-jwt']).toBeUndefined();

    const put = await city.request('PUT', '/back-office/catalogue/museum', { token: admin.token, json: museum });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: 'museum', tiers: ['standard', 'senior'] });
    expected.push({ actorId: admin.id, action: 'catalogue.updated', targetId: 'museum' });

    const services = await city.request('GET', '/front-office/services');
    expect(services.body.services.map((s: { id: string }) => s.id)).toContain('museum');
    const metadata = (await city.request('GET', '/.well-known/openid-credential-issuer')).body;
    expect(metadata.credential_configurations_supported['entitlement.museum.dc+sd-jwt']).toMatchObject({ format: 'dc+sd-jwt' });

    // A citizen can choose it and gets the entitlement.
    const citizen = await enrol({ services: [{ service_id: 'museum', tier: 'senior' }] });
    expect((await decide(clerk, citizen.reference, { decision: 'validate' })).status).toBe(200);
    const issued = await issueTo(citizen, 1);
    expect([...issued.keys()]).toEqual(['resident.dc+sd-jwt', 'entitlement.museum.dc+sd-jwt']);

    // Deactivated, it leaves the front office and the metadata.
    expect((await city.request('PUT', '/back-office/catalogue/museum', { token: admin.token, json: { ...museum, active: false } })).status).toBe(200);
    expected.push({ actorId: admin.id, action: 'catalogue.updated', targetId: 'museum' });
    expect((await city.request('GET', '/front-office/services')).body.services.map((s: { id: string }) => s.id)).not.toContain('museum');
    expect((await city.request('GET', '/.well-known/openid-credential-issuer')).body.credential_configurations_supported['entitlement.museum.dc+sd-jwt']).toBeUndefined();
  }, 60_000);

  test('audit log: every staff action with its staff id, action and target; no personal data; append-only in the database', async () => {
    const entries: { id: number; actor: { kind: string; id?: string }; action: string; target?: { kind: string; id: string } }[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await city.request('GET', `/back-office/audit${before === undefined ? '' : `?before=${before}`}`, { token: admin.token });
      expect(page.status).toBe(200);
      entries.push(...page.body.entries);
      if (page.body.entries.length < 100) break;
      before = page.body.entries.at(-1).id;
    }
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    expect(expected.length).toBeGreaterThan(20);
    for (const want of expected) {
      const found = entries.some((e) => e.actor.kind === 'staff' && e.actor.id === want.actorId && e.action === want.action && (want.targetId === undefined || e.target?.id === want.targetId));
      if (!found) throw new Error(`audit entry missing: ${JSON.stringify(want)}`);
    }
    // Sign-ins are audited too, and a filter by action works.
    const signIns = await city.request('GET', '/back-office/audit?action=staff.signed_in', { token: admin.token });
    expect(signIns.body.entries.map((e: { actor: { id: string } }) => e.actor.id)).toEqual(expect.arrayContaining([admin.id, clerk.id, poolsManager.id]));

    // The whole table, serialized: no names, e-mails, addresses, document contents, PINs or card numbers.
    const table = JSON.stringify(await city.issuer.db.selectFrom('audit_log').selectAll().execute());
    expect(secrets.values.size).toBeGreaterThan(10);
    for (const value of secrets.values) if (table.includes(value)) throw new Error(`the audit log holds personal data (${value.slice(0, 3)}…)`);
    for (const marker of ['URBIS-COUNTER-SCAN-SECRET', 'URBIS-TEST-PROOF-OF-ADDRESS', '%PDF']) expect(table).not.toContain(marker);

    // The database itself refuses to change or delete entries.
    const count = async () => Number((await city.issuer.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    // better-sqlite3's errors come from another realm under Jest's VM modules (not always `instanceof Error`): compare messages.
    const rejection = (promise: Promise<unknown>) => promise.then(() => 'no rejection', (e: unknown) => String((e as { message?: unknown }).message));
    expect(await rejection(city.issuer.db.updateTable('audit_log').set({ action: 'tampered.with' }).execute())).toMatch(/append-only/);
    expect(await rejection(city.issuer.db.deleteFrom('audit_log').execute())).toMatch(/append-only/);
    expect(await rejection(sql`delete from audit_log where id = ${entries[0]!.id}`.execute(city.issuer.db))).toMatch(/append-only/);
    expect(await count()).toBe(n);
    expect(await city.issuer.db.selectFrom('audit_log').select('action').where('action', '=', 'tampered.with').execute()).toEqual([]);
  }, 60_000);
});
