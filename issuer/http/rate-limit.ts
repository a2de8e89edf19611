import type { Request, RequestHandler } from 'express';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { createRateLimiter } from '../auth/rate-limiter.js';

/**
 * A rate limit on a route, keyed by the client address and optionally a
 * part of the body (a hashed card number, say). Refused requests get
 * `RATE_LIMITED` (429) with `Retry-After`.
 */
export function rateLimit({ limit, windowMs, key = (req) => req.ip ?? 'unknown', now }: { limit: number; windowMs: number; key?: (req: Request) => string; now?: () => number }): RequestHandler {
  const limiter = createRateLimiter({ limit, windowMs, ...(now === undefined ? {} : { now }) });
  return (req, res, next) => {
    const decision = limiter.hit(key(req));
    if (!decision.allowed) {
      res.locals['retryAfterSeconds'] = decision.retryAfterSeconds;
      next(new UrbisError('RATE_LIMITED', 'too many attempts: wait and try again'));
      return;
    }
    next();
  };
}
