import { parseArgs } from 'node:util';
import { UrbisError } from '../core/errors/urbis-error.js';

/** The `options` of `node:util` `parseArgs`. */
export type CliOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/**
 * Parses a subcommand's options strictly (no positionals, no unknown flags).
 * @throws UrbisError `INVALID_ARGUMENT` naming the bad option.
 */
export function parseCliOptions(args: string[], options: CliOptions): Record<string, string | undefined> {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values as Record<string, string | undefined>;
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', `bad option: ${(cause as Error).message}`, { cause });
  }
}
