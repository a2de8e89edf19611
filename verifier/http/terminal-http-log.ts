import type { RequestHandler } from 'express';
import { performance } from 'node:perf_hooks';
import type { ProblemCode } from '../../core/errors/problem-type.js';

/**
 * What the terminal's HTTP API may log (DESIGN §4: a terminal logs counts,
 * never claims or identifiers): the route PATTERN, the status, the time
 * taken and, for a problem, its code. Never a URL or query string, a body,
 * a header, a nonce, a claim or a client address.
 */

/** The routes of the API; `unmatched` for any other path (which is not logged). */
export type TerminalHttpRoute = 'GET /request' | 'POST /presentations/verify' | 'GET /health' | 'GET /openapi.json' | 'unmatched';

/** One log entry: one answered request. */
export interface TerminalHttpLogEntry {
  event: 'http-request';
  route: TerminalHttpRoute;
  status: number;
  /** Milliseconds from the request's arrival to the last byte of the answer handed to the socket. */
  ms: number;
  /** The problem's code, when the answer is a problem. */
  code?: ProblemCode;
}

/** The operator's log callback. */
export type TerminalHttpLog = (entry: TerminalHttpLogEntry) => void;

/**
 * Labels a route for the log (the pattern, never the request's URL).
 *
 * @example
 * ```ts
 * app.get('/health', routeLabel('GET /health'), handler);
 * ```
 */
export function routeLabel(route: TerminalHttpRoute): RequestHandler {
  return (_req, res, next) => {
    res.locals['route'] = route;
    next();
  };
}

/**
 * Middleware that hands `log` one {@link TerminalHttpLogEntry} per answered
 * request. An exception thrown by `log` is swallowed: logging never breaks
 * an answer.
 *
 * @example
 * ```ts
 * app.use(requestLog({ log: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`) }));
 * ```
 */
export function requestLog({ log }: { log: TerminalHttpLog }): RequestHandler {
  return (_req, res, next) => {
    const start = performance.now();
    res.once('finish', () => {
      const route = (res.locals['route'] as TerminalHttpRoute | undefined) ?? 'unmatched';
      const code = res.locals['problemCode'] as ProblemCode | undefined;
      const entry: TerminalHttpLogEntry = { event: 'http-request', route, status: res.statusCode, ms: Math.round((performance.now() - start) * 1000) / 1000 };
      if (code !== undefined) entry.code = code;
      try {
        log(entry);
      } catch {
        // The log is the operator's; a failing one must not change the answer.
      }
    });
    next();
  };
}
