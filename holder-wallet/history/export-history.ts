import { UrbisError } from '../../core/errors/urbis-error.js';
import type { HistoryEntry, WalletDocument } from '../store/wallet-document.js';

/** Formats the citizen can export the history in. */
export type HistoryExportFormat = 'json' | 'csv';

/** One presentation as exported: what was disclosed, to whom, when. */
export interface ExportedPresentation {
  /** ISO 8601 time (UTC). */
  at: string;
  /** The verifier / terminal the presentation was bound to. */
  verifier: string;
  credentialType: string;
  /** `oid4vp` (answered a terminal's request) or `scanner` (bound to a scanner terminal). */
  flow: string;
  /** The disclosed claims, as dotted paths (`age_over_18`, `address.locality`). */
  disclosed: string[];
}

const CSV_COLUMNS = ['at', 'verifier', 'credentialType', 'flow', 'disclosed'] as const;

/**
 * The presentation history for the citizen to take away (GDPR-style
 * access to their own record): what was disclosed, to which verifier,
 * when — oldest first. The history lives only in the wallet; this is the
 * only way it leaves, and only when the citizen asks. Claim values are not
 * in the history (only which claims were disclosed), so none are exported.
 *
 * CSV: RFC 4180 (CRLF, fields quoted when needed, formula-leading
 * characters `= + - @` prefixed with `'` so spreadsheets do not run them);
 * the disclosed paths are joined with `;`.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for an unknown format.
 *
 * @example
 * ```ts
 * const csv = exportHistory({ document: await store.load(), format: 'csv' });
 * ```
 */
export function exportHistory({ document, format = 'json' }: { document: Pick<WalletDocument, 'history'>; format?: HistoryExportFormat }): string {
  const entries = [...document.history].sort((a, b) => a.at - b.at).map(exported);
  if (format === 'json') return `${JSON.stringify({ presentations: entries }, null, 2)}\n`;
  if (format !== 'csv') throw new UrbisError('INVALID_ARGUMENT', "the history exports as 'json' or 'csv'");
  const rows = [CSV_COLUMNS.join(','), ...entries.map((e) => CSV_COLUMNS.map((column) => csvField(column === 'disclosed' ? e.disclosed.join(';') : e[column])).join(','))];
  return `${rows.join('\r\n')}\r\n`;
}

function exported(entry: HistoryEntry): ExportedPresentation {
  return {
    at: new Date(entry.at * 1000).toISOString(),
    verifier: entry.verifier,
    credentialType: entry.credentialType,
    flow: entry.flow ?? 'oid4vp',
    disclosed: entry.disclosed.map((path) => path.join('.')),
  };
}

function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
