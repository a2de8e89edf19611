export { createMemoryReplayCache, type ReplayCache } from './replay-cache.js';
export { createTrustedIssuerLookup, type TrustedIssuer, type TrustedIssuerLookup } from './trusted-issuer.js';
