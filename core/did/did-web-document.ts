import type { Hasher, PublicJwk } from '../crypto/ports.js';
import { UrbisError, isUrbisError } from '../errors/urbis-error.js';
import { calculateJwkThumbprint } from '../keys/jwk-thumbprint.js';
import { publicPartOf } from '../keys/public-jwk.js';
import {
  DID_CONTEXT_V1,
  JSON_WEB_KEY_2020_DOCUMENT_CONTEXT,
  VERIFICATION_RELATIONSHIPS,
  type DidDocument,
  type VerificationMethod,
} from './did-document.js';
import { isDidUrlFragment, parseDid } from './did-syntax.js';
import { didWebToUrl } from './did-web-url.js';
import { decodeP256Multikey } from './multikey.js';
import { parseDidPublicJwk } from './p256-public-key.js';

/**
 * `did:web` documents: building the one a city publishes for its issuer
 * keys, and checking one read from the web (or from a terminal snapshot).
 */

/** Most verification methods (and entries per relationship) a did:web document may hold. */
export const MAX_VERIFICATION_METHODS = 64;

/** The DID Core v1.1 context, accepted alongside v1 in documents read from the web. */
const DID_CONTEXT_V1_1 = 'https://www.w3.org/ns/did/v1.1';
const MAX_CONTEXT_ENTRIES = 16;
/** Verification-method members that hold private key material. */
const PRIVATE_KEY_MEMBERS = ['privateKeyJwk', 'privateKeyMultibase', 'privateKeyBase58', 'privateKeyHex', 'privateKeyPem'];

/**
 * What {@link parseDidWebDocument} does with a well-formed verification
 * method whose key Urbis cannot use (another curve, key type or method type):
 * `reject` the whole document (`DID_KEY_UNSUPPORTED`, the default), or
 * `ignore` the method and drop the references to it (for partner documents
 * that also list, say, Ed25519 or X25519 keys). Private key material and
 * malformed P-256 keys are refused either way.
 */
export type UnsupportedMethodPolicy = 'reject' | 'ignore';

/** One issuer key to list in a did:web document. */
export interface DidWebKey {
  publicJwk: PublicJwk;
  /** DID URL fragment (without `#`). Defaults to the key's RFC 7638 thumbprint. */
  id?: string;
}

/**
 * Builds the DID document a city serves at {@link didWebToUrl}(did): one
 * `JsonWebKey2020` verification method per key (id `<did>#<id or JWK
 * thumbprint>`, controller `<did>`, public members of the JWK only), all
 * referenced from `assertionMethod` (credential signatures) and
 * `authentication`.
 *
 * @param args.did The city's `did:web`.
 * @param args.keys Public P-256 keys, in the order to list them.
 * @param args.hash SHA-256 port; needed when a key has no `id` (thumbprint fragment).
 * @throws UrbisError `DID_INVALID` for a bad did:web; `INVALID_ARGUMENT` for
 *   no keys, too many keys, a malformed or duplicate id, a duplicate key, or
 *   a missing `hash`; `KEY_PRIVATE_IN_PUBLIC`, `DID_KEY_UNSUPPORTED`,
 *   `KEY_INVALID` for a bad key.
 *
 * @example
 * ```ts
 * const document = await buildDidWebDocument({
 *   did: 'did:web:city.example',
 *   keys: [{ publicJwk: issuerKey.publicJwk }, { publicJwk: nextKey.publicJwk, id: 'key-2026' }],
 *   hash: crypto.hash,
 * });
 * // document.verificationMethod[0].id === 'did:web:city.example#<thumbprint>'
 * ```
 */
