import type { ErrorRequestHandler, Response } from 'express';
import { problemTitle, problemType, type ProblemCode } from '../../core/errors/problem-type.js';
import { isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';

/**
 * RFC 9457 problem details of the terminal's HTTP API, with the same `type`
 * convention as the issuer's (`https://urbis.city/problems/<code-kebab>`),
 * so one Urbis code has one problem URI everywhere. The verifier cannot
 * import `issuer/` (DESIGN §1): this is the terminal's small version.
 */

/** HTTP statuses of the codes the terminal's API answers with (the issuer's mapping for the same codes). */
const STATUS: Partial<Record<UrbisErrorCode, number>> = {
  BODY_INVALID: 400,
  INVALID_ARGUMENT: 400,
  JSON_INVALID: 400,
  SERVICE_UNKNOWN: 400,
  RESOURCE_NOT_FOUND: 404,
  INPUT_TOO_LARGE: 413,
  CONTENT_TYPE_UNSUPPORTED: 415,
};

/**
 * HTTP status of an Urbis error code at the terminal's API: 500 for any
 * code not listed (the terminal is at fault, e.g. a replay journal that
 * cannot be written).
 *
 * @example
 * ```ts
 * httpStatusOf('CONTENT_TYPE_UNSUPPORTED'); // 415
 * ```
 */
export function httpStatusOf(code: UrbisErrorCode): number {
  return STATUS[code] ?? 500;
}

/** The problem body (RFC 9457) the terminal sends. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  /** The stable Urbis code (clients branch on it). */
  code: ProblemCode;
  /** Names the check or the member at fault; never a value from the request. */
  detail?: string;
}

/**
 * The problem body of an error: an `UrbisError` keeps its code and message
 * (Urbis messages never hold request values); anything else is a bare 500
 * `INTERNAL` (its message may hold anything).
 *
 * @example
 * ```ts
 * problemOf(new UrbisError('BODY_INVALID', 'a presentation is required')).status; // 400
 * ```
 */
export function problemOf(error: unknown): ProblemBody {
  if (!isUrbisError(error)) return { type: problemType('INTERNAL'), title: 'internal error', status: 500, code: 'INTERNAL' };
  const status = httpStatusOf(error.code);
  return { type: problemType(error.code), title: problemTitle(error.code), status, code: error.code, detail: error.message };
}

/**
 * Sends `body` as `application/problem+json`.
 *
 * @example
 * ```ts
 * sendProblem(res, problemOf(new UrbisError('RESOURCE_NOT_FOUND', 'no such endpoint')));
 * ```
 */
export function sendProblem(res: Response, body: ProblemBody): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/**
 * Express error handler: every error becomes an RFC 9457 problem (see
 * {@link problemOf}); its code is left in `res.locals.problemCode` for the
 * API's log. A non-Urbis error is reported to `onInternalError` (the
 * operator decides what of it to keep; the client sees only `INTERNAL`).
 *
 * @example
 * ```ts
 * app.use(problemHandler({ onInternalError: () => log({ event: 'internal-error' }) }));
 * ```
 */
export function problemHandler({ onInternalError }: { onInternalError?: (error: unknown) => void } = {}): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const body = problemOf(error);
    if (body.code === 'INTERNAL') onInternalError?.(error);
    res.locals['problemCode'] = body.code;
    sendProblem(res, body);
  };
}
