import { isUrbisError } from '../core/errors/urbis-error.js';
import { chainCommand } from '../registry/cli/chain-command.js';
import { federationCommand } from '../registry/cli/federation-command.js';
import { issuerCommand } from '../issuer/cli/issuer-command.js';
import { walletCommand } from '../holder-wallet/node/wallet-command.js';
import { terminalCommand } from '../verifier/cli/terminal-command.js';
import { verifyCommand } from '../verifier/cli/verify-command.js';

import type { CliIo, Subcommand } from './subcommand.js';

const SUBCOMMANDS: readonly Subcommand[] = [chainCommand, federationCommand, issuerCommand, walletCommand, terminalCommand, verifyCommand];

function help(io: CliIo): void {
  io.out('urbis — verifiable credentials for cities');
  io.out('');
  io.out('Usage: urbis <command> [options]');
  io.out('');
  io.out('Commands:');
  for (const command of SUBCOMMANDS) io.out(`  ${command.name.padEnd(10)} ${command.summary}`);
  io.out('');
  io.out('Run `urbis <command> --help` for a command’s options.');
}

/**
 * Runs `urbis` with the given arguments and returns the exit code. Failures
 * print `error <CODE>: <message>` on stderr (codes are UrbisError codes).
 */
export async function main(argv: string[], io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name === undefined ? 2 : 0;
  }
  const command = SUBCOMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`error INVALID_ARGUMENT: unknown command "${name}"`);
    help(io);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (isUrbisError(error)) {
      io.err(`error ${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
