import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOutboxFileNotifier, readOutboxFile } from './notifier.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'urbis-outbox-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('createOutboxFileNotifier', () => {
  test('appends one JSON line per message, in call order, creating the folder and a 0600 file', async () => {
    const path = join(dir, 'nested', 'outbox.jsonl');
    const notifier = createOutboxFileNotifier({ path, now: () => 1_000 });
    expect(await readOutboxFile({ path })).toEqual([]);
    await Promise.all([
      notifier.send({ to: { email: 'a@example.test' }, subject: 'one', text: 'first' }),
      notifier.send({ to: { phone: '+34600000000' }, subject: 'two', text: 'second' }),
    ]);
    expect(await readOutboxFile({ path })).toEqual([
      { sentAt: 1_000, to: { email: 'a@example.test' }, subject: 'one', text: 'first' },
      { sentAt: 1_000, to: { phone: '+34600000000' }, subject: 'two', text: 'second' },
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test('a message with no address or no text is INVALID_ARGUMENT, and nothing is written', async () => {
    const path = join(dir, 'outbox.jsonl');
    const notifier = createOutboxFileNotifier({ path });
    await expect(notifier.send({ to: {}, subject: 's', text: 't' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(notifier.send({ to: { email: 'a@example.test' }, subject: 's' } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await readOutboxFile({ path })).toEqual([]);
  });

  test('an unwritable path is CONFIG_INVALID, and the notifier keeps working for later messages', async () => {
    const blocker = join(dir, 'file');
    const good = createOutboxFileNotifier({ path: blocker });
    await good.send({ to: { email: 'a@example.test' }, subject: 's', text: 't' });
    const bad = createOutboxFileNotifier({ path: join(blocker, 'outbox.jsonl') }); // a folder that is a file
    await expect(bad.send({ to: { email: 'a@example.test' }, subject: 's', text: 't' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(bad.send({ to: { email: 'a@example.test' }, subject: 's', text: 't' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(() => createOutboxFileNotifier({ path: '' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
