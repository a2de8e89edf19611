/** OpenID4VP 1.0 requests of a terminal (issue 6, point 3): fresh nonces, the request QR's link, one-time take. Re-exports only. */
export { keyBindingNonceOf } from './key-binding-nonce.js';
export { MAX_REQUEST_LINK_LENGTH, PRESENTATION_REQUEST_SCHEME, presentationRequestLink } from './presentation-request-link.js';
export {
  DEFAULT_REQUEST_CAPACITY,
  DEFAULT_REQUEST_TTL_SECONDS,
  REQUEST_NONCE_BYTES,
  createRequestIssuer,
  type PendingRequest,
  type RequestIssuer,
  type RequestIssuerStats,
} from './request-issuer.js';
export { TERMINAL_ID_PATTERN, checkTerminalId } from './terminal-id.js';
