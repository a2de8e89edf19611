export {
  DID_CONTEXT_V1,
  JSON_WEB_KEY_2020_DOCUMENT_CONTEXT,
  JWS_2020_CONTEXT,
  VERIFICATION_RELATIONSHIPS,
  type DidDocument,
  type JsonWebKeyVerificationMethod,
  type MultikeyVerificationMethod,
  type VerificationMethod,
  type VerificationRelationship,
} from './did-document.js';
export { MAX_DID_LENGTH, isDidUrlFragment, parseDid, splitDidUrl, type ParsedDid, type ParsedDidUrl } from './did-syntax.js';
export { P256_COMPRESSED_LENGTH, compressP256PublicJwk, decompressP256PublicKey, parseDidPublicJwk } from './p256-public-key.js';
export { MULTICODEC_P256_PUB, decodeP256Multikey, encodeP256Multikey } from './multikey.js';
export { DID_JWK_PREFIX, createDidJwk, resolveDidJwk } from './did-jwk.js';
export { DID_KEY_PREFIX, createDidKey, resolveDidKey } from './did-key.js';
export { DID_WEB_PREFIX, didWebFromUrl, didWebToUrl } from './did-web-url.js';
export {
  MAX_VERIFICATION_METHODS,
  buildDidWebDocument,
  parseDidWebDocument,
  type DidWebKey,
  type UnsupportedMethodPolicy,
} from './did-web-document.js';
export { DEFAULT_MAX_DID_DOCUMENT_BYTES, resolveDidWeb, type DidDocumentFetcher } from './did-web.js';
export { SUPPORTED_DID_METHODS, findVerificationKey, publicJwkOfVerificationMethod, resolveDid } from './did-resolver.js';
