import { parseArgs } from 'node:util';
import type { CliIo, Subcommand } from '../../bin/subcommand.js';
import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { loadTerminalConfig } from '../config/terminal-config.js';
import { openTerminal } from '../terminal/open-terminal.js';
import { formatVerdict } from './format-verdict.js';
import { MAX_PRESENTATION_INPUT_BYTES, readPresentationFile } from './presentation-input.js';
import { processTerminalCliDeps } from './process-cli-deps.js';
import type { TerminalCliDeps } from './terminal-cli-deps.js';

const USAGE = `Usage: urbis verify [<presentation> | -] [--file <path>] [--service <id>] [--json]
  Verifies one presentation OFFLINE against this terminal's data folder (URBIS_TERMINAL_DIR, default
  .urbis/terminal: its snapshot, replay journal and counts; see verifier/config/terminal-config.ts).

  The presentation is the argument (SD-JWT+KB text, or a vp_token JSON), or --file <path> (text, or the
  wallet QR's compact bytes), or standard input (\`-\`, or piped with no argument). At most 64 KiB.

  The command line has no pending request to answer, so it checks the scanner-only flow (DESIGN §4 b):
  the presentation must be bound to this terminal (KB-JWT aud = URBIS_TERMINAL_ID), carry a nonce of the
  wallet's own and a fresh iat (60 s), and is remembered in the replay journal like any accepted one.

  --service <id>   the service to check for (default URBIS_TERMINAL_SCANNER_SERVICE, or the policy file's
                   only service)
  --json           prints the verdict as JSON instead of a line for a person

  Exit status: 0 accepted, 1 rejected, 2 usage or nothing verified (bad option, configuration, unreadable
  input: "error <CODE>: …" on stderr).`;

/**
 * `urbis verify`: one presentation, verified offline by the terminal of
 * the configured data folder, for one service, in the scanner-only flow.
 * The verdict is counted and an accepted presentation is remembered in the
 * replay journal, as the terminal's HTTP API would.
 *
 * @example
 * ```ts
 * const command = createVerifyCommand(deps);
 * const code = await command.run(['--service', 'pools', '--json', presentation], io); // 0 accepted, 1 rejected, 2 usage
 * ```
 */
export function createVerifyCommand(deps: TerminalCliDeps): Subcommand {
  return {
    name: 'verify',
    summary: 'verify a presentation offline against this terminal (scanner-only flow)',
    usage: USAGE,
    run: async (args: string[], io: CliIo): Promise<number> => {
      try {
        return await verify(deps, args, io);
      } catch (error) {
        if (!isUrbisError(error)) throw error;
        io.err(`error ${error.code}: ${error.message}`);
        return 2;
      }
    },
  };
}

/** `urbis verify` in this process (environment, clock, standard input). */
export const verifyCommand: Subcommand = createVerifyCommand(processTerminalCliDeps());

async function verify(deps: TerminalCliDeps, args: string[], io: CliIo): Promise<number> {
  let parsed: { values: { file?: string; service?: string; json?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { file: { type: 'string' }, service: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (cause) {
    return usage(io, `bad option: ${(cause as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 1) return usage(io, 'give one presentation (quote it)');
  if (positionals.length === 1 && values.file !== undefined) return usage(io, 'give the presentation either as an argument or with --file');

  const base = loadTerminalConfig({ env: deps.env });
  const serviceId = values.service ?? base.scannerServiceId ?? (base.policies.size === 1 ? [...base.policies.keys()][0] : undefined);
  if (serviceId === undefined) return usage(io, `name the service: --service <id> (${[...base.policies.keys()].join(', ')})`);
  if (!base.policies.has(serviceId)) throw new UrbisError('SERVICE_UNKNOWN', `this terminal has no policy for that service (${[...base.policies.keys()].join(', ')})`);

  let presentation: string | Uint8Array;
  if (values.file !== undefined) presentation = await readPresentationFile({ path: values.file });
  else if (positionals.length === 1 && positionals[0] !== '-') presentation = positionals[0]!;
  else {
    const piped = await deps.readStdin({ maxBytes: MAX_PRESENTATION_INPUT_BYTES });
    if (piped === undefined) return usage(io, 'no presentation: give it as an argument, with --file, or on standard input');
    presentation = piped;
  }

  // The scanner flow for exactly this service: the command line has no request to answer.
  const config = { ...base, scannerServiceId: serviceId };
  const opened = await openTerminal({ config, ...(deps.clock === undefined ? {} : { clock: deps.clock }) });
  let verdict;
  try {
    verdict = await opened.terminal.verify({ presentation, serviceId });
  } finally {
    await opened.close();
  }
  if (values.json === true) io.out(JSON.stringify(verdict));
  else for (const line of formatVerdict(verdict)) io.out(line);
  return verdict.ok ? 0 : 1;
}

function usage(io: CliIo, problem: string): number {
  io.err(`error INVALID_ARGUMENT: ${problem}`);
  io.err(USAGE);
  return 2;
}
