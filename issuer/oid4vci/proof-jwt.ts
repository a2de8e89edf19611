import type { OrPromise, PublicJwk, SignatureVerifier } from '../../core/crypto/ports.js';
import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { checkJoseHeader, decodeCompactJws, ES256_SIGNATURE_BYTES, type DecodedJws } from '../../core/jose/compact-jws.js';
import { jwkThumbprintInput } from '../../core/keys/jwk-thumbprint.js';
import { publicPartOf, toPublicP256Jwk } from '../../core/keys/public-jwk.js';

/** The `typ` of a `jwt` key proof (OID4VCI 1.0 Appendix F.1). */
export const PROOF_JWT_TYP = 'openid4vci-proof+jwt';

/** Default oldest proof `iat` accepted, seconds before now (DESIGN §4). */
export const DEFAULT_PROOF_MAX_AGE_SECONDS = 300;

/** Default newest proof `iat` accepted, seconds after now (clock skew, DESIGN §4). */
export const DEFAULT_PROOF_SKEW_SECONDS = 60;

/** Longest key proof read: a P-256 `jwk` proof is about 600 characters. */
export const MAX_PROOF_JWT_LENGTH = 4096;

/** Header parameters naming the proof key other than `jwk`: not supported (Urbis binds to bare JWKs). */
const OTHER_KEY_PARAMETERS = ['kid', 'x5c', 'x5u', 'x5t', 'x5t#S256', 'jku', 'trust_chain'] as const;

/**
 * How the caller checks the proofs' common `nonce`: either the value it
 * expects, or a callback over its store of issued `c_nonce` values that
 * answers whether the value is live and consumes it (single use). The
 * callback runs once per request, only after every proof passed every
 * other check, so a forged or malformed request burns no nonce.
 */
export type ProofNonceCheck =
  | { expectedNonce: string; consumeNonce?: undefined }
  | { consumeNonce: (nonce: string) => OrPromise<boolean>; expectedNonce?: undefined };

/** Arguments of {@link verifyProofJwts}. */
export type VerifyProofJwtsArgs = ProofNonceCheck & {
  /** The `proofs.jwt` array of the Credential Request. */
  proofs: readonly string[];
  /** The Credential Issuer Identifier, which each proof's `aud` must equal. */
  audience: string;
  /** Verification time, epoch seconds (default: the clock). */
  now?: number;
  /** Signature verification port (e.g. `createNodeCrypto()`). */
  crypto: { verifySignature: SignatureVerifier };
  /** Oldest `iat` accepted, seconds before `now` (default 300). */
  maxAgeSeconds?: number;
  /** Newest `iat` accepted, seconds after `now` (default 60). */
  skewSeconds?: number;
};

/**
 * Verifies the `jwt` key proofs of one Credential Request (OID4VCI 1.0
 * Appendix F.1, F.4) and returns the holder keys to bind the copies to, in
 * proof order: one fresh key per one-time copy.
 *
 * Each proof must be a compact JWS with header `typ: openid4vci-proof+jwt`,
 * `alg: ES256` (`none`, HMAC and every other algorithm refused), the proof
 * key as a public P-256 `jwk` and no other way to name a key (`kid`, `x5c`,
 * `trust_chain`, ... are not supported) nor `crit`; the signature must verify
 * with that `jwk`. Then, in the payload: `aud` must be the string `audience`
 * (Appendix F.1 makes `aud` a string: an array, even one holding the issuer,
 * is refused, as for key-binding JWTs, DESIGN §8); `iat` a number within
 * `[now - maxAgeSeconds, now + skewSeconds]`; `exp`, if present, not past
 * (with `skewSeconds`); `nonce` a string. `iss` is ignored (wallets using
 * anonymous access should omit it, but one that sends it loses nothing).
 *
 * Across the proofs: every key must be distinct (each one-time copy needs
 * its own key), and every `nonce` the same, since a `c_nonce` is consumed
 * once per request; that nonce is then checked against `expectedNonce` or
 * consumed through `consumeNonce`, as the very last step.
 *
 * The keys returned hold only `kty`, `crv`, `x`, `y`: nothing the wallet
 * added (a `kid`, say) travels into `cnf.jwk`, where it could link copies.
 *
 * @throws UrbisError `PROOF_INVALID` (structure, header, key, signature,
 *   `iat`/`exp`, a missing `nonce`, duplicate keys, too long, no proofs),
 *   `PROOF_AUD_INVALID`, `PROOF_NONCE_INVALID` (a nonce that differs across
 *   proofs, is not the expected one, or is unknown, expired or used).
 *
 * @example
 * ```ts
 * const holderKeys = await verifyProofJwts({
 *   proofs: proofJwts, audience: issuerUrl, crypto,
 *   consumeNonce: (nonce) => nonces.consume(nonce, now),
 * });
 * ```
 */
