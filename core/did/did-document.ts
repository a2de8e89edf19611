import type { PublicJwk } from '../crypto/ports.js';

/**
 * The typed view of a resolved DID document that Urbis works with (W3C DID
 * Core 1.0 §5). Resolvers normalise what they read into this shape: every
 * verification method id and every verification-relationship entry is an
 * absolute DID URL (`<did>#<fragment>`), embedded verification methods are
 * moved into `verificationMethod`, and members Urbis does not use
 * (`service`, `alsoKnownAs`, ...) are left out.
 */

/** The DID Core v1 JSON-LD context, first in every `@context`. */
export const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';

/** The JSON-LD context defining `JsonWebKey2020` (W3C CCG JWS 2020 suite). */
export const JWS_2020_CONTEXT = 'https://w3id.org/security/suites/jws-2020/v1';

/** The `@context` of the documents Urbis builds (did:jwk, did:key, did:web). */
export const JSON_WEB_KEY_2020_DOCUMENT_CONTEXT: readonly string[] = [DID_CONTEXT_V1, JWS_2020_CONTEXT];

/** The verification relationships of DID Core §5.3, in document order. */
export const VERIFICATION_RELATIONSHIPS = [
  'authentication',
  'assertionMethod',
  'keyAgreement',
  'capabilityInvocation',
  'capabilityDelegation',
] as const;

/** One of the DID Core §5.3 verification relationships. */
export type VerificationRelationship = (typeof VERIFICATION_RELATIONSHIPS)[number];

/** A verification method carrying a JWK (`JsonWebKey2020`, or `JsonWebKey` of VC-JOSE-COSE / Controlled Identifiers). */
export interface JsonWebKeyVerificationMethod {
  /** Absolute DID URL, `<did>#<fragment>`. */
  id: string;
  type: 'JsonWebKey2020' | 'JsonWebKey';
  /** The DID that controls the key. */
  controller: string;
  /** The public P-256 key (never has `d`). */
  publicKeyJwk: PublicJwk;
}

/** A verification method carrying a multibase multicodec key (`Multikey`, W3C Controlled Identifiers 1.0). */
export interface MultikeyVerificationMethod {
  /** Absolute DID URL, `<did>#<fragment>`. */
  id: string;
  type: 'Multikey';
  controller: string;
  /** `z` + base58btc(multicodec `p256-pub` varint || 33-byte compressed point). */
  publicKeyMultibase: string;
}

/** A verification method of a resolved document. Urbis only resolves P-256 keys. */
export type VerificationMethod = JsonWebKeyVerificationMethod | MultikeyVerificationMethod;

/** A resolved, normalised DID document. */
export interface DidDocument {
  '@context'?: readonly (string | Record<string, unknown>)[];
  /** The DID this document describes. */
  id: string;
  verificationMethod: VerificationMethod[];
  /** Absolute DID URLs of verification methods in `verificationMethod`. */
  authentication?: string[];
  assertionMethod?: string[];
  keyAgreement?: string[];
  capabilityInvocation?: string[];
  capabilityDelegation?: string[];
}
