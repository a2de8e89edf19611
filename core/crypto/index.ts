/**
 * Crypto ports and helpers. Re-exports only. The node:crypto implementation
 * is not re-exported, so that browser bundles never pull node:crypto: import
 * `createNodeCrypto` from `core/crypto/node-crypto.js`.
 */
export { digestBase64url } from './digest-base64url.js';
export { KeyCache } from './key-cache.js';
export type {
  Base64urlHasher,
  CryptoSuite,
  GeneratedKeyPair,
  HashAlgorithm,
  Hasher,
  JwsAlgorithm,
  OrPromise,
  PrivateJwk,
  PublicJwk,
  RandomBytes,
  SignatureVerifier,
  Signer,
  SigningKey,
} from './ports.js';
