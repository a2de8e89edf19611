import { credentialTypeByName, type ClaimPath, type ClaimsOf, type CredentialTypeName } from '../credentials/credential-types.js';
import { validateClaims } from '../credentials/validate-claims.js';
import type { Base64urlHasher, Hasher, PublicJwk, RandomBytes, SigningKey } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';
import { toPublicP256Jwk } from '../keys/public-jwk.js';
import { compileSdJwtTemplate } from '../sd-jwt/sd-jwt-template.js';
import type { SdJwtCredentialFormat } from '../verification/verification-result.js';
import { buildCopyFields, buildCredentialPayload } from './credential-payload.js';
import { padToClaimSlots } from './decoy-padding.js';
import { disclosureFrameFor } from './disclosure-frame.js';

/** Default rounding of `iat`: one day, so that the issuance moment says little (DESIGN §2). */
export const DEFAULT_IAT_GRANULARITY_SECONDS = 86_400;

/** Default number of one-time copies in a batch (DESIGN §2). */
export const DEFAULT_BATCH_SIZE = 10;

/**
 * One copy: its own holder key and its own random status index. A bearer
 * type (`PaperServicePass`) has no holder key: leave `holderPublicJwk` out.
 */
export interface CopySpec {
  holderPublicJwk?: PublicJwk;
  statusIndex: number;
}

/** What every copy of a credential shares. */
export interface CredentialSpec<N extends CredentialTypeName = CredentialTypeName> {
  format: SdJwtCredentialFormat;
  type: N;
  claims: ClaimsOf<N>;
  /** The issuer identifier (`iss` / `issuer`) and its signing key (whose `kid` goes in the header). */
  issuer: { id: string; signingKey: SigningKey };
  /** The status list the copies' indices point into. */
  statusListUri: string;
  /** Validity, epoch seconds. */
  validFrom: number;
  validUntil: number;
  /** Issuance time, epoch seconds (default: now), rounded down to `iatGranularitySeconds`. */
  issuedAt?: number;
  iatGranularitySeconds?: number;
  /** Subject claim paths made disclosable (default: the type's `disclosableClaimPaths`). */
  disclosable?: readonly ClaimPath[];
  /**
   * Decoy digests per level with disclosable claims. Default: each level
   * padded to the type's slots, so every copy of the type shows the same
   * digest count (see {@link padToClaimSlots} for why that is enough).
   */
  decoysPerLevel?: number;
  crypto: { hash: Hasher; hashBase64url?: Base64urlHasher; randomBytes: RandomBytes };
}

/**
 * Issues a batch of one-time copies of one credential (DESIGN §2): every
 * copy gets fresh salts and decoys, its own holder key (`cnf.jwk`) and its
 * own status index, and a coarse `iat`, so that no two copies share a value
 * a verifier could link on. Claims are checked against the type's JSON
 * Schema once for the batch.
 *
 * Kept small for QR codes without losing anything a verifier checks: each
 * level's digests padded to the type's claim slots and no further
 * ({@link padToClaimSlots}), no `_sd_alg` (RFC 9901 §4.1.1: absent means
 * `sha-256`), no `nbf` when it equals `iat` (see `buildCredentialPayload`).
 *
 * Copies of a `holder-key` type each need a holder key; copies of a
 * `bearer` type (the printed `PaperServicePass`) must have none, and get
 * no `cnf`.
 *
 * @throws UrbisError `SCHEMA_INVALID` (claims), `PROTECTED_CLAIM_DISCLOSABLE`,
 *   `KEY_INVALID` / `KEY_PRIVATE_IN_PUBLIC` (a holder key), `INVALID_ARGUMENT`
 *   (validity window, status index, duplicate holder key or index, a holder
 *   key missing for a holder-key type or given for a bearer type).
 *
 * @example
 * ```ts
 * const copies = await issueCredentialBatch({
 *   format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', claims,
 *   issuer: { id: 'did:web:gijon.example', signingKey }, statusListUri,
 *   validFrom, validUntil, crypto,
 *   copies: holderKeys.map((holderPublicJwk, i) => ({ holderPublicJwk, statusIndex: indices[i] })),
 * });
 * ```
 */
