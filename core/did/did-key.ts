import type { PublicJwk } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';
import { JSON_WEB_KEY_2020_DOCUMENT_CONTEXT, type DidDocument } from './did-document.js';
import { parseDid } from './did-syntax.js';
import { decodeP256Multikey, encodeP256Multikey } from './multikey.js';
import { parseDidPublicJwk } from './p256-public-key.js';

/**
 * `did:key` for P-256 (W3C CCG did:key v0.7, https://w3c-ccg.github.io/did-method-key/):
 * `did:key:z` + base58btc(varint 0x1200 `p256-pub` || 33-byte compressed
 * point). These DIDs always start with `did:key:zDn`.
 *
 * The document uses `JsonWebKey2020` verification methods with
 * `publicKeyJwk` (the spec's `publicKeyFormat` option; the format of the
 * spec's test vectors, of key-did-resolver and Veramo), so that every DID
 * document Urbis resolves hands out the same key shape, a JWK.
 */

/** The method prefix. */
export const DID_KEY_PREFIX = 'did:key:';

/**
 * Creates the `did:key` of a public P-256 key (compressing the point).
 *
 * @throws UrbisError `KEY_PRIVATE_IN_PUBLIC` when the JWK carries `d`;
 *   `DID_KEY_UNSUPPORTED` for a non-P-256 key; `KEY_INVALID` for a malformed
 *   key or a point not on the curve.
 *
 * @example
 * ```ts
 * createDidKey({ kty: 'EC', crv: 'P-256', x: 'fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI', y: 'hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU' });
 * // 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169'
 * ```
 */
export function createDidKey(publicJwk: PublicJwk): string {
  return DID_KEY_PREFIX + encodeP256Multikey(parseDidPublicJwk(publicJwk));
}

/**
 * Resolves a P-256 `did:key` (spec §"Document Creation Algorithm" with
 * `publicKeyFormat: JsonWebKey2020`, no encryption-key derivation): one
 * verification method `<did>#<multibase>` referenced from `authentication`,
 * `assertionMethod`, `capabilityInvocation` and `capabilityDelegation`. No
 * `keyAgreement`: the spec only adds one when encryption-key derivation is
 * enabled, which applies to Ed25519.
 *
 * Only the `did:key:<multibase>` form is accepted (no `did:key:1:` version
 * component), and only compressed P-256 points (no legacy 65-byte forms), so
 * one key has exactly one `did:key`.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` for an over-long DID;
 *   `DID_KEY_UNSUPPORTED` for another key multicodec (Ed25519, secp256k1,
 *   P-384, ...); `DID_INVALID` for anything that is not `did:key:z` +
 *   base58btc of a public-key multicodec with a 33-byte P-256 key;
 *   `KEY_INVALID` when the 33 bytes are not a point on P-256.
 *
 * @example
 * ```ts
 * const document = resolveDidKey('did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169');
 * document.verificationMethod[0].id; // 'did:key:zDnae...2169#zDnae...2169'
 * ```
 */
export function resolveDidKey(did: string): DidDocument {
  const { method, methodSpecificId } = parseDid(did);
  if (method !== 'key' || methodSpecificId.includes(':')) throw new UrbisError('DID_INVALID', 'not a did:key');
  const publicKeyJwk = decodeP256Multikey(methodSpecificId);
  const vmId = `${did}#${methodSpecificId}`;
  return {
    '@context': [...JSON_WEB_KEY_2020_DOCUMENT_CONTEXT],
    id: did,
    verificationMethod: [{ id: vmId, type: 'JsonWebKey2020', controller: did, publicKeyJwk }],
    authentication: [vmId],
    assertionMethod: [vmId],
    capabilityInvocation: [vmId],
    capabilityDelegation: [vmId],
  };
}
