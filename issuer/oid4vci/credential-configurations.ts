import { credentialTypeByName, type CredentialTypeName } from '../../core/credentials/credential-types.js';
import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * The Credential Configurations the city issuer offers (OID4VCI 1.0 §12.2.4,
 * `credential_configurations_supported`) and their identifiers:
 *
 * | id                                   | type                           | format        |
 * |--------------------------------------|--------------------------------|---------------|
 * | `resident.vc+sd-jwt`                 | `ResidentCredential`           | `vc+sd-jwt`   |
 * | `resident.dc+sd-jwt`                 | `ResidentCredential`           | `dc+sd-jwt`   |
 * | `resident.jwt_vc_json`               | `ResidentCredential`           | `jwt_vc_json` |
 * | `entitlement.<serviceId>.vc+sd-jwt`  | `ServiceEntitlementCredential` | `vc+sd-jwt`   |
 * | `entitlement.<serviceId>.dc+sd-jwt`  | `ServiceEntitlementCredential` | `dc+sd-jwt`   |
 *
 * One configuration per service (rather than one entitlement configuration
 * with the service as a claim) lets an offer and an access token name
 * exactly the service granted, and lets wallets show the service's name.
 */

/** Credential formats the city issuer issues. */
export type Oid4vciCredentialFormat = 'vc+sd-jwt' | 'dc+sd-jwt' | 'jwt_vc_json';

/** Display names in the issuer's three languages. */
export interface LocalizedNames {
  en: string;
  es: string;
  fr: string;
}

/** A service of the city's catalogue, as far as issuance metadata needs it. */
export interface CatalogueService {
  /** Service slug, `^[a-z0-9][a-z0-9-]{0,62}$` (`pools`, `waste-centre`, ...). */
  id: string;
  names: LocalizedNames;
}

/** What a Credential Configuration identifier stands for. */
export interface ParsedCredentialConfigurationId {
  credentialType: CredentialTypeName;
  format: Oid4vciCredentialFormat;
  /** The service, for `ServiceEntitlementCredential` configurations. */
  serviceId?: string;
}

/** A display object of a Credential Configuration (§12.2.4 `credential_metadata.display`). */
export interface CredentialDisplay {
  name: string;
  locale: string;
}

/** A claims description object for issuer metadata (OID4VCI 1.0 Appendix B.2). */
export interface ClaimDescription {
  path: string[];
  display?: { name: string; locale: string }[];
}

/** One entry of `credential_configurations_supported`. */
export interface CredentialConfiguration {
  format: Oid4vciCredentialFormat;
  scope: string;
  /** `dc+sd-jwt` only: the SD-JWT VC type. */
  vct?: string;
  /** `vc+sd-jwt` and `jwt_vc_json`: the VCDM `type` array. */
  credential_definition?: { type: string[] };
  cryptographic_binding_methods_supported: ['jwk'];
  credential_signing_alg_values_supported: ['ES256'];
  proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } };
  credential_metadata: { display: CredentialDisplay[]; claims: ClaimDescription[] };
}

const SERVICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const RESIDENT_FORMATS: readonly Oid4vciCredentialFormat[] = ['vc+sd-jwt', 'dc+sd-jwt', 'jwt_vc_json'];
const ENTITLEMENT_FORMATS: readonly Oid4vciCredentialFormat[] = ['vc+sd-jwt', 'dc+sd-jwt'];
const LOCALES = ['en', 'es', 'fr'] as const;

const RESIDENT_NAMES: LocalizedNames = { en: 'Resident credential', es: 'Credencial de empadronamiento', fr: 'Attestation de résidence' };
const ENTITLEMENT_NAME_PREFIX: LocalizedNames = { en: 'Entitlement: ', es: 'Derecho de acceso: ', fr: "Droit d'accès : " };

