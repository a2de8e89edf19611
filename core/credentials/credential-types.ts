import { UrbisError } from '../errors/urbis-error.js';
import residentSchema from './schemas/resident-credential.schema.json' with { type: 'json' };
import paperServicePassSchema from './schemas/paper-service-pass.schema.json' with { type: 'json' };
import serviceEntitlementSchema from './schemas/service-entitlement-credential.schema.json' with { type: 'json' };

/**
 * The Urbis credential types (DESIGN §2) and their registry.
 *
 * A credential type fixes three things a wire format needs:
 * - how the type is named on the wire: the VCDM 2.0 `type` array of a
 *   `vc+sd-jwt` (`['VerifiableCredential', name]`) and the `vct` of an IETF
 *   SD-JWT VC (`dc+sd-jwt`);
 * - the subject claims and their JSON Schema (draft 2020-12, see
 *   `schemas/*.schema.json` and `validate-claims.ts`);
 * - which claims are selectively disclosable by default.
 *
 * Claims use the same names in both formats: inside `credentialSubject` for
 * `vc+sd-jwt`, at the top level of the payload for `dc+sd-jwt`. Issuer,
 * validity (`validFrom`/`validUntil`, `iat`/`nbf`/`exp`), status, `cnf` and
 * `type`/`vct` are protocol fields: they are not claims, never selectively
 * disclosable, and not described by these schemas.
 */

/** Names of the Urbis credential types (the second entry of the VCDM `type` array). */
export type CredentialTypeName = 'ResidentCredential' | 'ServiceEntitlementCredential' | 'PaperServicePass';

/** Postal address of a resident; every part is selectively disclosable on its own. */
export interface ResidentAddress {
  street_address: string;
  locality: string;
  /** 3..10 letters, digits, spaces or dashes (not only Spain's 5 digits: cities federate). */
  postal_code: string;
  /** Province, autonomous community or other region; optional. */
  region?: string;
  /** ISO 3166-1 alpha-2, uppercase (`ES`). */
  country: string;
}

/** Subject claims of a `ResidentCredential`, as issued. */
export interface ResidentClaims {
  given_name: string;
  family_name: string;
  /** RFC 3339 full-date, `YYYY-MM-DD`. */
  birthdate: string;
  age_over_18: boolean;
  age_over_65: boolean;
  address: ResidentAddress;
  /** RFC 3339 full-date: first day of registered residence (empadronamiento). */
  resident_since: string;
  /** Issuing municipality, e.g. `Gijón`. */
  municipality: string;
}

/** Discount or eligibility tiers of a service entitlement. */
export const SERVICE_TIERS = ['standard', 'youth', 'senior', 'reduced', 'disability', 'family'] as const;

/** One of {@link SERVICE_TIERS}. */
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** Subject claims of a `ServiceEntitlementCredential`, as issued. */
export interface ServiceEntitlementClaims {
  /** Service slug, `^[a-z0-9][a-z0-9-]{0,62}$`: `pools`, `library`, `transport`, `waste-centre`, ... */
  service_id: string;
  tier: ServiceTier;
  /** Per-service pseudonym (43-character base64url of 32 bytes), see `derivePseudonym`. */
  pseudonym: string;
  municipality: string;
}

/**
 * Subject claims of a `PaperServicePass`: a service entitlement printed on
 * paper for a citizen without a smartphone (issue #8). The same claims as
 * the entitlement it stands for — the per-service pseudonym, never a name.
 */
export type PaperServicePassClaims = ServiceEntitlementClaims;

/** Issued claims by credential type name. */
export interface ClaimsByType {
  ResidentCredential: ResidentClaims;
  ServiceEntitlementCredential: ServiceEntitlementClaims;
  PaperServicePass: PaperServicePassClaims;
}

/** Issued claims of credential type `N`. */
export type ClaimsOf<N extends CredentialTypeName> = ClaimsByType[N];

