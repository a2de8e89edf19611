import { Router } from 'express';
import { UrbisError } from '../../../core/errors/urbis-error.js';
import type { IssuerContext } from '../../create-issuer.js';
import { buildIssuerOpenApi } from '../openapi/issuer-openapi.js';

/**
 * Public, unauthenticated documents: the issuer's DID document, the status
 * lists in both published forms (IETF `statuslist+jwt`, W3C Bitstring
 * Status List `vc+jwt`, by `Accept`), health, and the OpenAPI document.
 */
export function publicRoutes(ctx: IssuerContext): Router {
  const router = Router();

  router.get('/.well-known/did.json', async (_req, res) => {
    res.type('application/did+json').send(JSON.stringify(await ctx.keys.didDocument()));
  });

  router.get('/status/:listId', async (req, res) => {
    const listId = Number(req.params['listId']);
    if (!Number.isSafeInteger(listId) || listId < 0) throw new UrbisError('STATUS_LIST_UNKNOWN', 'no such status list');
    const list = await ctx.statusLists.list(listId);
    const wanted = req.accepts(['application/statuslist+jwt', 'application/vc+jwt']);
    if (wanted === false) throw new UrbisError('CONTENT_TYPE_UNSUPPORTED', 'status lists are served as application/statuslist+jwt or application/vc+jwt');
    const published = await ctx.publishedStatusLists.get(list.listId);
    res.set('Cache-Control', `public, max-age=${ctx.publishedStatusLists.ttlSeconds}`).set('Vary', 'Accept');
    if (wanted === 'application/vc+jwt') res.type('application/vc+jwt').send(published.bitstring.jwt);
    else res.type('application/statuslist+jwt').send(published.token);
  });

  router.get('/health', async (_req, res) => {
    await ctx.db.selectFrom('services').select('id').limit(1).execute();
    res.json({ status: 'ok', engine: ctx.engine, statusOutbox: ctx.outbox.counts() });
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(buildIssuerOpenApi({ serverUrl: ctx.config.issuerUrl }));
  });
  return router;
}
