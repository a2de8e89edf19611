import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

/** The bundle's file name: the page imports `./urbis-wallet.js`. */
export const WALLET_BUNDLE_FILE = 'urbis-wallet.js';
/**
 * The page's static files, copied beside the bundle: its own, and
 * `i18n.js`, the pages' shared translator (web/shared/i18n.js; the wallet
 * is served on an origin of its own, so it carries its copy).
 */
export const WALLET_PAGE_FILES = ['index.html', 'wallet.css', 'wallet.js', 'wallet-strings.js', 'i18n.js'] as const;

/** Where each page file comes from (web/wallet/ unless listed). */
const PAGE_FILE_SOURCES: Partial<Record<(typeof WALLET_PAGE_FILES)[number], string>> = { 'i18n.js': join(here, '..', 'shared', 'i18n.js') };

/** What {@link buildWalletBundle} wrote. */
export interface WalletBundle {
  /** The folder to serve (the page and its bundle). */
  dir: string;
  bundlePath: string;
  bundleBytes: number;
  /** Every source file in the bundle, relative to the repository root. */
  inputs: string[];
}

/**
 * Builds the browser wallet (issue 7, web page 4) into `outDir`: the
 * holder-wallet library and its IndexedDB adapters bundled by esbuild
 * (platform browser, ES module, es2022: a Node built-in anywhere in the
 * import graph fails the build) as `urbis-wallet.js`, and the page's static
 * files ({@link WALLET_PAGE_FILES}: the page, its strings, and the shared
 * `web/shared/i18n.js`) beside it.
 * Serve `outDir` over https or from loopback (a secure context: Web Crypto
 * and IndexedDB).
 *
 * @throws Error when esbuild fails (its messages).
 * @example
 * ```ts
 * const { dir } = await buildWalletBundle({ outDir: '.urbis/web/wallet' });
 * app.use('/wallet', express.static(dir));
 * ```
 */
export async function buildWalletBundle({ outDir, minify = true }: { outDir: string; minify?: boolean }): Promise<WalletBundle> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const bundlePath = join(dir, WALLET_BUNDLE_FILE);
  const result = await build({
    entryPoints: [join(here, 'wallet-lib.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outfile: bundlePath,
    metafile: true,
    minify,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  for (const file of WALLET_PAGE_FILES) await copyFile(PAGE_FILE_SOURCES[file] ?? join(here, file), join(dir, file));
  const inputs = Object.keys(result.metafile.inputs).map((input) => relative(repoRoot, resolve(process.cwd(), input)));
  return { dir, bundlePath, bundleBytes: (await stat(bundlePath)).size, inputs };
}
