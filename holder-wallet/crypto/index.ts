/** Web Crypto for the wallet (Node and browsers). Re-exports only. */
export { ECDSA_P256, ECDSA_SHA256, asciiBytes, subtleCrypto, toBufferSource, webRandomBytes, webSha256 } from './web-crypto.js';
export { createWebCryptoSuite, type WebCryptoSuite } from './web-crypto-suite.js';
