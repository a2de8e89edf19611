/**
 * The wallet's core path runs in browsers too (issue 5): from the barrels
 * (the root barrel; keys, crypto, store, OID4VCI client, presentation, QR,
 * wallet operations, status, history), the import graph reaches no Node built-in, no
 * Node adapter (holder-wallet/node/), nothing outside core/ and
 * holder-wallet/, and only the npm packages a browser bundle can take.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const walletDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(walletDir, '..');
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const BROWSER_ENTRIES = ['index.ts', 'crypto/index.ts', 'keys/index.ts', 'store/index.ts', 'oid4vci/index.ts', 'presentation/index.ts', 'qr/index.ts', 'wallet/index.ts', 'status/index.ts', 'history/index.ts', 'testing/wallet-fixtures.ts'];

function importGraph(entries: string[]): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const match of source.matchAll(IMPORT)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (spec.endsWith('.json')) files.add(target);
        else visit(target.replace(/\.js$/, '.ts'));
      } else {
        external.add(spec);
      }
    }
  };
  for (const entry of entries) visit(join(walletDir, entry));
  return { files, external };
}

describe('holder-wallet browser path', () => {
  const { files, external } = importGraph(BROWSER_ENTRIES);

  it('reaches only core/ and holder-wallet/ (never holder-wallet/node/)', () => {
    for (const file of files) {
      const path = relative(repoRoot, file);
      expect(path.startsWith('core/') || (path.startsWith('holder-wallet/') && !path.startsWith('holder-wallet/node/'))).toBe(true);
    }
  });

  it('pulls no Node built-in; its only npm packages are browser-safe', () => {
    const builtins = [...external].filter((spec) => spec.startsWith('node:') || ['fs', 'net', 'http', 'https', 'crypto', 'zlib', 'path', 'os'].includes(spec));
    expect(builtins).toEqual([]);
    expect([...external].filter((spec) => spec.startsWith('@noble/')).sort()).toEqual(['@noble/curves/nist.js', '@noble/hashes/scrypt.js']);
    // multiformats (did:key in core's DID resolver), pako (status list inflation) and qrcode (with two of its own modules for the capacity table) are pure JS, made for browsers.
    expect([...external].filter((spec) => !spec.startsWith('@noble/')).sort()).toEqual(['multiformats/bases/base58', 'pako', 'qrcode', 'qrcode/lib/core/error-correction-level.js', 'qrcode/lib/core/version.js']);
  });
});
