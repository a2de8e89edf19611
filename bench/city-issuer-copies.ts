import type { ClaimPath, ResidentClaims } from '../core/credentials/credential-types.js';
import type { NodeCryptoSuite, NodeSigningKey } from '../core/crypto/node-crypto.js';
import type { PublicJwk } from '../core/crypto/ports.js';
import { issueCredentialBatch } from '../core/issuance/issue-credential.js';
import { calculateJwkThumbprint } from '../core/keys/jwk-thumbprint.js';
import type { TrustedIssuer } from '../core/trust/trusted-issuer.js';
import type { SdJwtCredentialFormat } from '../core/verification/verification-result.js';
import type { Citizen } from '../issuer/enrolment/citizen-repository.js';
import { dayOf } from '../issuer/enrolment/enrolment-service.js';
import { entitlementClaims, residentClaims, residentValidUntil } from '../issuer/issuance/credential-claims.js';
import { enrolmentBody } from '../issuer/testing/city-data.js';

/**
 * One-time copies as the city issuer issues them, for wallet benchmarks:
 * the same call into core as `issuer/issuance/credential-issuance.ts` with
 * the same inputs, without the database and HTTP around it.
 *
 * - claims: `residentClaims` / `entitlementClaims` of
 *   `issuer/issuance/credential-claims.ts` for the issuer's fixture citizen
 *   (`issuer/testing/city-data.ts`);
 * - validity: from the start of today (UTC) to `residentValidUntil` (365
 *   days by default); `issuedAt` = now, which core rounds to the day;
 * - `iss` = the issuer's did:web (the configuration's default
 *   `did:web:<city>.city.example`), header `kid` = `<did>#<RFC 7638
 *   thumbprint>` as `issuer/keys/issuer-key-store.ts` names keys;
 * - status: `<issuer URL>/status/0` (`issuer/create-issuer.ts`), a random
 *   index in a 131,072-entry list, one per copy; one holder key per copy.
 */

/** The city: a production-like issuer URL whose host is the did:web. */
export const CITY = Object.freeze({
  did: 'did:web:gijon.city.example',
  issuerUrl: 'https://gijon.city.example',
  municipality: 'Gijón',
  statusListSize: 131_072,
  validityDays: 365,
});

/** The city's signing key and what a verifier's trust list holds about it. */
export interface CityIssuer {
  did: string;
  kid: string;
  thumbprint: string;
  publicJwk: PublicJwk;
  signingKey: NodeSigningKey;
  statusListUri: string;
  trustedIssuer: TrustedIssuer;
}

