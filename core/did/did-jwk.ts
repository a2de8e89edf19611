import type { PublicJwk } from '../crypto/ports.js';
import { base64urlDecodeString, base64urlEncodeString } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { JSON_WEB_KEY_2020_DOCUMENT_CONTEXT, type DidDocument, type VerificationRelationship } from './did-document.js';
import { parseDid } from './did-syntax.js';
import { parseDidPublicJwk } from './p256-public-key.js';

/**
 * `did:jwk` (https://github.com/quartzjer/did-jwk/blob/main/spec.md): the DID
 * is `did:jwk:` + base64url(UTF-8 JSON of a public JWK), and the document is
 * derived from the key alone. Urbis holders use it for their per-copy keys
 * (DESIGN §2); only P-256 keys are accepted.
 */

/** The method prefix. */
export const DID_JWK_PREFIX = 'did:jwk:';

const BASE64URL_VALUE = /^[A-Za-z0-9_-]+$/;

/**
 * Creates the `did:jwk` of a public P-256 key.
 *
 * The JWK is serialised with its members in lexicographic order and no
 * whitespace (`{"crv":"P-256","kty":"EC","x":...,"y":...}`, the form of the
 * spec's P-256 example and of RFC 7638), so one key always gives one DID.
 * Only `crv`, `kty`, `x`, `y` and, when present, `use` are kept: `use`
 * changes the document (spec "To create the DID Document"), `kid`/`alg`
 * would only make the DID longer.
 *
 * @throws UrbisError `KEY_PRIVATE_IN_PUBLIC` when the JWK carries `d`;
 *   `DID_KEY_UNSUPPORTED` for a non-P-256 key; `KEY_INVALID` for a malformed
 *   key or a point not on the curve.
 *
 * @example
 * ```ts
 * const { publicJwk } = crypto.generateKeyPair();
 * const did = createDidJwk(publicJwk); // 'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6...'
 * ```
 */
export function createDidJwk(publicJwk: PublicJwk): string {
  const jwk = parseDidPublicJwk(publicJwk);
  const ordered: Record<string, string> = { crv: jwk.crv, kty: jwk.kty };
  if (jwk.use !== undefined) ordered.use = jwk.use;
  ordered.x = jwk.x;
  ordered.y = jwk.y;
  return DID_JWK_PREFIX + base64urlEncodeString(JSON.stringify(ordered));
}

/**
 * Resolves a `did:jwk` to its DID document (spec "Read"): one verification
 * method `<did>#0` of type `JsonWebKey2020` carrying the JWK (`kid`, `alg`,
 * `use` kept; other members dropped), referenced from the verification
 * relationships the spec derives from `use`:
 * - no `use` (or another value): `assertionMethod`, `authentication`,
 *   `capabilityInvocation`, `capabilityDelegation` and `keyAgreement`;
 * - `use: "sig"`: the same without `keyAgreement`;
 * - `use: "enc"`: `keyAgreement` only.
 *
 * Accepts any JSON serialisation of the JWK (member order, whitespace).
 *
 * @throws UrbisError `INPUT_TOO_LARGE` for an over-long DID; `DID_INVALID`
 *   when it is not `did:jwk:` + base64url of a UTF-8 JSON object;
 *   `KEY_PRIVATE_IN_PUBLIC` when the JWK carries `d`; `DID_KEY_UNSUPPORTED`
 *   for a non-P-256 key; `KEY_INVALID` for a malformed P-256 key or a point
 *   not on the curve.
 *
 * @example
 * ```ts
 * const document = resolveDidJwk(did);
 * document.verificationMethod[0].publicKeyJwk; // { kty: 'EC', crv: 'P-256', x, y }
 * ```
 */
export function resolveDidJwk(did: string): DidDocument {
  const { method, methodSpecificId } = parseDid(did);
  if (method !== 'jwk' || !BASE64URL_VALUE.test(methodSpecificId)) {
    throw new UrbisError('DID_INVALID', 'not a did:jwk');
  }
  let value: unknown;
  try {
    value = JSON.parse(base64urlDecodeString(methodSpecificId));
  } catch (cause) {
    throw new UrbisError('DID_INVALID', 'the did:jwk value is not base64url-encoded UTF-8 JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UrbisError('DID_INVALID', 'the did:jwk value is not a JSON object');
  }
  const publicKeyJwk = parseDidPublicJwk(value);
  const vmId = `${did}#0`;
  const document: DidDocument = {
    '@context': [...JSON_WEB_KEY_2020_DOCUMENT_CONTEXT],
    id: did,
    verificationMethod: [{ id: vmId, type: 'JsonWebKey2020', controller: did, publicKeyJwk }],
  };
  for (const relationship of relationshipsForUse(publicKeyJwk.use)) document[relationship] = [vmId];
  return document;
}

function relationshipsForUse(use: string | undefined): VerificationRelationship[] {
  if (use === 'enc') return ['keyAgreement'];
  const signing: VerificationRelationship[] = ['assertionMethod', 'authentication', 'capabilityInvocation', 'capabilityDelegation'];
  return use === 'sig' ? signing : [...signing, 'keyAgreement'];
}
