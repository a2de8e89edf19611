import type { PublicJwk } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';
import { publicPartOf } from '../keys/public-jwk.js';
import type { DidDocument, VerificationMethod, VerificationRelationship } from './did-document.js';
import { resolveDidJwk } from './did-jwk.js';
import { resolveDidKey } from './did-key.js';
import { parseDid, splitDidUrl } from './did-syntax.js';
import { resolveDidWeb, type DidDocumentFetcher } from './did-web.js';
import type { UnsupportedMethodPolicy } from './did-web-document.js';
import { decodeP256Multikey } from './multikey.js';
import { parseDidPublicJwk } from './p256-public-key.js';

/** The DID methods {@link resolveDid} understands. */
export const SUPPORTED_DID_METHODS = ['jwk', 'key', 'web'] as const;

/**
 * Resolves a DID to its {@link DidDocument}: `did:jwk` and `did:key` from the
 * DID alone (offline), `did:web` through the `fetchDocument` port.
 *
 * @param args.did A DID (not a DID URL: split a `kid` with `splitDidUrl` first).
 * @param args.fetchDocument The did:web document fetcher; without it, did:web
 *   DIDs cannot be resolved (`DID_NOT_FOUND`).
 * @param args.maxDocumentBytes Limit on a fetched did:web document.
 * @param args.unsupportedMethods did:web only: reject (default) or ignore methods with non-P-256 keys.
 * @throws UrbisError `DID_INVALID` for bad syntax; `DID_METHOD_UNSUPPORTED`
 *   for another method (did:ethr goes through its own port);
 *   `DID_NOT_FOUND` for an unreachable did:web document; and the errors of
 *   `resolveDidJwk`, `resolveDidKey`, `resolveDidWeb`.
 *
 * @example
 * ```ts
 * const document = await resolveDid({ did: 'did:web:city.example', fetchDocument });
 * const issuerKey = findVerificationKey({ document, kid: 'did:web:city.example#key-1' });
 * ```
 */
export async function resolveDid({
  did,
  fetchDocument,
  maxDocumentBytes,
  unsupportedMethods,
}: {
  did: string;
  fetchDocument?: DidDocumentFetcher;
  maxDocumentBytes?: number;
  unsupportedMethods?: UnsupportedMethodPolicy;
}): Promise<DidDocument> {
  const { method } = parseDid(did);
  switch (method) {
    case 'jwk':
      return resolveDidJwk(did);
    case 'key':
      return resolveDidKey(did);
    case 'web':
      if (fetchDocument === undefined) throw new UrbisError('DID_NOT_FOUND', 'did:web resolution needs a document fetcher');
      return resolveDidWeb({
        did,
        fetchDocument,
        ...(maxDocumentBytes === undefined ? {} : { maxDocumentBytes }),
        ...(unsupportedMethods === undefined ? {} : { unsupportedMethods }),
      });
    default:
      throw new UrbisError('DID_METHOD_UNSUPPORTED', 'unsupported DID method');
  }
}

/**
 * Finds the public key a signature must verify with: the verification method
 * named by `kid` (an absolute DID URL of this document, or a relative
 * `#fragment`), provided the document lists it under `relationship`
 * (default `assertionMethod`, the relationship for credential issuance).
 * Without `kid`, the document must have exactly one method under
 * `relationship` (typical for `did:jwk` and `did:key` issuers).
 *
 * @returns The public P-256 JWK (`kty`, `crv`, `x`, `y` only).
 * @throws UrbisError `ISSUER_KEY_UNKNOWN` when `kid` is malformed, names
 *   another DID, is not listed under `relationship`, or names no method of
 *   the document, or when `kid` is missing and the choice is ambiguous;
 *   `KEY_INVALID`, `KEY_PRIVATE_IN_PUBLIC`, `DID_KEY_UNSUPPORTED` when the
 *   method's key is unusable (documents not built by the resolvers).
 *
 * @example
 * ```ts
 * const publicJwk = findVerificationKey({ document, kid: header.kid });
 * const ok = await crypto.verifySignature({ alg: 'ES256', publicJwk, signingInput, signature });
 * ```
 */
export function findVerificationKey({
  document,
  kid,
  relationship = 'assertionMethod',
}: {
  document: DidDocument;
  kid?: string;
  relationship?: VerificationRelationship;
}): PublicJwk {
  const references = document[relationship] ?? [];
  let methodId: string;
  if (kid === undefined) {
    if (references.length !== 1) throw new UrbisError('ISSUER_KEY_UNKNOWN', 'a key id is needed to choose the verification method');
    methodId = references[0]!;
  } else {
    methodId = absoluteMethodId(document.id, kid);
    if (!references.includes(methodId)) {
      throw new UrbisError('ISSUER_KEY_UNKNOWN', `the key is not listed under ${relationship}`);
    }
  }
  const method = document.verificationMethod.find((candidate) => candidate.id === methodId);
  if (method === undefined) throw new UrbisError('ISSUER_KEY_UNKNOWN', 'the key id names no verification method');
  return publicJwkOfVerificationMethod(method);
}

/**
 * The public P-256 JWK of a verification method (`publicKeyJwk`, or the
 * decoded `publicKeyMultibase` of a `Multikey`), checked again.
 *
 * @throws UrbisError `KEY_INVALID`, `KEY_PRIVATE_IN_PUBLIC`, `DID_KEY_UNSUPPORTED`, `DID_INVALID`.
 *
 * @example
 * ```ts
 * const { x, y } = publicJwkOfVerificationMethod(document.verificationMethod[0]);
 * ```
 */
export function publicJwkOfVerificationMethod(method: VerificationMethod): PublicJwk {
  if (method.type === 'Multikey') return decodeP256Multikey(method.publicKeyMultibase);
  return publicPartOf(parseDidPublicJwk(method.publicKeyJwk));
}

function absoluteMethodId(did: string, kid: string): string {
  if (typeof kid !== 'string') throw new UrbisError('ISSUER_KEY_UNKNOWN', 'the key id must be a string');
  const didUrl = kid.startsWith('#') ? did + kid : kid;
  let parsed: { did: string; fragment?: string };
  try {
    parsed = splitDidUrl(didUrl);
  } catch (cause) {
    throw new UrbisError('ISSUER_KEY_UNKNOWN', 'the key id is not a DID URL', { cause });
  }
  if (parsed.did !== did || parsed.fragment === undefined) {
    throw new UrbisError('ISSUER_KEY_UNKNOWN', 'the key id does not name a method of this DID');
  }
  return didUrl;
}