export async function buildDidWebDocument({
  did,
  keys,
  hash,
}: {
  did: string;
  keys: readonly DidWebKey[];
  hash?: Hasher;
}): Promise<DidDocument> {
  didWebToUrl(did);
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_VERIFICATION_METHODS) {
    throw new UrbisError('INVALID_ARGUMENT', `a did:web document lists 1 to ${MAX_VERIFICATION_METHODS} keys`);
  }
  const verificationMethod: VerificationMethod[] = [];
  const points = new Set<string>();
  for (const { publicJwk, id } of keys) {
    const jwk = publicPartOf(parseDidPublicJwk(publicJwk));
    let fragment: string;
    if (id !== undefined) {
      if (typeof id !== 'string' || !isDidUrlFragment(id)) throw new UrbisError('INVALID_ARGUMENT', 'a key id must be a DID URL fragment');
      fragment = id;
    } else {
      if (hash === undefined) throw new UrbisError('INVALID_ARGUMENT', 'a hash port is needed to name keys by thumbprint');
      fragment = await calculateJwkThumbprint({ publicJwk: jwk, hash });
    }
    const vmId = `${did}#${fragment}`;
    if (verificationMethod.some((method) => method.id === vmId)) throw new UrbisError('INVALID_ARGUMENT', 'duplicate key id');
    if (points.has(`${jwk.x}.${jwk.y}`)) throw new UrbisError('INVALID_ARGUMENT', 'the same key is listed twice');
    points.add(`${jwk.x}.${jwk.y}`);
    verificationMethod.push({ id: vmId, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk });
  }
  const ids = verificationMethod.map((method) => method.id);
  return {
    '@context': [...JSON_WEB_KEY_2020_DOCUMENT_CONTEXT],
    id: did,
    verificationMethod,
    authentication: [...ids],
    assertionMethod: [...ids],
  };
}

/**
 * Checks a `did:web` document (parsed JSON) against its DID and returns the
 * normalised {@link DidDocument}. Fail-closed:
 * - `id` must equal the DID; `@context`, when present, must name DID Core v1 or v1.1;
 * - verification methods must have absolute ids `<did>#<fragment>` (the
 *   spec requires absolute DID URLs, against key-confusion attacks), a DID
 *   controller, and a public P-256 key: `JsonWebKey2020`/`JsonWebKey` with
 *   `publicKeyJwk`, or `Multikey` with a `p256-pub` `publicKeyMultibase`;
 * - no private key material anywhere (`d`, `privateKeyJwk`, `privateKeyMultibase`, ...);
 * - relationships hold absolute references to methods listed in
 *   `verificationMethod`, or embedded methods (moved into
 *   `verificationMethod`, still referenced only from their own relationship);
 * - at most {@link MAX_VERIFICATION_METHODS} methods and entries per relationship;
 * - methods with another key type are refused, or dropped with `unsupportedMethods: 'ignore'`.
 *
 * `service`, `alsoKnownAs`, `controller` and other members are dropped.
 *
 * @throws UrbisError `DID_INVALID` for a structural problem or a DID
 *   mismatch; `INPUT_TOO_LARGE` for too many entries; `KEY_PRIVATE_IN_PUBLIC`;
 *   `DID_KEY_UNSUPPORTED` for a key that is not P-256 or a method type other
 *   than those above (unless ignored); `KEY_INVALID` for a malformed P-256
 *   key; `INVALID_ARGUMENT` for an unknown policy.
 *
 * @example
 * ```ts
 * const document = parseDidWebDocument({ did: 'did:web:city.example', document: JSON.parse(body) });
 * ```
 */
export function parseDidWebDocument({
  did,
  document,
  unsupportedMethods = 'reject',
}: {
  did: string;
  document: unknown;
  /** What to do with well-formed methods whose key Urbis cannot use. Default `reject`. */
  unsupportedMethods?: UnsupportedMethodPolicy;
}): DidDocument {
  didWebToUrl(did);
  if (unsupportedMethods !== 'reject' && unsupportedMethods !== 'ignore') {
    throw new UrbisError('INVALID_ARGUMENT', "unsupportedMethods is 'reject' or 'ignore'");
  }
  if (!isJsonObject(document)) throw new UrbisError('DID_INVALID', 'the DID document must be a JSON object');
  if (document.id !== did) throw new UrbisError('DID_INVALID', 'the DID document id does not match the DID');

  const methods = new Map<string, VerificationMethod>();
  const ignored = new Set<string>();
  /** Adds a method; returns its id, or undefined when it is ignored as unsupported. */
  const addMethod = (value: unknown): string | undefined => {
    const method = readVerificationMethod(did, value, unsupportedMethods);
    const id = typeof method === 'string' ? method : method.id;
    if (methods.has(id) || ignored.has(id)) throw new UrbisError('DID_INVALID', 'duplicate verification method id');
    if (methods.size + ignored.size >= MAX_VERIFICATION_METHODS) {
      throw new UrbisError('INPUT_TOO_LARGE', 'too many verification methods');
    }
    if (typeof method === 'string') {
      ignored.add(id);
      return undefined;
    }
    methods.set(id, method);
    return id;
  };
  for (const value of readArray(document.verificationMethod, 'verificationMethod')) addMethod(value);
  // DID Core §5.3: an embedded method serves only the relationship it is
  // embedded in, so string references must name a top-level method.
  const referable = new Set([...methods.keys(), ...ignored]);

  const normalised: DidDocument = { id: did, verificationMethod: [] };
  const context = readContext(document['@context']);
  if (context !== undefined) normalised['@context'] = context;
  const references: string[] = [];
  for (const relationship of VERIFICATION_RELATIONSHIPS) {
    if (document[relationship] === undefined) continue;
    const entries: string[] = [];
    for (const entry of readArray(document[relationship], relationship)) {
      if (typeof entry === 'string') {
        if (!isOwnDidUrl(did, entry)) {
          throw new UrbisError('DID_INVALID', 'a verification relationship must reference a method of this document by absolute DID URL');
        }
        references.push(entry);
        entries.push(entry);
      } else {
        const id = addMethod(entry);
        if (id !== undefined) entries.push(id);
      }
    }
    normalised[relationship] = entries;
  }
  for (const reference of references) {
    if (!referable.has(reference)) {
      throw new UrbisError('DID_INVALID', 'a verification relationship references a method not listed in verificationMethod');
    }
  }
  for (const relationship of VERIFICATION_RELATIONSHIPS) {
    const entries = normalised[relationship];
    if (entries !== undefined) normalised[relationship] = entries.filter((id) => !ignored.has(id));
  }
  normalised.verificationMethod = [...methods.values()];
  return normalised;
}

