import { Router } from 'express';
import { sql } from 'kysely';
import { UrbisError } from '../../../core/errors/urbis-error.js';
import { requirePermission } from '../../auth/staff-permissions.js';
import type { IssuerContext } from '../../create-issuer.js';
import { staffOf, staffSession } from '../authenticate.js';
import { csvBody, documentUpload, jsonBody, optionalJsonBody } from '../body-parsers.js';
import { rateLimit } from '../rate-limit.js';
import { validateBody } from '../request-schemas.js';

/**
 * The staff-facing back office API under `/back-office`: sign-in, the
 * application queue and files (by reference), decisions, counter offers and
 * PINs, credential status, and for admins the catalogue, keys, staff,
 * webhooks, bulk import, audit log and counts. Permissions are checked in
 * the services (or here, for admin-only reads), every action is audited.
 */
export function backOfficeRoutes(ctx: IssuerContext): Router {
  const router = Router();
  const json = jsonBody({ limit: ctx.config.maxJsonBytes });
  const session = staffSession(ctx);
  const actor = (res: Parameters<typeof staffOf>[0]) => ({ kind: 'staff' as const, id: staffOf(res).id });

  router.post('/login', rateLimit({ limit: 10, windowMs: 15 * 60_000, now: ctx.now }), json, validateBody('StaffLogin'), async (req, res) => {
    const member = await ctx.staff.verifyLogin({ username: req.body.username, password: req.body.password });
    const { token, expiresAt } = await ctx.sessions.issue({ kind: 'staff', subjectId: member.id });
    await ctx.audit.record({ actor: { kind: 'staff', id: member.id }, action: 'staff.signed_in' });
    res.json({ token, expiresAt: new Date(expiresAt).toISOString(), staff: { id: member.id, username: member.username, role: member.role, serviceId: member.serviceId } });
  });
  router.post('/logout', session, async (_req, res) => {
    await ctx.sessions.revoke({ token: res.locals['sessionToken'] as string });
    res.status(204).end();
  });

  // Applications.
  router.get('/applications', session, async (req, res) => {
    const limit = Number(req.query['limit'] ?? 50);
    res.json({ applications: await ctx.backOffice.queue({ staff: staffOf(res), limit: Number.isInteger(limit) ? limit : 50 }) });
  });
  router.post('/enrolments', session, json, validateBody('Enrolment'), async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'application.decide' });
    const { application } = await ctx.enrolment.enrol(req.body);
    await ctx.audit.record({ actor: actor(res), action: 'application.enrolled_at_counter', target: { kind: 'application', id: application.id } });
    res.status(201).json({ application: { reference: application.reference, state: application.state } });
  });
  router.get('/cards/:cardNumber', session, async (req, res) => {
    res.json(await ctx.backOffice.findByCardNumber({ staff: staffOf(res), cardNumber: req.params['cardNumber'] }));
  });
  router.get('/applications/:reference', session, async (req, res) => {
    res.json(await ctx.backOffice.open({ staff: staffOf(res), reference: req.params['reference'] }));
  });
  router.post('/applications/:reference/documents', session, documentUpload({ maxBytes: ctx.config.maxDocumentBytes }), async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'application.decide' });
    const application = await ctx.citizens.applicationByReference(String(req.params['reference']));
    const file = req.file!;
    res.status(201).json(await ctx.enrolment.addDocument({ citizenId: application.citizenId, kind: (req.body as { kind?: unknown }).kind, bytes: new Uint8Array(file.buffer), declaredType: file.mimetype, actor: actor(res) }));
  });
  router.get('/applications/:reference/documents/:documentId', session, async (req, res) => {
    const document = await ctx.backOffice.document({ staff: staffOf(res), reference: req.params['reference'], documentId: String(req.params['documentId']) });
    res.set('Cache-Control', 'no-store').set('Content-Disposition', `inline; filename="${document.kind}"`).type(document.mime).send(Buffer.from(document.bytes));
  });
  router.post('/applications/:reference/decision', session, json, validateBody('Decision'), async (req, res) => {
    res.json(await ctx.backOffice.decide({ staff: staffOf(res), reference: req.params['reference'], decision: req.body.decision, reason: req.body.reason }));
  });
  router.post('/applications/:reference/offers', session, optionalJsonBody({ limit: ctx.config.maxJsonBytes }), validateBody('OfferRequest'), async (req, res) => {
    const offer = await ctx.backOffice.offerAtCounter({ staff: staffOf(res), reference: req.params['reference'], ...(req.body.formats === undefined ? {} : { formats: req.body.formats }) });
    res.status(201).json({ offerUri: offer.offerUri, deepLink: offer.deepLinkByReference, qrSvg: offer.qrSvg, txCode: offer.txCode, expiresAt: new Date(offer.expiresAt).toISOString() });
  });
  router.put('/applications/:reference/pin', session, json, validateBody('Pin'), async (req, res) => {
    await ctx.backOffice.setCardPin({ staff: staffOf(res), reference: req.params['reference'], pin: req.body.pin });
    res.status(204).end();
  });

  // Credentials.
  router.post('/credentials/:batchId/status', session, json, validateBody('StatusChange'), async (req, res) => {
    res.json(await ctx.backOffice.changeStatus({ staff: staffOf(res), batchId: String(req.params['batchId']), action: req.body.action, ...(req.body.reason === undefined ? {} : { reason: req.body.reason }) }));
  });

  // Admin: catalogue, keys, staff, webhooks, import, audit, counts.
  router.get('/catalogue', session, async (_req, res) => {
    res.json({ services: await ctx.catalogue.list() });
  });
  router.put('/catalogue/:serviceId', session, json, validateBody('ServiceDefinition'), async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'catalogue.manage' });
    if (req.body.id !== req.params['serviceId']) throw new UrbisError('BODY_INVALID', 'the body id must match the path');
    const service = await ctx.catalogue.put(req.body);
    await ctx.audit.record({ actor: actor(res), action: 'catalogue.updated', target: { kind: 'service', id: service.id } });
    res.json(service);
  });
  router.get('/keys', session, async (_req, res) => {
    requirePermission({ staff: staffOf(res), action: 'keys.manage' });
    res.json({ did: ctx.config.did, keys: await ctx.keys.publishedKeys() });
  });
  router.post('/keys/rotate', session, async (_req, res) => {
    requirePermission({ staff: staffOf(res), action: 'keys.manage' });
    // With a federation configured, the registry lists the new key before it signs anything; if that fails, nothing rotates.
    const federation = ctx.federation;
    const { active, published } = await ctx.keys.rotate(federation === undefined ? {} : { beforeActivate: ({ thumbprints }) => federation.publishKeys(thumbprints) });
    await ctx.audit.record({ actor: actor(res), action: 'keys.rotated', target: { kind: 'key', id: active.kid }, detail: { state: federation === undefined ? 'federation-not-configured' : 'federation-updated' } });
    res.json({ active, published, thumbprints: published.map((k) => k.thumbprint), federation: federation === undefined ? 'not configured: list the new thumbprint in the trusted-issuer registry' : 'updated' });
  });
  router.get('/staff', session, async (_req, res) => {
    requirePermission({ staff: staffOf(res), action: 'staff.manage' });
    res.json({ staff: await ctx.staff.list() });
  });
  router.post('/staff', session, json, validateBody('StaffCreate'), async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'staff.manage' });
    const member = await ctx.staff.create({ username: req.body.username, password: req.body.password, role: req.body.role, ...(req.body.serviceId === undefined ? {} : { serviceId: req.body.serviceId }) });
    await ctx.audit.record({ actor: actor(res), action: 'staff.created', target: { kind: 'staff', id: member.id }, detail: { role: member.role } });
    res.status(201).json(member);
  });
  router.post('/staff/:id/disable', session, async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'staff.manage' });
    await ctx.staff.disable(String(req.params['id']));
    await ctx.audit.record({ actor: actor(res), action: 'staff.disabled', target: { kind: 'staff', id: String(req.params['id']) } });
    res.status(204).end();
  });
  router.get('/webhooks', session, async (_req, res) => {
    requirePermission({ staff: staffOf(res), action: 'webhooks.manage' });
    res.json({ subscriptions: await ctx.webhooks.listSubscriptions(), deliveries: await ctx.webhooks.deliveries({ limit: 100 }) });
  });
  router.post('/webhooks', session, json, validateBody('WebhookCreate'), async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'webhooks.manage' });
    const subscription = await ctx.webhooks.addSubscription({ url: req.body.url, secret: req.body.secret, serviceIds: req.body.serviceIds });
    await ctx.audit.record({ actor: actor(res), action: 'webhooks.subscribed', target: { kind: 'webhook', id: subscription.id }, detail: { serviceIds: subscription.serviceIds } });
    res.status(201).json(subscription);
  });
  router.delete('/webhooks/:id', session, async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'webhooks.manage' });
    const result = await ctx.webhooks.deactivateSubscription({ id: String(req.params['id']) });
    await ctx.audit.record({ actor: actor(res), action: 'webhooks.unsubscribed', target: { kind: 'webhook', id: String(req.params['id']) } });
    res.json(result);
  });
  router.post('/imports', session, csvBody({ limit: 20 * 1024 * 1024 }), async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'import.run' });
    if (typeof req.body !== 'string') throw new UrbisError('BODY_INVALID', 'the import is a text/csv body');
    res.json(await ctx.bulkImport.run({ csv: req.body, staffId: staffOf(res).id, dryRun: req.query['dryRun'] === 'true' }));
  });
  router.get('/audit', session, async (req, res) => {
    requirePermission({ staff: staffOf(res), action: 'audit.read' });
    const before = req.query['before'] === undefined ? undefined : Number(req.query['before']);
    const action = typeof req.query['action'] === 'string' ? req.query['action'] : undefined;
    res.json({ entries: await ctx.audit.list({ limit: 100, ...(before !== undefined && Number.isInteger(before) ? { before } : {}), ...(action === undefined ? {} : { action }) }) });
  });
  router.get('/stats', session, async (_req, res) => {
    requirePermission({ staff: staffOf(res), action: 'audit.read' });
    const applications = await ctx.db.selectFrom('applications').select(['state', sql<number>`count(*)`.as('n')]).groupBy('state').execute();
    const batches = await ctx.db.selectFrom('issued_batches').select(['credential_type', 'service_id', 'state', sql<number>`count(*)`.as('n')]).groupBy(['credential_type', 'service_id', 'state']).execute();
    res.json({
      applications: Object.fromEntries(applications.map((r) => [r.state, Number(r.n)])),
      credentialBatches: batches.map((r) => ({ credentialType: r.credential_type, serviceId: r.service_id, state: r.state, count: Number(r.n) })),
      statusOutbox: ctx.outbox.counts(),
    });
  });
  return router;
}
