import express, { Router, type RequestHandler } from 'express';
import { isUrbisError, UrbisError } from '../../../core/errors/urbis-error.js';
import type { IssuerContext } from '../../create-issuer.js';
import { statisticsScopeOf } from '../../statistics/statistics-scope.js';
import { createStatisticsService } from '../../statistics/statistics-service.js';
import { MAX_TERMINAL_REPORT_CHARS } from '../../statistics/terminal-report.js';
import { staffOf, staffSession } from '../authenticate.js';
import { rateLimit } from '../rate-limit.js';

/**
 * Statistics (issue #7): `POST /terminal-reports`, where the city's terminals push their signed count reports
 * (`application/jwt`; no session: the terminal's signature is the authentication, see
 * issuer/statistics/verify-terminal-report.ts), and `GET /back-office/statistics?days=N`, the issuance and
 * verification counts of the last N days (default 30, 1 to 366) for admins (the city) and service managers (their
 * service); clerks get FORBIDDEN (issuer/statistics/statistics-scope.ts). The operator log gets the terminal id,
 * counts and codes only.
 */
export function statisticsRoutes(ctx: Pick<IssuerContext, 'db' | 'config' | 'crypto' | 'now' | 'log' | 'sessions' | 'staff'>): Router {
  const router = Router();
  const statistics = createStatisticsService({ db: ctx.db, terminalKeys: ctx.config.terminalKeys, audience: ctx.config.issuerUrl, verifySignature: ctx.crypto.verifySignature, now: ctx.now });
  const jwtBody = express.text({ type: 'application/jwt', limit: MAX_TERMINAL_REPORT_CHARS });

  const requireJwt: RequestHandler = (req, _res, next) => (req.is('application/jwt') ? next() : next(new UrbisError('CONTENT_TYPE_UNSUPPORTED', 'a terminal report is an application/jwt body')));
  const readJwt: RequestHandler = (req, res, next) => jwtBody(req, res, (error?: unknown) => next((error as { type?: unknown } | undefined)?.type === 'entity.too.large' ? new UrbisError('INPUT_TOO_LARGE', 'the terminal report is too large') : error));
  const acceptReport: RequestHandler = async (req, res) => {
    try {
      const receipt = await statistics.acceptReport({ jwt: req.body });
      ctx.log({ event: 'terminal-report.accepted', detail: { terminal: receipt.terminalId, applied: receipt.applied, ignored: receipt.ignored } });
      res.json(receipt);
    } catch (error) {
      ctx.log({ event: 'terminal-report.refused', code: isUrbisError(error) ? error.code : 'INTERNAL' });
      throw error;
    }
  };
  router.post('/terminal-reports', rateLimit({ limit: 120, windowMs: 60_000, now: ctx.now }), requireJwt, readJwt, acceptReport);

  router.get('/back-office/statistics', staffSession(ctx), async (req, res) => {
    const scope = statisticsScopeOf(staffOf(res));
    res.json(await statistics.overview({ scope, days: req.query['days'] }));
  });
  return router;
}