export async function verifyProofJwts(args: VerifyProofJwtsArgs): Promise<PublicJwk[]> {
  const {
    proofs,
    audience,
    crypto,
    now = Math.floor(Date.now() / 1000),
    maxAgeSeconds = DEFAULT_PROOF_MAX_AGE_SECONDS,
    skewSeconds = DEFAULT_PROOF_SKEW_SECONDS,
  } = args;
  if ((args.expectedNonce === undefined) === (args.consumeNonce === undefined)) {
    throw new UrbisError('INVALID_ARGUMENT', 'give exactly one of expectedNonce and consumeNonce');
  }
  if (typeof audience !== 'string' || audience === '') throw new UrbisError('INVALID_ARGUMENT', 'the audience is a non-empty string');
  for (const [name, value] of [['now', now], ['maxAgeSeconds', maxAgeSeconds], ['skewSeconds', skewSeconds]] as const) {
    if (!Number.isFinite(value) || (name !== 'now' && value < 0)) throw new UrbisError('INVALID_ARGUMENT', `${name} is a non-negative number`);
  }
  if (!Array.isArray(proofs) || proofs.length === 0) throw new UrbisError('PROOF_INVALID', 'at least one key proof is required');

  const keys: PublicJwk[] = [];
  const seenKeys = new Set<string>();
  let commonNonce: string | undefined;
  for (const [index, proof] of proofs.entries()) {
    const { key, nonce } = await verifyOneProof({ proof, index, audience, crypto, now, maxAgeSeconds, skewSeconds });
    const keyId = jwkThumbprintInput(key);
    if (seenKeys.has(keyId)) throw new UrbisError('PROOF_INVALID', `key proof ${index} repeats the key of an earlier proof`);
    seenKeys.add(keyId);
    if (commonNonce !== undefined && nonce !== commonNonce) {
      throw new UrbisError('PROOF_NONCE_INVALID', 'all key proofs of a request carry the same c_nonce');
    }
    commonNonce = nonce;
    keys.push(key);
  }

  const nonceAccepted =
    args.consumeNonce !== undefined ? (await args.consumeNonce(commonNonce!)) === true : commonNonce === args.expectedNonce;
  if (!nonceAccepted) throw new UrbisError('PROOF_NONCE_INVALID', 'the key proofs carry an unknown, expired or used c_nonce');
  return keys;
}

async function verifyOneProof({
  proof,
  index,
  audience,
  crypto,
  now,
  maxAgeSeconds,
  skewSeconds,
}: {
  proof: unknown;
  index: number;
  audience: string;
  crypto: { verifySignature: SignatureVerifier };
  now: number;
  maxAgeSeconds: number;
  skewSeconds: number;
}): Promise<{ key: PublicJwk; nonce: string }> {
  const invalid = (detail: string, cause?: unknown): UrbisError =>
    new UrbisError('PROOF_INVALID', `key proof ${index}: ${detail}`, cause === undefined ? undefined : { cause });
  if (typeof proof !== 'string') throw invalid('not a compact JWS string');
  if (proof.length > MAX_PROOF_JWT_LENGTH) throw invalid('too long');

  let jws: DecodedJws;
  try {
    jws = decodeCompactJws(proof);
  } catch (cause) {
    throw invalid('malformed compact JWS', cause);
  }
  const { jwk, ...header } = jws.header;
  const [problem] = checkJoseHeader({ header, allowedAlgs: ['ES256'], expectedTyp: [PROOF_JWT_TYP] });
  if (problem !== undefined) throw invalid(`${problem.code}: ${problem.detail}`);
  for (const parameter of OTHER_KEY_PARAMETERS) {
    if (Object.prototype.hasOwnProperty.call(header, parameter)) throw invalid(`header parameter ${parameter} is not supported, use jwk`);
  }
  if (jwk === undefined) throw invalid('the header carries no jwk');
  let key: PublicJwk;
  try {
    key = publicPartOf(toPublicP256Jwk(jwk));
    jwkThumbprintInput(key); // canonical coordinates: one key, one spelling
  } catch (cause) {
    const detail = isUrbisError(cause, 'KEY_PRIVATE_IN_PUBLIC') ? 'the jwk carries a private key' : 'the jwk is not a public P-256 key';
    throw invalid(detail, cause);
  }

  let signatureValid: boolean;
  try {
    signatureValid =
      jws.signature.length === ES256_SIGNATURE_BYTES &&
      (await crypto.verifySignature({ alg: 'ES256', publicJwk: key, signingInput: jws.signingInput, signature: jws.signature }));
  } catch (cause) {
    throw invalid('the jwk is not a usable P-256 key', cause);
  }
  if (!signatureValid) throw invalid('the signature does not verify with the header jwk');

  const { aud, iat, exp, nonce } = jws.payload;
  if (typeof aud !== 'string' || aud !== audience) {
    throw new UrbisError('PROOF_AUD_INVALID', `key proof ${index}: aud must be the credential issuer identifier, as a string`);
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('iat is required');
  if (iat < now - maxAgeSeconds) throw invalid('iat is too old');
  if (iat > now + skewSeconds) throw invalid('iat is in the future');
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= now - skewSeconds)) {
    throw invalid('the proof has expired');
  }
  if (nonce === undefined) throw invalid('nonce is required: fetch a c_nonce from the nonce endpoint');
  if (typeof nonce !== 'string' || nonce === '') throw new UrbisError('PROOF_NONCE_INVALID', `key proof ${index}: nonce is not a c_nonce`);
  return { key, nonce };
}
