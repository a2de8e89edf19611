import { describe, expect, it } from '@jest/globals';
import type { HistoryEntry } from '../store/wallet-document.js';
import { exportHistory } from './export-history.js';

const entry = (at: number, overrides: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: `h${at}`,
  at,
  verifier: 'urbis:terminal:gijon-pool-1',
  credentialId: 'copy-secret-id',
  credentialType: 'ResidentCredential',
  disclosed: [['age_over_18']],
  flow: 'oid4vp',
  ...overrides,
});

describe('exportHistory', () => {
  const history = [entry(1_790_000_100, { disclosed: [['address', 'locality'], ['age_over_18']], flow: 'scanner' }), entry(1_790_000_000)];

  it('exports JSON oldest first: when, to whom, which type, which claims; no wallet-local ids', () => {
    const json = JSON.parse(exportHistory({ document: { history } }));
    expect(json).toEqual({
      presentations: [
        { at: '2026-09-21T14:13:20.000Z', verifier: 'urbis:terminal:gijon-pool-1', credentialType: 'ResidentCredential', flow: 'oid4vp', disclosed: ['age_over_18'] },
        { at: '2026-09-21T14:15:00.000Z', verifier: 'urbis:terminal:gijon-pool-1', credentialType: 'ResidentCredential', flow: 'scanner', disclosed: ['address.locality', 'age_over_18'] },
      ],
    });
    expect(exportHistory({ document: { history } })).not.toContain('copy-secret-id');
  });

  it('exports RFC 4180 CSV, quoting where needed and defusing spreadsheet formulas', () => {
    const tricky = [entry(1_790_000_000, { verifier: '=HYPERLINK("x")', credentialType: 'Type, with "quotes"' })];
    const csv = exportHistory({ document: { history: tricky }, format: 'csv' });
    expect(csv).toBe('at,verifier,credentialType,flow,disclosed\r\n2026-09-21T14:13:20.000Z,"\'=HYPERLINK(""x"")","Type, with ""quotes""",oid4vp,age_over_18\r\n');
  });

  it('exports an empty history, and refuses an unknown format with INVALID_ARGUMENT', () => {
    expect(JSON.parse(exportHistory({ document: { history: [] } }))).toEqual({ presentations: [] });
    expect(exportHistory({ document: { history: [] }, format: 'csv' })).toBe('at,verifier,credentialType,flow,disclosed\r\n');
    expect(() => exportHistory({ document: { history }, format: 'xml' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
