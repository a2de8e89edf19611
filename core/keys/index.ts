export { publicPartOf, toPrivateP256Jwk, toPublicP256Jwk } from './public-jwk.js';
export { JWK_THUMBPRINT_URI_PREFIX, calculateJwkThumbprint, calculateJwkThumbprintUri, jwkThumbprintInput } from './jwk-thumbprint.js';
