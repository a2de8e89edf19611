import { connectChain } from '../../registry/chain/connect-chain.js';
import { startTerminalServer } from '../http/start-terminal-server.js';
import { readBounded } from './presentation-input.js';
import type { TerminalCliDeps } from './terminal-cli-deps.js';

/**
 * The CLI's surroundings in a real process: `process.env`, the system
 * clock, JSON-RPC through registry's `connectChain`, the HTTP API of
 * `verifier/http`, Ctrl-C (SIGINT) or SIGTERM to stop, and standard input
 * unless it is an interactive terminal.
 *
 * @example
 * ```ts
 * const verifyCommand = createVerifyCommand(processTerminalCliDeps());
 * ```
 */
export function processTerminalCliDeps(): TerminalCliDeps {
  return {
    env: process.env,
    connect: ({ rpcUrl, chainId }) => connectChain({ rpcUrl, chainId }),
    startServer: startTerminalServer,
    untilStopped: () =>
      new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    readStdin: async ({ maxBytes }) => (process.stdin.isTTY === true ? undefined : readBounded(process.stdin, maxBytes)),
  };
}
