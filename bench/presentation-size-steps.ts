import { credentialTypeByName } from '../core/credentials/credential-types.js';
import type { NodeCryptoSuite, NodeSigningKey } from '../core/crypto/node-crypto.js';
import type { PublicJwk } from '../core/crypto/ports.js';
import { buildCopyFields, buildCredentialPayload } from '../core/issuance/credential-payload.js';
import { padToClaimSlots } from '../core/issuance/decoy-padding.js';
import { disclosureFrameFor } from '../core/issuance/disclosure-frame.js';
import { DEFAULT_IAT_GRANULARITY_SECONDS } from '../core/issuance/issue-credential.js';
import { compileSdJwtTemplate } from '../core/sd-jwt/sd-jwt-template.js';
import type { SdJwtCredentialFormat } from '../core/verification/verification-result.js';
import { residentIssuance, type CityIssuer } from './city-issuer-copies.js';

/**
 * The issuance of a ResidentCredential step by step, from how core issued
 * it before the size work to how it issues it now, plus what-ifs that need
 * a change elsewhere. Each variant rebuilds the issuance from core's own
 * parts (payload, frame, template), changing one thing at a time, so the
 * bytes each change saves are measured, not estimated. The last applied
 * step must give the sizes of `issueCredentialBatch` itself (checked by the
 * wallet benchmark).
 */
export interface IssuanceVariant {
  /** What this step changes, relative to the previous one. */
  change: string;
  /** `applied`: what core does now (or did before); `what-if`: would need a change outside core's issuance. */
  kind: 'before' | 'applied' | 'what-if';
  /** Decoys: random 1–3 per level (before), or each level padded to the type's claim slots. */
  decoys: 'random-1-3' | 'pad-to-slots';
  writeSdAlg: boolean;
  /** `nbf` always written, or only when it differs from `iat`. */
  nbf: 'always' | 'unless-iat';
  /** Issuer header `kid`: the did:web URL (`<did>#<thumbprint>`), the bare thumbprint, or none. */
  kid: 'did-url' | 'thumbprint' | 'none';
}

/** The steps, in order: the first is the issuance before the size work, each next one adds one change. */
export const SIZE_STEPS: readonly IssuanceVariant[] = Object.freeze([
  { change: 'before: random 1–3 decoys per level, _sd_alg, nbf = iat', kind: 'before', decoys: 'random-1-3', writeSdAlg: true, nbf: 'always', kid: 'did-url' },
  { change: 'decoys: each level padded to the type’s claim slots (none at the top level, 0–1 in address)', kind: 'applied', decoys: 'pad-to-slots', writeSdAlg: true, nbf: 'always', kid: 'did-url' },
  { change: '_sd_alg left out (RFC 9901 §4.1.1 default sha-256)', kind: 'applied', decoys: 'pad-to-slots', writeSdAlg: false, nbf: 'always', kid: 'did-url' },
  { change: 'nbf left out when equal to iat', kind: 'applied', decoys: 'pad-to-slots', writeSdAlg: false, nbf: 'unless-iat', kid: 'did-url' },
  { change: 'what-if: header kid = bare RFC 7638 thumbprint (the verifier resolves keys by the full did:web kid: needs a trust-policy change)', kind: 'what-if', decoys: 'pad-to-slots', writeSdAlg: false, nbf: 'unless-iat', kid: 'thumbprint' },
  { change: 'what-if: no header kid (the verifier then accepts only issuers with exactly one key: breaks key rotation)', kind: 'what-if', decoys: 'pad-to-slots', writeSdAlg: false, nbf: 'unless-iat', kid: 'none' },
] satisfies IssuanceVariant[]);

/** One ResidentCredential copy issued the way `variant` says. */
export async function issueVariant({
  variant,
  issuer,
  format,
  holderPublicJwk,
  statusIndex,
  nowMs,
  crypto,
}: {
  variant: IssuanceVariant;
  issuer: CityIssuer;
  format: SdJwtCredentialFormat;
  holderPublicJwk: PublicJwk;
  statusIndex: number;
  nowMs: number;
  crypto: NodeCryptoSuite;
}): Promise<string> {
  const type = credentialTypeByName('ResidentCredential');
  const { claims, validFrom, validUntil, issuedAt } = residentIssuance({ nowMs });
  const iat = Math.floor(issuedAt / DEFAULT_IAT_GRANULARITY_SECONDS) * DEFAULT_IAT_GRANULARITY_SECONDS;
  const subject = claims as unknown as Record<string, unknown>;
  let shared = buildCredentialPayload({ format, type, claims: subject, issuerId: issuer.did, iat, validFrom, validUntil });
  if (variant.nbf === 'always' && shared.nbf === undefined) shared = withNbfAfterIat(shared, validFrom);
  const paths = type.disclosableClaimPaths;
  const exact = disclosureFrameFor({ claims: subject, paths });
  const subjectFrame = variant.decoys === 'pad-to-slots' ? padToClaimSlots({ frame: exact, claims: subject, paths }) : exact;
  const { kid: _kid, ...keyWithoutKid } = issuer.signingKey;
  const signingKey: NodeSigningKey = keyWithoutKid;
  const kid = variant.kid === 'did-url' ? issuer.kid : variant.kid === 'thumbprint' ? issuer.thumbprint : undefined;
  const template = compileSdJwtTemplate({
    shared,
    frame: format === 'vc+sd-jwt' ? { credentialSubject: subjectFrame } : subjectFrame,
    header: kid === undefined ? { typ: format } : { typ: format, kid },
    ...(variant.decoys === 'random-1-3' ? { decoys: { min: 1, max: 3 } } : {}),
    writeSdAlg: variant.writeSdAlg,
  });
  return template.issue({
    perCopy: buildCopyFields({ format, holderPublicJwk, status: { uri: issuer.statusListUri, index: statusIndex } }),
    signingKey,
    hash: crypto.hash,
    hashBase64url: crypto.hashBase64url,
    randomBytes: crypto.randomBytes,
  });
}

/** `payload` with `nbf` put back right after `iat`, where core wrote it before. */
function withNbfAfterIat(payload: Record<string, unknown>, nbf: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    out[key] = value;
    if (key === 'iat') out.nbf = nbf;
  }
  return out;
}
