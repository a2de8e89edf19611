import { Router } from 'express';
import { limiterKey, type IssuerContext } from '../../create-issuer.js';
import { offerForCitizen } from '../../issuance/citizen-offer.js';
import { citizenOf, citizenSession } from '../authenticate.js';
import { documentUpload, jsonBody, optionalJsonBody } from '../body-parsers.js';
import { rateLimit } from '../rate-limit.js';
import { validateBody } from '../request-schemas.js';

/** What a citizen sees of an offer: the QR and links, never the tx_code (it goes through the notifier, a second channel). */
function offerView(offer: { offerId: string; offerUri: string; deepLinkByReference: string; deepLinkByValue: string; qrSvg: string; expiresAt: number }) {
  return { offerUri: offer.offerUri, deepLink: offer.deepLinkByReference, deepLinkByValue: offer.deepLinkByValue, qrSvg: offer.qrSvg, expiresAt: new Date(offer.expiresAt).toISOString() };
}

/**
 * The citizen-facing front office API under `/front-office`: enrolment,
 * sign-in (e-mail code, card + PIN), the application's status, documents,
 * service choice, credential offers, and the GDPR rights. Thin: each route
 * validates its body against its schema and calls one service.
 */
export function frontOfficeRoutes(ctx: IssuerContext): Router {
  const router = Router();
  const json = jsonBody({ limit: ctx.config.maxJsonBytes });
  const session = citizenSession(ctx);
  const secret = ctx.config.secrets.offerKey;
  const perClient = (limit: number) => rateLimit({ limit, windowMs: 15 * 60_000, now: ctx.now });

  router.get('/services', async (_req, res) => {
    res.json({ services: await ctx.catalogue.list({ activeOnly: true }) });
  });

  router.post('/enrolments', perClient(20), json, validateBody('Enrolment'), async (req, res) => {
    const { citizenId, application } = await ctx.enrolment.enrol(req.body);
    const { token, expiresAt } = await ctx.sessions.issue({ kind: 'citizen', subjectId: citizenId });
    res.status(201).json({ application: { reference: application.reference, state: application.state }, session: { token, expiresAt: new Date(expiresAt).toISOString() } });
  });

  router.post('/login/code', perClient(10), json, validateBody('OtpStart'), async (req, res) => {
    const { challengeId, expiresAt } = await ctx.otp.start({ email: req.body.email });
    res.status(202).json({ challengeId, expiresAt: new Date(expiresAt).toISOString() });
  });
  router.post('/login/code/verify', perClient(20), json, validateBody('OtpVerify'), async (req, res) => {
    const citizenId = await ctx.otp.verify({ challengeId: req.body.challengeId, code: req.body.code });
    const { token, expiresAt } = await ctx.sessions.issue({ kind: 'citizen', subjectId: citizenId });
    res.json({ token, expiresAt: new Date(expiresAt).toISOString() });
  });
  router.post(
    '/login/card',
    perClient(20),
    json,
    validateBody('CardLogin'),
    // A second limit per card number (hashed: the limiter holds no card numbers), against guessing one card's PIN from many addresses.
    rateLimit({ limit: 10, windowMs: 15 * 60_000, now: ctx.now, key: (req) => limiterKey(secret, 'card', String((req.body as { cardNumber?: unknown }).cardNumber)) }),
    async (req, res) => {
      const citizenId = await ctx.cardPin.login({ cardNumber: req.body.cardNumber, pin: req.body.pin });
      const { token, expiresAt } = await ctx.sessions.issue({ kind: 'citizen', subjectId: citizenId });
      res.json({ token, expiresAt: new Date(expiresAt).toISOString() });
    },
  );
  router.post('/logout', session, async (_req, res) => {
    await ctx.sessions.revoke({ token: res.locals['sessionToken'] as string });
    res.status(204).end();
  });

  router.get('/me', session, async (_req, res) => {
    const citizenId = citizenOf(res);
    const [citizen, status] = await Promise.all([ctx.citizens.citizen(citizenId), ctx.enrolment.status(citizenId)]);
    res.json({ citizen, ...status });
  });
  router.post('/me/documents', session, documentUpload({ maxBytes: ctx.config.maxDocumentBytes }), async (req, res) => {
    const file = req.file!;
    const document = await ctx.enrolment.addDocument({ citizenId: citizenOf(res), kind: (req.body as { kind?: unknown }).kind, bytes: new Uint8Array(file.buffer), declaredType: file.mimetype });
    res.status(201).json(document);
  });
  router.put('/me/services', session, json, validateBody('ServicesChange'), async (req, res) => {
    const citizenId = citizenOf(res);
    const change = await ctx.enrolment.changeServices({ citizenId, services: req.body.services });
    res.json(change);
  });
  router.post('/me/offers', session, perClient(30), optionalJsonBody({ limit: ctx.config.maxJsonBytes }), validateBody('OfferRequest'), async (req, res) => {
    const offer = await offerForCitizen({ citizenId: citizenOf(res), citizens: ctx.citizens, offers: ctx.offers, notifier: ctx.notifier, offerConfigurations: ctx.offerConfigurations, ...(req.body.formats === undefined ? {} : { formats: req.body.formats }) });
    res.status(201).json(offerView(offer));
  });
  router.put('/me/pin', session, json, validateBody('Pin'), async (req, res) => {
    await ctx.cardPin.setPin({ citizenId: citizenOf(res), pin: req.body.pin });
    await ctx.audit.record({ actor: { kind: 'citizen', id: citizenOf(res) }, action: 'card.pin_set', target: { kind: 'citizen', id: citizenOf(res) } });
    res.status(204).end();
  });

  // GDPR rights.
  router.get('/me/export', session, async (_req, res) => {
    res.set('Content-Disposition', 'attachment; filename="my-city-card-data.json"').json(await ctx.gdpr.access({ citizenId: citizenOf(res) }));
  });
  router.get('/me/portable', session, async (_req, res) => {
    res.set('Content-Disposition', 'attachment; filename="my-city-card-portable.json"').json(await ctx.gdpr.port({ citizenId: citizenOf(res) }));
  });
  router.patch('/me', session, json, validateBody('Rectification'), async (req, res) => {
    const result = await ctx.gdpr.rectify({ citizenId: citizenOf(res), changes: req.body });
    res.json({ changedFields: result.changedFields, revokedBatches: result.revokedBatches, needsValidation: result.needsValidation, ...(result.offer === undefined ? {} : { offer: offerView(result.offer) }) });
  });
  router.delete('/me', session, json, validateBody('Erasure'), async (_req, res) => {
    res.json(await ctx.gdpr.erase({ citizenId: citizenOf(res) }));
  });
  router.put('/me/restriction', session, json, validateBody('Restriction'), async (req, res) => {
    res.json(await ctx.gdpr.restrict({ citizenId: citizenOf(res), restricted: req.body.restricted }));
  });
  router.put('/me/objections', session, json, validateBody('Objections'), async (req, res) => {
    res.json(await ctx.gdpr.object({ citizenId: citizenOf(res), purposes: req.body.purposes }));
  });
  router.put('/me/consents', session, json, validateBody('Consents'), async (req, res) => {
    res.json({ consents: await ctx.gdpr.updateConsents({ citizenId: citizenOf(res), consents: req.body.consents }) });
  });
  return router;
}
