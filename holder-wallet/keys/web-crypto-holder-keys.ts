import type { PrivateJwk, PublicJwk, SigningKey } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { publicPartOf, toPrivateP256Jwk, toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import { ECDSA_P256, ECDSA_SHA256, asciiBytes, subtleCrypto } from '../crypto/web-crypto.js';

/**
 * Holder keys on Web Crypto: one ES256 (P-256) key per one-time copy of a
 * credential (DESIGN §2), never reused across copies.
 *
 * Where the platform can keep a key for us (a browser: `CryptoKey` objects
 * go into IndexedDB as they are), the private key is generated
 * non-extractable: no script, the wallet's own included, can read it out.
 * Where it cannot (Node: the file store must persist the key), it is
 * generated extractable and leaves memory only inside the encrypted store
 * (see `exportHolderKey`).
 */

/** A holder key: its public JWK, a core `SigningKey` for KB-JWTs and OID4VCI proofs, and the private `CryptoKey` handle. */
export interface HolderKey {
  /** The public half, as written into `cnf.jwk` of the copy it is bound to. */
  publicJwk: PublicJwk;
  /** ES256 signer: `sign(signingInput)` resolves to the 64-byte `r || s`. */
  signingKey: SigningKey;
  /** The private key handle (what a browser stores in IndexedDB). */
  cryptoKey: CryptoKey;
  /** Whether `cryptoKey` can be exported (and so backed up and carried to another device). */
  extractable: boolean;
}

/**
 * Generates a fresh ES256 holder key.
 *
 * @param args.extractable `false` (the default) makes the private key
 *   non-extractable: it can sign but never be exported, backed up or
 *   migrated (a restore lists the copies bound to it for re-issuance).
 *   `true` where the key must be persisted as bytes (the Node file store).
 *
 * @example
 * ```ts
 * const key = await generateHolderKey({ extractable: false });
 * // key.publicJwk goes into the OID4VCI proof; key.signingKey signs it.
 * ```
 */
export async function generateHolderKey({ extractable = false }: { extractable?: boolean } = {}): Promise<HolderKey> {
  const subtle = subtleCrypto();
  const pair = await subtle.generateKey(ECDSA_P256, extractable, ['sign', 'verify']);
  const publicJwk = toPublicP256Jwk(stripJwkMetadata(await subtle.exportKey('jwk', pair.publicKey)));
  return holderKeyFromCryptoKey({ cryptoKey: pair.privateKey, publicJwk });
}

/**
 * Imports a private P-256 JWK as a holder key (a key read from the file
 * store or carried by a backup).
 *
 * @param args.extractable Whether the imported key may be exported again
 *   (default `false`: the JWK already exists; the handle need not).
 * @throws UrbisError `KEY_INVALID` when the JWK is not a P-256 private key
 *   or its `d` does not match its `x`, `y`.
 *
 * @example
 * ```ts
 * const key = await importHolderKey({ privateJwk: record.privateJwk });
 * ```
 */
export async function importHolderKey({ privateJwk, extractable = false }: { privateJwk: PrivateJwk; extractable?: boolean }): Promise<HolderKey> {
  const checked = toPrivateP256Jwk(privateJwk);
  const publicJwk = publicPartOf(checked);
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await subtleCrypto().importKey('jwk', { ...publicJwk, d: checked.d }, ECDSA_P256, extractable, ['sign']);
  } catch (cause) {
    throw new UrbisError('KEY_INVALID', 'the private JWK is not a valid P-256 key pair', { cause });
  }
  return holderKeyFromCryptoKey({ cryptoKey, publicJwk });
}

/**
 * Exports an extractable holder key as a private JWK (only for storing it
 * encrypted, in the file store or a backup).
 *
 * @throws UrbisError `KEY_INVALID` when the key is not extractable, or is
 *   not a private ECDSA P-256 key.
 *
 * @example
 * ```ts
 * const key = await generateHolderKey({ extractable: true });
 * const privateJwk = await exportHolderKey(key); // takes any { cryptoKey }
 * ```
 */
export async function exportHolderKey({ cryptoKey }: { cryptoKey: CryptoKey }): Promise<PrivateJwk> {
  assertPrivateP256(cryptoKey);
  if (!cryptoKey.extractable) throw new UrbisError('KEY_INVALID', 'the holder key is not extractable');
  return toPrivateP256Jwk(stripJwkMetadata(await subtleCrypto().exportKey('jwk', cryptoKey)));
}

/**
 * Wraps a private `CryptoKey` handle (for instance one read back from
 * IndexedDB) and its public JWK as a holder key.
 *
 * @throws UrbisError `KEY_INVALID` when the handle is not a private ECDSA
 *   P-256 key able to sign, or the public JWK is not a P-256 public key.
 */
export function holderKeyFromCryptoKey({ cryptoKey, publicJwk }: { cryptoKey: CryptoKey; publicJwk: PublicJwk }): HolderKey {
  assertPrivateP256(cryptoKey);
  if (!cryptoKey.usages.includes('sign')) throw new UrbisError('KEY_INVALID', 'the holder key handle cannot sign');
  const checkedPublic = publicPartOf(toPublicP256Jwk(publicJwk));
  const signingKey: SigningKey = {
    alg: 'ES256',
    publicJwk: checkedPublic,
    sign: async (signingInput) => new Uint8Array(await subtleCrypto().sign(ECDSA_SHA256, cryptoKey, asciiBytes(signingInput))),
  };
  return { publicJwk: checkedPublic, signingKey, cryptoKey, extractable: cryptoKey.extractable };
}

function assertPrivateP256(cryptoKey: CryptoKey): void {
  const algorithm = cryptoKey?.algorithm as Partial<EcKeyAlgorithm> | undefined;
  if (cryptoKey?.type !== 'private' || algorithm?.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') {
    throw new UrbisError('KEY_INVALID', 'a holder key is a private ECDSA P-256 CryptoKey');
  }
}

/** Drops Web Crypto's `key_ops` and `ext` members, which are no part of a stored JWK. */
function stripJwkMetadata(jwk: JsonWebKey): Record<string, unknown> {
  const { key_ops: _ops, ext: _ext, ...rest } = jwk;
  return rest;
}
