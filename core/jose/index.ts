export { checkJoseHeader, decodeCompactJws, signCompactJws, type DecodedJws, type JoseHeaderProblem } from './compact-jws.js';