/** Every property optional, recursively: what a holder may disclose. */
export type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Disclosed claims of credential type `N` in a presentation: any subset, nested objects included. */
export type DisclosedClaimsOf<N extends CredentialTypeName> = DeepPartial<ClaimsByType[N]>;

/**
 * A claim path, as in SD-JWT VC / DCQL `claims[].path`: property names from
 * the subject (the `credentialSubject` of `vc+sd-jwt`, the payload of
 * `dc+sd-jwt`) down to the claim. `['address', 'locality']`.
 */
export type ClaimPath = readonly string[];

/** A JSON Schema document, as plain read-only JSON. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * How a credential is bound to its holder:
 * - `holder-key`: every copy carries `cnf.jwk`; a presentation needs a
 *   key-binding JWT signed with that key (the wallet's one-time copies);
 * - `bearer`: no holder key and no key-binding JWT; whoever shows it is
 *   taken as its holder. Only the printed `PaperServicePass` is a bearer
 *   credential, and a verifier checks one only when asked to (a paper
 *   scan, see `KeyBindingExpectation`), so a service chooses to accept
 *   paper (see docs/paper-card.md for the assurance model).
 */
export type HolderBinding = 'holder-key' | 'bearer';

/** One entry of the credential type registry. */
export interface CredentialTypeDefinition<N extends CredentialTypeName = CredentialTypeName> {
  /** Type name, e.g. `ResidentCredential`. */
  readonly name: N;
  /** How its copies are bound to their holder. */
  readonly holderBinding: HolderBinding;
  /** `vct` of the IETF SD-JWT VC (`dc+sd-jwt`) form. */
  readonly vct: string;
  /** VCDM 2.0 `type` of the `vc+sd-jwt` form. */
  readonly vcType: readonly ['VerifiableCredential', N];
  /**
   * Claims made selectively disclosable at issuance, by default: every
   * subject claim on its own, and for objects (`address`) the object and
   * each of its parts on their own. Parents come before their children.
   */
  readonly disclosableClaimPaths: readonly ClaimPath[];
  /** JSON Schema (draft 2020-12) of the claims as issued. */
  readonly schema: JsonSchema;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const RESIDENT: CredentialTypeDefinition<'ResidentCredential'> = deepFreeze({
  name: 'ResidentCredential',
  holderBinding: 'holder-key',
  vct: 'urn:urbis:vct:resident:1',
  vcType: ['VerifiableCredential', 'ResidentCredential'],
  disclosableClaimPaths: [
    ['given_name'],
    ['family_name'],
    ['birthdate'],
    ['age_over_18'],
    ['age_over_65'],
    ['address'],
    ['address', 'street_address'],
    ['address', 'locality'],
    ['address', 'postal_code'],
    ['address', 'region'],
    ['address', 'country'],
    ['resident_since'],
    ['municipality'],
  ],
  schema: residentSchema as JsonSchema,
});

const SERVICE_ENTITLEMENT: CredentialTypeDefinition<'ServiceEntitlementCredential'> = deepFreeze({
  name: 'ServiceEntitlementCredential',
  holderBinding: 'holder-key',
  vct: 'urn:urbis:vct:service-entitlement:1',
  vcType: ['VerifiableCredential', 'ServiceEntitlementCredential'],
  disclosableClaimPaths: [['service_id'], ['tier'], ['pseudonym'], ['municipality']],
  schema: serviceEntitlementSchema as JsonSchema,
});

/**
 * The paper form of a service entitlement: no selectively disclosable claim
 * (the sheet carries them all, and the QR stays small: the four claims are
 * what any terminal of the service needs), no holder key (see
 * {@link HolderBinding}).
 */
const PAPER_SERVICE_PASS: CredentialTypeDefinition<'PaperServicePass'> = deepFreeze({
  name: 'PaperServicePass',
  holderBinding: 'bearer',
  vct: 'urn:urbis:vct:paper-service-pass:1',
  vcType: ['VerifiableCredential', 'PaperServicePass'],
  disclosableClaimPaths: [],
  schema: paperServicePassSchema as JsonSchema,
});

/** Every Urbis credential type, frozen. */
export const CREDENTIAL_TYPES: readonly CredentialTypeDefinition[] = Object.freeze([RESIDENT, SERVICE_ENTITLEMENT, PAPER_SERVICE_PASS]);

const BY_NAME = new Map<string, CredentialTypeDefinition>(CREDENTIAL_TYPES.map((t) => [t.name, t]));
const BY_VCT = new Map<string, CredentialTypeDefinition>(CREDENTIAL_TYPES.map((t) => [t.vct, t]));

/**
 * Looks a credential type up by name.
 *
 * @throws UrbisError `CREDENTIAL_TYPE_UNKNOWN` when no Urbis type has that name.
 *
 * @example
 * ```ts
 * const { vct, disclosableClaimPaths } = credentialTypeByName('ResidentCredential');
 * ```
 */
export function credentialTypeByName<N extends CredentialTypeName>(name: N): CredentialTypeDefinition<N>;
export function credentialTypeByName(name: string): CredentialTypeDefinition;
export function credentialTypeByName(name: string): CredentialTypeDefinition {
  const found = typeof name === 'string' ? BY_NAME.get(name) : undefined;
  if (!found) throw new UrbisError('CREDENTIAL_TYPE_UNKNOWN', 'unknown credential type name');
  return found;
}

/**
 * Looks a credential type up by the `vct` of an IETF SD-JWT VC (`dc+sd-jwt`).
 * Exact string comparison: no `vct#integrity`, no version ranges.
 *
 * @throws UrbisError `CREDENTIAL_TYPE_UNKNOWN`
 *
 * @example
 * ```ts
 * credentialTypeByVct('urn:urbis:vct:service-entitlement:1').name; // 'ServiceEntitlementCredential'
 * ```
 */
export function credentialTypeByVct(vct: string): CredentialTypeDefinition {
  const found = typeof vct === 'string' ? BY_VCT.get(vct) : undefined;
  if (!found) throw new UrbisError('CREDENTIAL_TYPE_UNKNOWN', 'unknown vct');
  return found;
}

/**
 * Finds the Urbis type named by a VCDM 2.0 `type` array (`vc+sd-jwt`).
 *
 * The array must contain `VerifiableCredential` and exactly one Urbis type
 * name. Other entries are ignored (VCDM types are a set, and a federated
 * issuer may add its own), but two Urbis type names in one credential are
 * ambiguous and refused. A bare string is refused: Urbis credentials always
 * carry an array.
 *
 * @throws UrbisError `CREDENTIAL_TYPE_UNKNOWN` when the value is not an array
 *   of strings, lacks `VerifiableCredential`, or names no or several Urbis types.
 *
 * @example
 * ```ts
 * credentialTypeFromVcType(['VerifiableCredential', 'ResidentCredential']).vct; // 'urn:urbis:vct:resident:1'
 * ```
 */
export function credentialTypeFromVcType(type: readonly string[]): CredentialTypeDefinition {
  const value: unknown = type;
  if (!Array.isArray(value) || !value.every((t): t is string => typeof t === 'string')) {
    throw new UrbisError('CREDENTIAL_TYPE_UNKNOWN', 'VC type must be an array of strings');
  }
  if (!value.includes('VerifiableCredential')) {
    throw new UrbisError('CREDENTIAL_TYPE_UNKNOWN', 'VC type lacks VerifiableCredential');
  }
  const matches = new Set<CredentialTypeDefinition>();
  for (const t of value) {
    const found = BY_NAME.get(t);
    if (found) matches.add(found);
  }
  if (matches.size !== 1) {
    throw new UrbisError(
      'CREDENTIAL_TYPE_UNKNOWN',
      matches.size === 0 ? 'VC type names no Urbis credential type' : 'VC type names several Urbis credential types',
    );
  }
  return [...matches][0]!;
}
