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
