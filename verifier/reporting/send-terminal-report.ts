import { isUrbisErrorCode } from '../../core/errors/urbis-error-codes.js';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** What the issuer answered to an accepted report. */
export interface ReportReceipt {
  /** Days whose counts the report set. */
  applied: number;
  /** Days the issuer kept as they were (it holds a newer report of them). */
  ignored: number;
}

/** Longest wait for the issuer. */
export const REPORT_TIMEOUT_MS = 10_000;

/**
 * POSTs a signed report to `<issuerUrl>/terminal-reports` (`application/jwt`).
 *
 * @throws UrbisError `ISSUER_UNREACHABLE` (network error, timeout, or an answer that is not the issuer's),
 *   or the issuer's problem `code` when it refused the report (e.g. `REPORT_TERMINAL_UNKNOWN`, `SIGNATURE_INVALID`).
 *   Messages carry codes and statuses only (the URL may hold a token).
 * @example
 * ```ts
 * const { applied } = await sendTerminalReport({ issuerUrl: 'http://127.0.0.1:4001', jwt });
 * ```
 */
export async function sendTerminalReport({ issuerUrl, jwt, fetch = globalThis.fetch, timeoutMs = REPORT_TIMEOUT_MS }: { issuerUrl: string; jwt: string; fetch?: typeof globalThis.fetch; timeoutMs?: number }): Promise<ReportReceipt> {
  let response: Response;
  try {
    response = await fetch(`${issuerUrl}/terminal-reports`, { method: 'POST', headers: { 'content-type': 'application/jwt', accept: 'application/json' }, body: jwt, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (cause) {
    throw new UrbisError('ISSUER_UNREACHABLE', 'the issuer could not be reached', { cause });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new UrbisError('ISSUER_UNREACHABLE', `the issuer answered ${response.status} without JSON`, { cause });
  }
  const b = body as { code?: unknown; applied?: unknown; ignored?: unknown } | null;
  if (!response.ok) {
    const code = b?.code;
    throw new UrbisError(isUrbisErrorCode(code) ? code : 'ISSUER_UNREACHABLE', `the issuer refused the report (${response.status}${typeof code === 'string' && isUrbisErrorCode(code) ? ` ${code}` : ''})`);
  }
  if (typeof b?.applied !== 'number' || typeof b?.ignored !== 'number') throw new UrbisError('ISSUER_UNREACHABLE', 'the issuer answered without a receipt');
  return { applied: b.applied, ignored: b.ignored };
}
