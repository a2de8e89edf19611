import { Router, type Response } from 'express';
import type { IssuerContext } from '../../create-issuer.js';
import type { PrintedPaperCard } from '../../paper/paper-card-service.js';
import { citizenOf, citizenSession, staffOf, staffSession } from '../authenticate.js';
import { optionalJsonBody } from '../body-parsers.js';
import { rateLimit } from '../rate-limit.js';
import { validateBody } from '../request-schemas.js';

/** Sends a printed card: the PDF, never cached, as a download; what it carries (no personal data) in headers. */
function sendPdf(res: Response, card: PrintedPaperCard): void {
  res
    .set('Cache-Control', 'no-store')
    .set('Content-Disposition', 'attachment; filename="urbis-paper-card.pdf"')
    .set('X-Urbis-Paper-Passes', String(card.passes.length))
    .set('X-Urbis-Paper-Replaced', String(card.replaced))
    .type('application/pdf')
    .send(Buffer.from(card.pdf));
}

/**
 * The paper card (issue #8) in the citizen's front office (`/front-office`):
 * `POST /me/paper-card` prints at home (JSON body `{ language? }`, answers
 * `application/pdf`; the earlier card stops working), `POST
 * /me/paper-card/revoke` ("I lost my card"). Citizens sign in with their card
 * number and PIN, or an e-mail code, as for the rest of the front office.
 */
export function frontOfficePaperCardRoutes(ctx: IssuerContext): Router {
  const router = Router();
  const session = citizenSession(ctx);
  const body = optionalJsonBody({ limit: ctx.config.maxJsonBytes });
  // Each print issues new passes and allocates status entries: a few per quarter hour is plenty.
  const perClient = rateLimit({ limit: 10, windowMs: 15 * 60_000, now: ctx.now });
  router.post('/me/paper-card', session, perClient, body, validateBody('PaperCardRequest'), async (req, res) => {
    sendPdf(res, await ctx.paperCards.printForCitizen({ citizenId: citizenOf(res), language: req.body.language }));
  });
  router.post('/me/paper-card/revoke', session, async (_req, res) => {
    res.json(await ctx.paperCards.revokeForCitizen({ citizenId: citizenOf(res) }));
  });
  return router;
}

/**
 * The paper card at the counter (`/back-office`, permission
 * `paper_card.manage`): `POST /applications/:reference/paper-card` prints or
 * reprints (the earlier card stops working after the terminals' next sync),
 * `POST /applications/:reference/paper-card/revoke` revokes a lost card
 * without a reprint. Enrolment and document scanning at the counter are the
 * back office's `POST /enrolments` and `POST /applications/:reference/documents`.
 */
export function backOfficePaperCardRoutes(ctx: IssuerContext): Router {
  const router = Router();
  const session = staffSession(ctx);
  const body = optionalJsonBody({ limit: ctx.config.maxJsonBytes });
  router.post('/applications/:reference/paper-card', session, body, validateBody('PaperCardRequest'), async (req, res) => {
    sendPdf(res, await ctx.paperCards.printAtCounter({ staff: staffOf(res), reference: req.params['reference'], language: req.body.language }));
  });
  router.post('/applications/:reference/paper-card/revoke', session, async (req, res) => {
    res.json(await ctx.paperCards.revokeAtCounter({ staff: staffOf(res), reference: req.params['reference'] }));
  });
  return router;
}
