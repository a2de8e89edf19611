/**
 * JWT VC (`jwt_vc_json`) adapter: the `core/jwt-vc` port implemented with
 * did-jwt-vc 4 directly and with a Veramo 7 agent, for P-256 did:key issuers.
 * Verification is local (did:key only), never over the network.
 */
export { createJwtVcAgent, JWT_VC_AGENT_KMS, type JwtVcAgent } from './agent.js';
export { createDidJwtVcIssuer, type DidJwtVcIssuer } from './did-jwt-vc-issuer.js';
export { createDidJwtVcVerifier } from './did-jwt-vc-verifier.js';
export { importP256IssuerKey } from './import-issuer-key.js';
export { libraryPolicies } from './library-policies.js';
export { createLocalDidKeyResolver } from './local-resolver.js';
export { CredentialProviderJwtVcdm2 } from './vcdm2-credential-provider.js';
export { signVcdm2JwtVc } from './vcdm2-jwt.js';
export { createVeramoJwtVcIssuer } from './veramo-issuer.js';
export { createVeramoJwtVcVerifier } from './veramo-verifier.js';
