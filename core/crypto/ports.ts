/**
 * Crypto ports: the narrow function types every `core/` module takes as
 * arguments, in the style of sd-jwt-js (`Signer`, `Verifier`, `Hasher`,
 * `SaltGenerator`). `core/` never reaches for a crypto implementation itself;
 * callers pass one (see `node-crypto.ts` for Node, a Web Crypto one for the
 * browser wallet).
 */

/** A value or a promise of it: ports may be synchronous (node:crypto) or not (Web Crypto). */
export type OrPromise<T> = T | Promise<T>;

/** Hash algorithms Urbis accepts for `_sd_alg` and `sd_hash` (IANA names). */
export type HashAlgorithm = 'sha-256';

/** JWS algorithms Urbis signs and verifies with (allow-list, DESIGN §4). */
export type JwsAlgorithm = 'ES256';

/** A public P-256 key as a JWK (RFC 7517/7518). */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid?: string;
  alg?: string;
  use?: string;
}

/** A private P-256 key as a JWK. Never leaves the component that owns it. */
export interface PrivateJwk extends PublicJwk {
  d: string;
}

/** Digest of bytes, or of a string's UTF-8 bytes. */
export type Hasher = (data: Uint8Array | string, alg: HashAlgorithm) => OrPromise<Uint8Array>;

/**
 * Optional companion of {@link Hasher}: the digest of an ASCII string,
 * base64url-encoded — what SD-JWT needs for every disclosure digest and
 * `sd_hash`. Implementations that can skip the intermediate byte array
 * (node:crypto's one-shot `hash`) are several times faster.
 */
export type Base64urlHasher = (data: string, alg: HashAlgorithm) => OrPromise<string>;

/** Cryptographically secure random bytes. */
export type RandomBytes = (length: number) => Uint8Array;

/**
 * Verifies a JWS signature (for ES256: raw `r || s`, 64 bytes) over the ASCII
 * signing input `BASE64URL(header) '.' BASE64URL(payload)`. Returns `false` on
 * a bad signature; throws `UrbisError('KEY_INVALID')` on an unusable key.
 */
export type SignatureVerifier = (args: {
  alg: JwsAlgorithm;
  publicJwk: PublicJwk;
  signingInput: string;
  signature: Uint8Array;
}) => OrPromise<boolean>;

/** Signs an ASCII JWS signing input with a key the implementation holds. */
export type Signer = (signingInput: string) => OrPromise<Uint8Array>;

/** A key able to sign, with its public half. */
export interface SigningKey {
  alg: JwsAlgorithm;
  publicJwk: PublicJwk;
  /** Key id written into JWS headers (a DID URL or a JWK thumbprint). */
  kid?: string;
  sign: Signer;
}

/** A freshly generated key pair. */
export interface GeneratedKeyPair {
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
}

/** Everything `core/` needs from a crypto implementation. */
export interface CryptoSuite {
  hash: Hasher;
  hashBase64url?: Base64urlHasher;
  randomBytes: RandomBytes;
  verifySignature: SignatureVerifier;
  generateKeyPair: () => OrPromise<GeneratedKeyPair>;
  /** Builds a signing key from a private JWK (import is cached by the implementation). */
  signingKeyFromJwk: (args: { privateJwk: PrivateJwk; kid?: string }) => OrPromise<SigningKey>;
}
