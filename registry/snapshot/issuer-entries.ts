import type { Hasher, PublicJwk } from '../../core/crypto/ports.js';
import { base64urlDecode, base64urlEncode } from '../../core/encoding/base64url.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import type { TrustedIssuer } from '../../core/trust/trusted-issuer.js';
import type { RegisteredIssuer } from '../chain/trusted-issuer-registry-client.js';
import type { SnapshotIssuer, SnapshotIssuerKey } from './snapshot-content.js';

/**
 * Issuers of the trusted-issuer registry, as a snapshot holds them: the
 * registry lists RFC 7638 thumbprints; the builder is given the public keys
 * themselves (from the issuers' did:web documents, resolved elsewhere) and
 * keeps only those whose thumbprint the registry lists.
 */

/** A public key of an issuer, with the DID URL it is published under (the `id` of its verification method). */
export interface IssuerKeyInput {
  publicJwk: PublicJwk;
  /** `did:web:city.example#key-1`, or a fragment (`#key-1`, `key-1`) of the issuer's DID. */
  kid?: string;
}

/** Public keys per issuer DID: keys, or keys with their DID URLs. */
export type IssuerKeyMap = ReadonlyMap<string, ReadonlyArray<IssuerKeyInput | PublicJwk>> | Readonly<Record<string, ReadonlyArray<IssuerKeyInput | PublicJwk>>>;

/** A chain thumbprint (bytes32 hex) as base64url. */
export function thumbprintFromChain(hex: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new UrbisError('INVALID_ARGUMENT', 'a key thumbprint on chain is 32 bytes');
  return base64urlEncode(Buffer.from(hex.slice(2), 'hex'));
}

/** A base64url thumbprint as the registry stores it (bytes32 hex), for accrediting an issuer. */
export function thumbprintToChain(thumbprint: string): string {
  const bytes = base64urlDecode(thumbprint);
  if (bytes.length !== 32) throw new UrbisError('INVALID_ARGUMENT', 'an RFC 7638 SHA-256 thumbprint is 32 bytes');
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/**
 * The key id of an issuer key: the DID URL it was given (a bare or
 * `#`-prefixed fragment is joined to the DID), else `${did}#${thumbprint}`,
 * the id Urbis' did:web documents give keys by default.
 */
export function issuerKid({ did, kid, thumbprint }: { did: string; kid?: string; thumbprint: string }): string {
  if (kid === undefined || kid.length === 0) return `${did}#${thumbprint}`;
  if (kid.startsWith('#')) return `${did}${kid}`;
  if (kid.includes(':')) return kid;
  return `${did}#${kid}`;
}

function keysOf(issuerKeys: IssuerKeyMap | undefined, did: string): ReadonlyArray<IssuerKeyInput | PublicJwk> {
  if (issuerKeys === undefined) return [];
  if (issuerKeys instanceof Map) return issuerKeys.get(did) ?? [];
  return (issuerKeys as Readonly<Record<string, ReadonlyArray<IssuerKeyInput | PublicJwk>>>)[did] ?? [];
}

/**
 * The snapshot entry of a registered issuer: its listed thumbprints, and
 * the given keys (from `issuerKeys`, else from `previous` — the same issuer
 * in an earlier snapshot) whose thumbprint is listed, deduplicated by
 * thumbprint.
 *
 * @throws UrbisError `KEY_INVALID`, `KEY_PRIVATE_IN_PUBLIC` for a given key
 *   that is not a public P-256 JWK.
 */
export async function snapshotIssuerOf({
  registered,
  issuerKeys,
  previous,
  hash,
}: {
  registered: RegisteredIssuer;
  issuerKeys?: IssuerKeyMap;
  previous?: SnapshotIssuer;
  hash: Hasher;
}): Promise<SnapshotIssuer> {
  const keyThumbprints = registered.keyThumbprints.map(thumbprintFromChain);
  const listed = new Set(keyThumbprints);
  const keys: SnapshotIssuerKey[] = [];
  const seen = new Set<string>();
  for (const input of keysOf(issuerKeys, registered.did)) {
    const given: IssuerKeyInput = 'publicJwk' in input ? input : { publicJwk: input, ...(input.kid === undefined ? {} : { kid: input.kid }) };
    const publicJwk = toPublicP256Jwk(given.publicJwk);
    const thumbprint = await calculateJwkThumbprint({ publicJwk, hash });
    if (!listed.has(thumbprint) || seen.has(thumbprint)) continue;
    seen.add(thumbprint);
    const namedKid = given.kid ?? publicJwk.kid;
    const kid = issuerKid({ did: registered.did, thumbprint, ...(namedKid === undefined ? {} : { kid: namedKid }) });
    keys.push({ kid, thumbprint, publicJwk: { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y } });
  }
  for (const key of previous?.keys ?? []) {
    if (!listed.has(key.thumbprint) || seen.has(key.thumbprint)) continue;
    seen.add(key.thumbprint);
    keys.push(key);
  }
  return {
    did: registered.did,
    keyThumbprints,
    keys,
    credentialTypes: [...registered.credentialTypes],
    validFrom: registered.validFrom,
    validUntil: registered.validUntil,
    suspended: registered.suspended,
  };
}

/**
 * The core `TrustedIssuer` of a snapshot issuer: one key entry per known
 * key, under its `kid` (the DID URL the issuer writes in its JWS headers).
 */
export function toTrustedIssuer(issuer: SnapshotIssuer): TrustedIssuer {
  return {
    id: issuer.did,
    keys: issuer.keys.map((key) => ({ kid: key.kid, publicJwk: key.publicJwk })),
    credentialTypes: [...issuer.credentialTypes],
    validFrom: issuer.validFrom,
    validUntil: issuer.validUntil,
    suspended: issuer.suspended,
  };
}
