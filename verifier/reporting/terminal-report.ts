import type { SigningKey } from '../../core/crypto/ports.js';
import { signCompactJws } from '../../core/jose/compact-jws.js';
import type { DailyCounts } from './daily-counts-ledger.js';

/**
 * The count report a terminal pushes to its city's issuer: a compact ES256 JWS signed with the terminal's own
 * snapshot key (verifier/snapshot/local-snapshot-key.ts), which the issuer lists in `URBIS_TERMINAL_KEYS`. The
 * issuer verifies it in issuer/statistics/verify-terminal-report.ts (the two components never import each other,
 * DESIGN §1: the format is stated on both sides, and e2e/terminal-statistics.test.ts checks they agree).
 *
 * Payload: `iss` (terminal id), `aud` (the issuer URL), `iat` (epoch seconds), `days`: per UTC day, the cumulative
 * counts per service (`accepted`, `rejected`, `rejectedByCode`). Nothing else: no presentation, nonce, pseudonym,
 * claim, or time finer than a day.
 */

/** The report's JOSE `typ`. */
export const TERMINAL_REPORT_TYP = 'urbis-counts+jwt';

/** Most days in one report (the issuer refuses more). */
export const MAX_REPORT_DAYS = 62;

/**
 * Signs a count report.
 *
 * @example
 * ```ts
 * const jwt = await signTerminalReport({ terminalId, audience: 'https://sede.gijon.example/issuer', days: ledger.unsent(), signingKey, now: Math.floor(Date.now() / 1000) });
 * ```
 */
export async function signTerminalReport({
  terminalId,
  audience,
  days,
  signingKey,
  now,
}: {
  terminalId: string;
  /** The issuer's URL (its Credential Issuer Identifier). */
  audience: string;
  days: readonly DailyCounts[];
  signingKey: SigningKey;
  /** Epoch seconds. */
  now: number;
}): Promise<string> {
  return signCompactJws({
    header: { typ: TERMINAL_REPORT_TYP },
    payload: { iss: terminalId, aud: audience, iat: now, days: days.slice(-MAX_REPORT_DAYS).map(({ day, services }) => ({ day, services })) },
    signingKey,
  });
}