/** Reads one method; with `ignore`, returns only the id of a well-formed method Urbis cannot use. */
function readVerificationMethod(did: string, value: unknown, unsupportedMethods: UnsupportedMethodPolicy): VerificationMethod | string {
  if (!isJsonObject(value)) throw new UrbisError('DID_INVALID', 'a verification method must be a JSON object');
  const embeddedJwk = value.publicKeyJwk;
  if (PRIVATE_KEY_MEMBERS.some((member) => Object.hasOwn(value, member)) || (isJsonObject(embeddedJwk) && Object.hasOwn(embeddedJwk, 'd'))) {
    throw new UrbisError('KEY_PRIVATE_IN_PUBLIC', 'a DID document must not contain private key material');
  }
  const { id, type, controller } = value;
  if (typeof id !== 'string' || !isOwnDidUrl(did, id)) {
    throw new UrbisError('DID_INVALID', 'a verification method id must be an absolute DID URL of this DID');
  }
  if (typeof controller !== 'string') throw new UrbisError('DID_INVALID', 'a verification method controller must be a DID');
  parseDid(controller);
  if (typeof type !== 'string') throw new UrbisError('DID_INVALID', 'a verification method needs a type');
  try {
    if (type === 'JsonWebKey2020' || type === 'JsonWebKey') {
      return { id, type, controller, publicKeyJwk: parseDidPublicJwk(embeddedJwk) };
    }
    if (type === 'Multikey') {
      const multibase = value.publicKeyMultibase;
      if (typeof multibase !== 'string') throw new UrbisError('DID_INVALID', 'a Multikey method needs publicKeyMultibase');
      decodeP256Multikey(multibase);
      return { id, type, controller, publicKeyMultibase: multibase };
    }
    throw new UrbisError('DID_KEY_UNSUPPORTED', 'unsupported verification method type');
  } catch (error) {
    if (unsupportedMethods === 'ignore' && isUrbisError(error, 'DID_KEY_UNSUPPORTED')) return id;
    throw error;
  }
}

function readContext(value: unknown): (string | Record<string, unknown>)[] | undefined {
  if (value === undefined) return undefined;
  const entries = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_CONTEXT_ENTRIES) {
    throw new UrbisError('DID_INVALID', 'the DID document @context is malformed');
  }
  const context: (string | Record<string, unknown>)[] = [];
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'string' && !isJsonObject(entry)) throw new UrbisError('DID_INVALID', 'the DID document @context is malformed');
    context.push(entry);
  }
  if (!context.includes(DID_CONTEXT_V1) && !context.includes(DID_CONTEXT_V1_1)) {
    throw new UrbisError('DID_INVALID', 'the DID document @context does not name DID Core');
  }
  return context;
}

function readArray(value: unknown, member: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UrbisError('DID_INVALID', `${member} must be an array`);
  if (value.length > MAX_VERIFICATION_METHODS) throw new UrbisError('INPUT_TOO_LARGE', `too many ${member} entries`);
  return value as unknown[];
}

function isOwnDidUrl(did: string, value: string): boolean {
  return value.startsWith(`${did}#`) && isDidUrlFragment(value.slice(did.length + 1));
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
