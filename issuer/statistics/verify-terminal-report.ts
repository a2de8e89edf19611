import type { PublicJwk, SignatureVerifier } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { verifyCompactJws } from '../../core/jose/verify-compact-jws.js';
import { MAX_TERMINAL_REPORT_CHARS, parseTerminalReportPayload, TERMINAL_REPORT_TYP, type TerminalReportPayload } from './terminal-report.js';

/** How old a report's `iat` may be (the terminal signs right before it sends). */
export const REPORT_MAX_AGE_SECONDS = 300;

/** How far in the future a report's `iat` may be (clock skew, DESIGN §4). */
export const REPORT_MAX_FUTURE_SECONDS = 60;

/**
 * Verifies a terminal's count report (see `terminal-report.ts`), in this order, stopping at the first problem:
 * size (before parsing), structure, a known terminal (`iss` listed in `terminalKeys`), header (ES256 only, `typ`,
 * no embedded key, no `crit`) and signature with that terminal's key, audience (exactly `audience`, a string),
 * freshness (`iat` within {@link REPORT_MAX_AGE_SECONDS} before and {@link REPORT_MAX_FUTURE_SECONDS} after now),
 * then the payload's shape.
 *
 * Error codes are the closest existing ones (core/errors has no report-specific code yet).
 *
 * @throws UrbisError `INPUT_TOO_LARGE`; `JWS_MALFORMED`; `REPORT_TERMINAL_UNKNOWN` (not a configured terminal);
 *   `ALG_NONE`, `ALG_HMAC`, `ALG_NOT_ALLOWED`, `HEADER_EMBEDDED_KEY`, `HEADER_CRIT_UNSUPPORTED`, `TYP_INVALID`;
 *   `SIGNATURE_INVALID`; `REPORT_AUD_INVALID` (another audience); `REPORT_STALE` (stale or future
 *   `iat`); `SCHEMA_INVALID` (the payload). Messages never carry a value from the report.
 *
 * @example
 * ```ts
 * const report = await verifyTerminalReport({ jwt, terminalKeys: config.terminalKeys, audience: config.issuerUrl, verifySignature: crypto.verifySignature, now: Date.now() });
 * ```
 */
export async function verifyTerminalReport({
  jwt,
  terminalKeys,
  audience,
  verifySignature,
  now,
}: {
  jwt: unknown;
  /** Terminal id → public JWK (`URBIS_TERMINAL_KEYS`). */
  terminalKeys: Readonly<Record<string, PublicJwk>>;
  /** The issuer's URL (`aud` must equal it). */
  audience: string;
  verifySignature: SignatureVerifier;
  /** Epoch milliseconds. */
  now: number;
}): Promise<TerminalReportPayload> {
  if (typeof jwt !== 'string') throw new UrbisError('JWS_MALFORMED', 'the terminal report must be a compact JWS');
  if (jwt.length > MAX_TERMINAL_REPORT_CHARS) throw new UrbisError('INPUT_TOO_LARGE', 'the terminal report exceeds the size limit');
  const iss = decodeCompactJws(jwt.trim()).payload['iss'];
  if (typeof iss !== 'string' || !Object.prototype.hasOwnProperty.call(terminalKeys, iss)) throw new UrbisError('REPORT_TERMINAL_UNKNOWN', 'the report does not come from a terminal this issuer knows');
  const publicJwk = terminalKeys[iss]!;
  const { payload } = await verifyCompactJws({
    jwt: jwt.trim(),
    expectedTyp: [TERMINAL_REPORT_TYP],
    verifySignature,
    publicJwkFor: () => publicJwk,
    maxLength: MAX_TERMINAL_REPORT_CHARS,
    sizeErrorCode: 'INPUT_TOO_LARGE',
    label: 'terminal report',
  });
  if (typeof payload['aud'] !== 'string' || payload['aud'] !== audience) throw new UrbisError('REPORT_AUD_INVALID', 'the terminal report is meant for another audience');
  const iat = payload['iat'];
  const nowSeconds = Math.floor(now / 1000);
  if (typeof iat !== 'number' || !Number.isFinite(iat) || iat < nowSeconds - REPORT_MAX_AGE_SECONDS || iat > nowSeconds + REPORT_MAX_FUTURE_SECONDS) {
    throw new UrbisError('REPORT_STALE', 'the terminal report is stale or dated in the future');
  }
  return parseTerminalReportPayload(payload);
}