/** Claim labels by claim path (joined with `.`), for wallets to render. */
const CLAIM_LABELS: Readonly<Record<string, LocalizedNames>> = {
  given_name: { en: 'Given name', es: 'Nombre', fr: 'Prénom' },
  family_name: { en: 'Family name', es: 'Apellidos', fr: 'Nom de famille' },
  birthdate: { en: 'Date of birth', es: 'Fecha de nacimiento', fr: 'Date de naissance' },
  age_over_18: { en: 'Over 18', es: 'Mayor de 18 años', fr: 'Plus de 18 ans' },
  age_over_65: { en: 'Over 65', es: 'Mayor de 65 años', fr: 'Plus de 65 ans' },
  address: { en: 'Address', es: 'Domicilio', fr: 'Adresse' },
  'address.street_address': { en: 'Street address', es: 'Calle y número', fr: 'Rue et numéro' },
  'address.locality': { en: 'Locality', es: 'Localidad', fr: 'Localité' },
  'address.postal_code': { en: 'Postal code', es: 'Código postal', fr: 'Code postal' },
  'address.region': { en: 'Region', es: 'Provincia o región', fr: 'Région' },
  'address.country': { en: 'Country', es: 'País', fr: 'Pays' },
  resident_since: { en: 'Resident since', es: 'Empadronado desde', fr: 'Résident depuis' },
  municipality: { en: 'Municipality', es: 'Municipio', fr: 'Commune' },
  service_id: { en: 'Service', es: 'Servicio', fr: 'Service' },
  tier: { en: 'Tier', es: 'Modalidad', fr: 'Tarif' },
  pseudonym: { en: 'Service pseudonym', es: 'Seudónimo del servicio', fr: 'Pseudonyme de service' },
};

/**
 * Checks the catalogue services: slug ids, no duplicates, non-empty names
 * in every language.
 *
 * @throws UrbisError `CONFIG_INVALID`
 */
export function checkCatalogueServices(services: readonly CatalogueService[]): void {
  if (!Array.isArray(services)) throw new UrbisError('CONFIG_INVALID', 'services must be an array');
  const seen = new Set<string>();
  for (const service of services) {
    if (typeof service !== 'object' || service === null || typeof service.id !== 'string' || !SERVICE_ID.test(service.id)) {
      throw new UrbisError('CONFIG_INVALID', 'a service id is a slug of lowercase letters, digits and dashes');
    }
    if (seen.has(service.id)) throw new UrbisError('CONFIG_INVALID', 'service ids must be unique');
    seen.add(service.id);
    for (const locale of LOCALES) {
      const name: unknown = service.names?.[locale];
      if (typeof name !== 'string' || name.trim() === '') {
        throw new UrbisError('CONFIG_INVALID', `a service needs a non-empty ${locale} name`);
      }
    }
  }
}

/**
 * Every Credential Configuration identifier the issuer supports, residents
 * first, then two per catalogue service, in catalogue order.
 *
 * @throws UrbisError `CONFIG_INVALID` on a bad catalogue.
 *
 * @example
 * ```ts
 * credentialConfigurationIds({ services: [{ id: 'pools', names }] });
 * // ['resident.vc+sd-jwt', 'resident.dc+sd-jwt', 'resident.jwt_vc_json',
 * //  'entitlement.pools.vc+sd-jwt', 'entitlement.pools.dc+sd-jwt']
 * ```
 */
export function credentialConfigurationIds({ services }: { services: readonly CatalogueService[] }): string[] {
  checkCatalogueServices(services);
  return [
    ...RESIDENT_FORMATS.map((format) => `resident.${format}`),
    ...services.flatMap((service) => ENTITLEMENT_FORMATS.map((format) => `entitlement.${service.id}.${format}`)),
  ];
}

/**
 * Reads a Credential Configuration identifier. Entitlement identifiers must
 * name a service of the current catalogue.
 *
 * @throws UrbisError `CREDENTIAL_CONFIGURATION_UNKNOWN` for anything
 *   else: unknown prefix, format or service, non-strings, and
 *   `entitlement.<serviceId>.jwt_vc_json` (entitlements are SD-JWT only).
 *
 * @example
 * ```ts
 * parseCredentialConfigurationId('entitlement.pools.dc+sd-jwt', { services });
 * // { credentialType: 'ServiceEntitlementCredential', format: 'dc+sd-jwt', serviceId: 'pools' }
 * ```
 */
