/** A terminal's configuration from environment variables (table in `terminal-config.ts`). Re-exports only. */
export {
  DEFAULT_POLICIES_PATH,
  DEFAULT_TERMINAL_DIR,
  DEFAULT_TERMINAL_ID,
  loadTerminalConfig,
  terminalFiles,
  type TerminalChainConfig,
  type TerminalConfig,
  type TerminalFiles,
} from './terminal-config.js';
export { describeTerminalConfig } from './describe-terminal-config.js';