/** A fresh city issuer key, named as the issuer's key store names it. */
export async function createCityIssuer({ crypto }: { crypto: NodeCryptoSuite }): Promise<CityIssuer> {
  const pair = crypto.generateKeyPair();
  const thumbprint = await calculateJwkThumbprint({ publicJwk: pair.publicJwk, hash: crypto.hash });
  const kid = `${CITY.did}#${thumbprint}`;
  return {
    did: CITY.did,
    kid,
    thumbprint,
    publicJwk: pair.publicJwk,
    signingKey: crypto.signingKeyFromJwk({ privateJwk: pair.privateJwk, kid }),
    statusListUri: `${CITY.issuerUrl}/status/0`,
    trustedIssuer: { id: CITY.did, keys: [{ kid, publicJwk: pair.publicJwk }], credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'] },
  };
}

/** The fixture citizen as the issuer's repository returns it (only what the claims need). */
export function fixtureCitizen(): Citizen {
  const body = enrolmentBody();
  return { ...body, id: 'bench-citizen-1', restricted: false, objectedPurposes: [], createdAt: 0, updatedAt: 0 } as unknown as Citizen;
}

/** What `issueCredentialBatch` gets from the issuer for a ResidentCredential issued at `nowMs`. */
export function residentIssuance({ nowMs }: { nowMs: number }): { claims: ResidentClaims; validFrom: number; validUntil: number; issuedAt: number } {
  const citizen = fixtureCitizen();
  const today = dayOf(nowMs);
  return {
    claims: residentClaims({ citizen, municipality: CITY.municipality, today }),
    validFrom: Math.floor(Date.parse(`${today}T00:00:00Z`) / 1000),
    validUntil: residentValidUntil({ birthdate: citizen.birthdate, today, validityDays: CITY.validityDays }),
    issuedAt: Math.floor(nowMs / 1000),
  };
}

/** Distinct random status indices in the city's list, as the issuer draws them. */
export function randomStatusIndices({ count, crypto }: { count: number; crypto: NodeCryptoSuite }): number[] {
  const out = new Set<number>();
  while (out.size < count) {
    const b = crypto.randomBytes(3);
    out.add(((b[0]! << 16) | (b[1]! << 8) | b[2]!) % CITY.statusListSize);
  }
  return [...out];
}

/** A batch of ResidentCredential copies exactly as the issuer issues them (core's `issueCredentialBatch`). */
export async function issueResidentCopies({
  issuer,
  format,
  holderKeys,
  statusIndices,
  nowMs,
  crypto,
}: {
  issuer: CityIssuer;
  format: SdJwtCredentialFormat;
  holderKeys: readonly PublicJwk[];
  /** Default: drawn at random, as the issuer does. */
  statusIndices?: readonly number[];
  nowMs: number;
  crypto: NodeCryptoSuite;
}): Promise<string[]> {
  const { claims, validFrom, validUntil, issuedAt } = residentIssuance({ nowMs });
  const indices = statusIndices ?? randomStatusIndices({ count: holderKeys.length, crypto });
  return issueCredentialBatch({
    format,
    type: 'ResidentCredential',
    claims,
    issuer: { id: issuer.did, signingKey: issuer.signingKey },
    statusListUri: issuer.statusListUri,
    validFrom,
    validUntil,
    issuedAt,
    crypto: { hash: crypto.hash, hashBase64url: crypto.hashBase64url, randomBytes: crypto.randomBytes },
    copies: holderKeys.map((holderPublicJwk, i) => ({ holderPublicJwk, statusIndex: indices[i]! })),
  });
}

/** A batch of ServiceEntitlementCredential copies for one service, as the issuer issues them. */
export async function issueEntitlementCopies({
  issuer,
  serviceId,
  holderKeys,
  nowMs,
  crypto,
}: {
  issuer: CityIssuer;
  serviceId: string;
  holderKeys: readonly PublicJwk[];
  nowMs: number;
  crypto: NodeCryptoSuite;
}): Promise<string[]> {
  const today = dayOf(nowMs);
  const validFrom = Math.floor(Date.parse(`${today}T00:00:00Z`) / 1000);
  const claims = await entitlementClaims({ citizenId: 'bench-citizen-1', serviceId, tier: 'standard', municipality: CITY.municipality, pseudonymSecret: crypto.randomBytes(32) });
  const indices = randomStatusIndices({ count: holderKeys.length, crypto });
  return issueCredentialBatch({
    format: 'dc+sd-jwt',
    type: 'ServiceEntitlementCredential',
    claims,
    issuer: { id: issuer.did, signingKey: issuer.signingKey },
    statusListUri: issuer.statusListUri,
    validFrom,
    validUntil: validFrom + CITY.validityDays * 86_400,
    issuedAt: Math.floor(nowMs / 1000),
    crypto: { hash: crypto.hash, hashBase64url: crypto.hashBase64url, randomBytes: crypto.randomBytes },
    copies: holderKeys.map((holderPublicJwk, i) => ({ holderPublicJwk, statusIndex: indices[i]! })),
  });
}

/** The claim sets whose presentations are measured, by name. */
export const DISCLOSED_CLAIM_SETS: ReadonlyArray<{ name: string; short: string; claims: readonly ClaimPath[] }> = Object.freeze([
  { name: '1 claim (age_over_18)', short: '1', claims: [['age_over_18']] },
  { name: '2 claims (age_over_18, municipality)', short: '2', claims: [['age_over_18'], ['municipality']] },
  // A part of the address also discloses the address object itself (its digests): the costliest 2-claim case.
  { name: '2 claims (age_over_18, address.locality)', short: '2 (address)', claims: [['age_over_18'], ['address', 'locality']] },
  { name: '5 claims (given_name, family_name, birthdate, age_over_18, address.locality)', short: '5', claims: [['given_name'], ['family_name'], ['birthdate'], ['age_over_18'], ['address', 'locality']] },
]);
