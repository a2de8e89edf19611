import { UrbisError } from '../core/errors/urbis-error.js';

/**
 * The shape of an `urbis` subcommand. Each component (registry, issuer,
 * verifier, wallet) exports its own; `bin/urbis-cli.ts` dispatches.
 */
export interface Subcommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Where a command writes: injected so tests can capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** One action of a subcommand: `urbis <command> <action> [options]`. */
export type SubcommandAction = (args: string[], io: CliIo) => Promise<number>;

/**
 * Runs the action named by `args[0]`: none prints the usage (exit 2), `--help`
 * or `-h` prints it (exit 0), an unknown one is `INVALID_ARGUMENT` naming the
 * actions there are.
 */
export async function runAction({ command, usage, actions, args, io }: { command: string; usage: string; actions: Readonly<Record<string, SubcommandAction>>; args: string[]; io: CliIo }): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') {
    io.out(usage);
    return action === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (run === undefined) throw new UrbisError('INVALID_ARGUMENT', `unknown ${command} action "${action}" (${Object.keys(actions).join(', ')})`);
  return run(rest, io);
}
