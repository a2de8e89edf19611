/**
 * The portable suite (portable-suite.ts) in Node: the file storage in a
 * temporary directory, memory key handles. The browser runs the very same
 * cases: holder-wallet/browser/browser-suite.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import { createMemoryKeyHandles } from '../keys/memory-key-handles.js';
import { createFileStorage } from '../node/file-storage.js';
import type { PortableEnv, PresentationFixture } from './portable-env.js';
import { PORTABLE_CASES } from './portable-suite.js';
import { buildPresentationFixture } from './presentation-fixture.js';

let root: string;
let fixture: PresentationFixture;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'urbis-portable-'));
  fixture = await buildPresentationFixture();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh env per case: its own directory; handles by name live as long as the case (memory). */
async function nodeEnv(caseIndex: number): Promise<PortableEnv> {
  const dir = join(root, `case-${caseIndex}`);
  const handles = new Map<string, HolderKeyHandles>();
  return {
    platform: 'node',
    openStorage: async (name) => createFileStorage({ path: join(dir, `${name}.urbw`) }),
    openKeyHandles: async (name) => {
      if (!handles.has(name)) handles.set(name, createMemoryKeyHandles());
      return handles.get(name)!;
    },
    fixture,
  };
}

describe('portable wallet suite in Node (file storage, memory key handles)', () => {
  it.each(PORTABLE_CASES.map((c, index) => ({ ...c, index })))('$name', async ({ run, index }) => {
    await run(await nodeEnv(index));
  });
});
