/** The terminal's command line (issue 6, point 4): `urbis verify` and `urbis terminal`. Re-exports only. */
export { bootstrapTerminalSnapshot, type BootstrappedSnapshot } from './bootstrap-snapshot.js';
export { formatVerdict } from './format-verdict.js';
export { MAX_PRESENTATION_INPUT_BYTES, readBounded, readPresentationFile } from './presentation-input.js';
export { processTerminalCliDeps } from './process-cli-deps.js';
export type { TerminalCliDeps } from './terminal-cli-deps.js';
export { createTerminalCommand, terminalCommand } from './terminal-command.js';
export { createVerifyCommand, verifyCommand } from './verify-command.js';
