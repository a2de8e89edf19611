/**
 * Urbis core: the pure credential engine (DESIGN §1). Re-exports only.
 *
 * Everything here runs without filesystem, network or chain, over injected
 * crypto and compression ports. The Node implementations of those ports
 * are imported by path, so that browser bundles of this barrel stay free of
 * Node built-ins: `core/crypto/node-crypto.js`, `core/status/node-compression.js`.
 */
export * from './credentials/index.js';
export * from './crypto/index.js';
export * from './did/index.js';
export * from './encoding/index.js';
export * from './errors/index.js';
export * from './issuance/index.js';
export * from './jose/index.js';
export * from './jwt-vc/index.js';
export * from './keys/index.js';
export * from './presentation/index.js';
export * from './sd-jwt/index.js';
export * from './status/index.js';
export * from './trust/index.js';
export * from './verification/index.js';
