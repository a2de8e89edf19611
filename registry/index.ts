/**
 * Urbis registry: the chain side (DESIGN §1, §3). Re-exports only.
 * - chain/: JSON-RPC connection, registry clients, deployment
 * - publisher/: the issuer's durable status publisher (SQLite outbox)
 * - publish/: status forms for standard verifiers, from chain state
 * - snapshot/: the terminals' signed offline snapshots and delta sync
 * - federation/: M-of-N votes on the trusted-issuer registry
 */
export * from './chain/index.js';
export * from './federation/index.js';
export * from './publish/index.js';
export * from './publisher/index.js';
export * from './snapshot/index.js';
