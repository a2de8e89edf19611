export { checkJoseHeader, decodeCompactJws, ES256_SIGNATURE_BYTES, signCompactJws, type DecodedJws, type JoseHeaderProblem } from './compact-jws.js';
export { verifyCompactJws } from './verify-compact-jws.js';
