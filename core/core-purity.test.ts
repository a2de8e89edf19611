/**
 * core/ rules (DESIGN §1): pure, and importable by the browser wallet.
 * 1. The barrel's whole import graph uses no Node built-in and nothing
 *    outside core/ (only npm packages).
 * 2. The ESLint restricted-imports rule that enforces it does fire.
 */
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const coreDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(coreDir, '..');
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/g;

function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '') // TSDoc examples mention imports that are not made
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
  visit(entry);
  return { files, external };
}

describe('core/ purity', () => {
  const { files, external } = importGraph(join(coreDir, 'index.ts'));

  it('the core barrel reaches only files inside core/', () => {
    for (const file of files) expect(relative(coreDir, file).startsWith('..')).toBe(false);
    expect(files.size).toBeGreaterThan(50);
  });

  it('the core barrel pulls no Node built-in (browser-safe), only npm packages', () => {
    const builtins = [...external].filter((spec) => spec.startsWith('node:') || ['fs', 'net', 'http', 'https', 'crypto', 'zlib', 'path'].includes(spec));
    expect(builtins).toEqual([]);
    expect([...external].filter((s) => ['express', 'ethers', 'hardhat'].includes(s))).toEqual([]);
  });

  it('the barrel exposes the engine and not the Node-only adapters', async () => {
    const core = await import('./index.js');
    for (const name of ['issueCredentialBatch', 'presentCredential', 'verifyPresentation', 'createPresentationVerifier', 'UrbisError', 'encodeTokenStatusList', 'createDidJwk', 'validateClaims']) {
      expect(typeof (core as Record<string, unknown>)[name]).toBe('function');
    }
    expect((core as Record<string, unknown>).createNodeCrypto).toBeUndefined();
    expect((core as Record<string, unknown>).createNodeCompression).toBeUndefined();
  });

  it.each([
    ['core/verification/probe.ts', "import { x } from '../../registry/chain.js';", 'no-restricted-imports'],
    ['core/probe.ts', "import { x } from '../issuer/app.js';", 'no-restricted-imports'],
    ['core/sd-jwt/probe.ts', "import { readFileSync } from 'node:fs';", 'no-restricted-imports'],
    ['core/a/b/probe.ts', "import { Contract } from 'ethers';", 'no-restricted-imports'],
    ['core/a/probe.ts', "import express from 'express';", 'no-restricted-imports'],
  ])('ESLint refuses, in %s: %s', async (filePath, code, rule) => {
    const eslint = new ESLint({ cwd: repoRoot });
    const [result] = await eslint.lintText(`${code}\nexport const y = 1;\n`, { filePath: join(repoRoot, filePath) });
    expect(result!.messages.map((m) => m.ruleId)).toContain(rule);
  });

  it('ESLint accepts imports between core/ folders', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const [result] = await eslint.lintText("import { UrbisError } from '../../errors/urbis-error.js';\nexport const y = UrbisError;\n", {
      filePath: join(repoRoot, 'core/verification/policies/probe.ts'),
    });
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });
});
