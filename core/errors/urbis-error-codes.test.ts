import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { isUrbisErrorCode, URBIS_ERROR_CODES } from './urbis-error-codes.js';

describe('URBIS_ERROR_CODES', () => {
  it("lists exactly the codes of core's union (the type checker checks it too)", async () => {
    const source = await readFile(new URL('./urbis-error.ts', import.meta.url), 'utf8');
    const inUnions = [...source.matchAll(/export type \w+ErrorCode =([^;]*);/g)].flatMap(([, body]) => [...body!.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1]));
    expect([...URBIS_ERROR_CODES].sort()).toEqual([...new Set(inUnions)].sort());
  });

  it('isUrbisErrorCode takes codes only', () => {
    expect(isUrbisErrorCode('KB_REPLAYED')).toBe(true);
    expect(['kb_replayed', 'toString', '__proto__', '', 7, null].some(isUrbisErrorCode)).toBe(false);
  });
});
