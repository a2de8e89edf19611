import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The OID4VCI client runs in the browser wallet too (issue 5): its import
 * graph, from the barrel, reaches only holder-wallet/oid4vci/ and core/
 * (never issuer/, verifier/ or registry/) and no Node built-in.
 */
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/g;

function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const match of source.matchAll(IMPORT)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      else external.add(spec);
    }
  };
  visit(entry);
  return { files, external };
}

describe('holder-wallet/oid4vci is browser-safe', () => {
  const { files, external } = importGraph(join(here, 'index.ts'));

  test('reaches only holder-wallet/oid4vci/ and core/', () => {
    for (const file of files) {
      const path = relative(repoRoot, file);
      expect(path.startsWith('holder-wallet/oid4vci/') || path.startsWith('core/')).toBe(true);
      expect(path.endsWith('.test.ts')).toBe(false);
    }
    expect([...files].some((file) => relative(repoRoot, file).startsWith('core/'))).toBe(true);
  });

  test('pulls no Node built-in and no HTTP framework', () => {
    const forbidden = [...external].filter((spec) => spec.startsWith('node:') || ['fs', 'net', 'http', 'https', 'crypto', 'zlib', 'path', 'express'].includes(spec));
    expect(forbidden).toEqual([]);
  });
});