export function parseCredentialConfigurationId(
  id: string,
  { services }: { services: readonly CatalogueService[] },
): ParsedCredentialConfigurationId {
  const unknown = (): UrbisError => new UrbisError('CREDENTIAL_CONFIGURATION_UNKNOWN', 'unknown credential configuration');
  if (typeof id !== 'string' || id.length > 100) throw unknown();
  const parts = id.split('.');
  if (parts.length === 2 && parts[0] === 'resident') {
    const format = parts[1] as Oid4vciCredentialFormat;
    if (!RESIDENT_FORMATS.includes(format)) throw unknown();
    return { credentialType: 'ResidentCredential', format };
  }
  if (parts.length === 3 && parts[0] === 'entitlement') {
    const serviceId = parts[1]!;
    const format = parts[2] as Oid4vciCredentialFormat;
    if (!ENTITLEMENT_FORMATS.includes(format)) throw unknown();
    if (!services.some((service) => service.id === serviceId)) throw unknown();
    return { credentialType: 'ServiceEntitlementCredential', format, serviceId };
  }
  throw unknown();
}

/**
 * The `credential_configurations_supported` object of the issuer metadata:
 * ES256 issuer signatures, holder binding to a JWK proven by `jwt` key proofs
 * signed with ES256, and display names in English, Spanish and French.
 *
 * Format-specific members (OID4VCI 1.0 Appendix A): `dc+sd-jwt` carries
 * `vct`; `jwt_vc_json` carries `credential_definition.type`. OID4VCI 1.0 has
 * no profile for `vc+sd-jwt` (W3C VCDM 2.0 secured with SD-JWT): since its
 * payload is a VCDM credential with a `type` array and no `vct`, it is
 * described like `jwt_vc_json`, with `credential_definition.type`.
 *
 * Display and claim labels sit in `credential_metadata` (OID4VCI 1.0 final;
 * drafts ≤ 15 had a top-level `display`). The `scope` is the identifier
 * without its format (`resident`, `entitlement.pools`), shared by the
 * formats of one credential.
 *
 * @throws UrbisError `CONFIG_INVALID` on a bad catalogue.
 */
export function credentialConfigurationsSupported({
  services,
}: {
  services: readonly CatalogueService[];
}): Record<string, CredentialConfiguration> {
  const out: Record<string, CredentialConfiguration> = {};
  for (const id of credentialConfigurationIds({ services })) {
    const { credentialType, format, serviceId } = parseCredentialConfigurationId(id, { services });
    const type = credentialTypeByName(credentialType);
    const names =
      serviceId === undefined
        ? RESIDENT_NAMES
        : prefixed(ENTITLEMENT_NAME_PREFIX, services.find((service) => service.id === serviceId)!.names);
    const configuration: CredentialConfiguration = {
      format,
      scope: serviceId === undefined ? 'resident' : `entitlement.${serviceId}`,
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: ['ES256'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
      credential_metadata: {
        display: LOCALES.map((locale) => ({ name: names[locale], locale })),
        claims: type.disclosableClaimPaths.map((path) => claimDescription({ path, format })),
      },
    };
    if (format === 'dc+sd-jwt') configuration.vct = type.vct;
    else configuration.credential_definition = { type: [...type.vcType] };
    out[id] = configuration;
  }
  return out;
}

function prefixed(prefix: LocalizedNames, names: LocalizedNames): LocalizedNames {
  return { en: prefix.en + names.en, es: prefix.es + names.es, fr: prefix.fr + names.fr };
}

function claimDescription({ path, format }: { path: readonly string[]; format: Oid4vciCredentialFormat }): ClaimDescription {
  const description: ClaimDescription = { path: format === 'dc+sd-jwt' ? [...path] : ['credentialSubject', ...path] };
  const label = CLAIM_LABELS[path.join('.')];
  if (label !== undefined) description.display = LOCALES.map((locale) => ({ name: label[locale], locale }));
  return description;
}
