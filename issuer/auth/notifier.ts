import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** One message to a citizen or staff member: at least one address, a subject and a plain-text body. */
export interface NotificationMessage {
  readonly to: { readonly email?: string; readonly phone?: string };
  readonly subject: string;
  readonly text: string;
}

/**
 * Where the issuer sends one-time codes and notices. A port: production
 * plugs in an SMS or e-mail gateway; development and counter testing use
 * `createOutboxFileNotifier`.
 *
 * Implementations should return quickly (queue, then deliver): how long
 * `send` takes is visible to whoever triggered it.
 */
export interface Notifier {
  send(message: NotificationMessage): Promise<void>;
}

/** A line of the outbox file: the message and when it was written (epoch ms). */
export interface OutboxEntry extends NotificationMessage {
  readonly sentAt: number;
}

/**
 * The default notifier: appends each message as one JSON line
 * (`{"sentAt":…,"to":{…},"subject":…,"text":…}`) to a local file, created
 * with mode 0o600 along with its folder (0o700).
 *
 * **This file holds one-time codes and citizens' addresses in clear.** It is
 * for development, demos and counter testing only (tests and the demo read a
 * citizen's code from it with `readOutboxFile`); a production deployment
 * plugs an SMS/e-mail gateway into the {@link Notifier} port instead and
 * keeps no such file.
 *
 * Messages from one notifier are written in call order.
 *
 * @example
 * ```ts
 * const notifier = createOutboxFileNotifier({ path: '.tmp/outbox.jsonl' });
 * const otp = createCitizenOtp({ db, notifier });
 * ```
 * @throws UrbisError `CONFIG_INVALID` (from `send`) when the file cannot be written; `INVALID_ARGUMENT` for a message with no address.
 */
export function createOutboxFileNotifier({ path, now = Date.now }: { path: string; now?: () => number }): Notifier {
  if (typeof path !== 'string' || path === '') throw new UrbisError('CONFIG_INVALID', 'the outbox file path must be a non-empty string');
  let queue: Promise<void> = Promise.resolve();
  let folderReady = false;
  const write = async (line: string): Promise<void> => {
    try {
      if (!folderReady) {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        folderReady = true;
      }
      await appendFile(path, line, { encoding: 'utf8', mode: 0o600 });
    } catch (cause) {
      throw new UrbisError('CONFIG_INVALID', 'the notifier outbox file cannot be written', { cause });
    }
  };
  return {
    send(message) {
      const { to, subject, text } = message ?? ({} as NotificationMessage);
      if (typeof to !== 'object' || to === null || (typeof to.email !== 'string' && typeof to.phone !== 'string')) {
        return Promise.reject(new UrbisError('INVALID_ARGUMENT', 'a notification needs an e-mail address or a phone number'));
      }
      if (typeof subject !== 'string' || typeof text !== 'string') {
        return Promise.reject(new UrbisError('INVALID_ARGUMENT', 'a notification needs a subject and a text'));
      }
      const recipient = { ...(to.email === undefined ? {} : { email: to.email }), ...(to.phone === undefined ? {} : { phone: to.phone }) };
      const line = `${JSON.stringify({ sentAt: now(), to: recipient, subject, text })}\n`;
      const result = queue.then(() => write(line));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

/**
 * Reads every message of an outbox file written by `createOutboxFileNotifier`,
 * oldest first; `[]` when the file does not exist yet. For tests, demos and
 * counter testing.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when a line is not a JSON message.
 */
export async function readOutboxFile({ path }: { path: string }): Promise<OutboxEntry[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
  return content
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as OutboxEntry;
      } catch (cause) {
        throw new UrbisError('INVALID_ARGUMENT', `line ${index + 1} of the outbox file is not JSON`, { cause });
      }
    });
}