export async function issueCredentialBatch<N extends CredentialTypeName>(
  spec: CredentialSpec<N> & { copies: readonly CopySpec[] },
): Promise<string[]> {
  const type = credentialTypeByName(spec.type);
  validateClaims({ type: spec.type, claims: spec.claims, mode: 'issuance' });
  if (!Number.isSafeInteger(spec.validFrom) || !Number.isSafeInteger(spec.validUntil) || spec.validUntil <= spec.validFrom) {
    throw new UrbisError('INVALID_ARGUMENT', 'validUntil must be an integer after validFrom');
  }
  if (typeof spec.statusListUri !== 'string' || spec.statusListUri === '') {
    throw new UrbisError('INVALID_ARGUMENT', 'a status list URI is required');
  }
  if (spec.copies.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'a batch has at least one copy');
  const granularity = spec.iatGranularitySeconds ?? DEFAULT_IAT_GRANULARITY_SECONDS;
  if (!Number.isInteger(granularity) || granularity < 1) throw new UrbisError('INVALID_ARGUMENT', 'iatGranularitySeconds must be a positive integer');
  const issuedAt = spec.issuedAt ?? Math.floor(Date.now() / 1000);
  const iat = Math.floor(issuedAt / granularity) * granularity;

  const seenKeys = new Set<string>();
  const seenIndices = new Set<number>();
  const bearer = type.holderBinding === 'bearer';
  const holderKeys = spec.copies.map(({ holderPublicJwk, statusIndex }) => {
    if (!Number.isSafeInteger(statusIndex) || statusIndex < 0) throw new UrbisError('INVALID_ARGUMENT', 'a status index is a non-negative integer');
    if (seenIndices.has(statusIndex)) throw new UrbisError('INVALID_ARGUMENT', 'each copy needs its own status index');
    seenIndices.add(statusIndex);
    if (bearer) {
      if (holderPublicJwk !== undefined) throw new UrbisError('INVALID_ARGUMENT', `a ${type.name} is a bearer credential: it has no holder key`);
      return undefined;
    }
    if (holderPublicJwk === undefined) throw new UrbisError('INVALID_ARGUMENT', `each copy of a ${type.name} needs a holder key`);
    const key = toPublicP256Jwk(holderPublicJwk);
    if (seenKeys.has(key.x + key.y)) throw new UrbisError('INVALID_ARGUMENT', 'each copy needs its own holder key');
    seenKeys.add(key.x + key.y);
    return key;
  });

  const paths = spec.disclosable ?? type.disclosableClaimPaths;
  const claims = spec.claims as unknown as Record<string, unknown>;
  const exact = disclosureFrameFor({ claims, paths });
  const subjectFrame = spec.decoysPerLevel === undefined ? padToClaimSlots({ frame: exact, claims, paths }) : exact;
  const template = compileSdJwtTemplate({
    shared: buildCredentialPayload({ format: spec.format, type, claims, issuerId: spec.issuer.id, iat, validFrom: spec.validFrom, validUntil: spec.validUntil }),
    frame: spec.format === 'vc+sd-jwt' ? { credentialSubject: subjectFrame } : subjectFrame,
    header: { typ: spec.format, kid: spec.issuer.signingKey.kid },
    ...(spec.decoysPerLevel === undefined ? {} : { decoys: { min: spec.decoysPerLevel, max: spec.decoysPerLevel } }),
    writeSdAlg: false,
  });
  const out: string[] = [];
  for (let i = 0; i < spec.copies.length; i++) {
    out.push(
      await template.issue({
        perCopy: buildCopyFields({ format: spec.format, holderPublicJwk: holderKeys[i], status: { uri: spec.statusListUri, index: spec.copies[i]!.statusIndex } }),
        signingKey: spec.issuer.signingKey,
        hash: spec.crypto.hash,
        hashBase64url: spec.crypto.hashBase64url,
        randomBytes: spec.crypto.randomBytes,
      }),
    );
  }
  return out;
}

/**
 * Issues a single credential: a batch of one copy.
 * @see issueCredentialBatch
 */
export async function issueCredential<N extends CredentialTypeName>(spec: CredentialSpec<N> & CopySpec): Promise<string> {
  const { holderPublicJwk, statusIndex, ...common } = spec;
  const copy: CopySpec = holderPublicJwk === undefined ? { statusIndex } : { holderPublicJwk, statusIndex };
  const [credential] = await issueCredentialBatch({ ...common, copies: [copy] } as CredentialSpec<N> & {
    copies: CopySpec[];
  });
  return credential!;
}
