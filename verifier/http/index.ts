/**
 * The terminal's local HTTP API (issue 6, point 4): Express 5, a thin layer
 * over `Terminal`; RFC 9457 problems; 64 KiB bodies refused before parsing.
 * Re-exports only. The latency benchmark helper (`http-latency-bench.ts`)
 * is imported by path.
 */
export { createTerminalApp } from './create-terminal-app.js';
export { startTerminalServer, TERMINAL_REQUEST_TIMEOUT_MS, type TerminalServer } from './start-terminal-server.js';
export { MAX_PRESENTATION_BODY_BYTES, PRESENTATION_MEDIA_TYPES, readPresentationBody, type PresentationInput } from './presentation-body.js';
export { httpStatusOf, problemHandler, problemOf, sendProblem, type ProblemBody } from './problem-details.js';
export { requestLog, routeLabel, type TerminalHttpLog, type TerminalHttpLogEntry, type TerminalHttpRoute } from './terminal-http-log.js';
