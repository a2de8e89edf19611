import type { SnapshotChain } from '../../registry/snapshot/chain-state.js';
import type { TerminalChainConfig } from '../config/terminal-config.js';
import type { startTerminalServer } from '../http/start-terminal-server.js';

/** What `urbis verify` and `urbis terminal` need from their surroundings; tests replace each part. */
export interface TerminalCliDeps {
  /** The environment the configuration is read from (`loadTerminalConfig`). */
  env: NodeJS.ProcessEnv;
  /** Clock, epoch seconds (default: the system clock). */
  clock?: () => number;
  /** Connects to the chain for `sync` (default: registry's `connectChain`). */
  connect(chain: TerminalChainConfig): Promise<SnapshotChain & { close(): void }>;
  /** Starts the HTTP API for `serve`. */
  startServer: typeof startTerminalServer;
  /** Resolves when `serve` is asked to stop (default: SIGINT or SIGTERM). */
  untilStopped(): Promise<void>;
  /**
   * Standard input, read to at most `maxBytes`, or `undefined` when it is an
   * interactive terminal (nothing piped).
   */
  readStdin(args: { maxBytes: number }): Promise<Uint8Array | undefined>;
  /** Where `serve` writes its log lines (JSON, counts and codes only); default: the command's stderr. */
  log?(line: string): void;
  /** HTTP client of count reports to the issuer (`URBIS_TERMINAL_REPORT_URL`); default: the global fetch. */
  fetch?: typeof globalThis.fetch;
}
