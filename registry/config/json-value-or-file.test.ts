import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonValueOrFile } from './json-value-or-file.js';

describe('readJsonValueOrFile', () => {
  it('reads a value inline or from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'urbis-json-config-'));
    try {
      const path = join(dir, 'signers.json');
      writeFileSync(path, '[{"kty":"EC"}]');
      expect(readJsonValueOrFile({ raw: ' {"a":1} ', name: 'X' })).toEqual({ a: 1 });
      expect(readJsonValueOrFile({ raw: '[1]', name: 'X' })).toEqual([1]);
      expect(readJsonValueOrFile({ raw: path, name: 'X' })).toEqual([{ kty: 'EC' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['/nonexistent/urbis.json', 'URBIS_X is neither JSON nor a readable file'],
    ['{"a":', 'URBIS_X is not valid JSON'],
    [`[${'1,'.repeat(20)}1]`, 'URBIS_X is larger than 16 characters'],
  ])('refuses %p with CONFIG_INVALID naming the variable only', (raw, message) => {
    expect(() => readJsonValueOrFile({ raw, name: 'URBIS_X', maxChars: 16 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message }));
  });
});
