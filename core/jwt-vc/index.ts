/**
 * JWT VC (`jwt_vc_json`) port and pure helpers. Implementations (did-jwt-vc,
 * Veramo) live in `adapters/veramo-jwt-vc`.
 */
export * from './jwt-vc-port.js';
export { buildW3cCredential, contextOf, encodeJwtVcPayload, type JwtVcPayload, type W3cCredential } from './credential-builder.js';
export { decodeJwtVc, type DecodedJwtVc, type JwtVcDecoding } from './jwt-vc-decoder.js';
export { checkJwtVcHeader } from './jwt-vc-header.js';
export { checkJwtVcIssuer } from './jwt-vc-issuer-checks.js';
export { checkJwtVcValidity } from './jwt-vc-validity.js';
export { createJwtVcVerifier, type JwtVcVerifierOptions } from './verify-jwt-vc.js';
