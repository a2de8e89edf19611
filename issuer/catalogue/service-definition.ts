import { SERVICE_TIERS, type ServiceTier } from '../../core/credentials/credential-types.js';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** Locales the city's pages and metadata speak. */
export const LOCALES = ['en', 'es', 'fr'] as const;

/** Names per locale. */
export type LocalizedText = Record<(typeof LOCALES)[number], string>;

/** Kinds of supporting documents an application can need. */
export const REQUIRED_DOCUMENT_KINDS = ['proof_of_address', 'identity_document', 'student_card'] as const;

/** One of {@link REQUIRED_DOCUMENT_KINDS}. */
export type RequiredDocumentKind = (typeof REQUIRED_DOCUMENT_KINDS)[number];

/**
 * One service of the city's catalogue (pools, library, transport, ...): the
 * tiers it offers, the documents an application for it needs, and age limits
 * (the youth pass is for 14–30 year olds, say). Each city configures its own.
 */
export interface ServiceDefinition {
  /** Slug, `^[a-z0-9][a-z0-9-]{0,62}$`; the `service_id` of its entitlement credentials. */
  id: string;
  names: LocalizedText;
  tiers: ServiceTier[];
  requiredDocuments: RequiredDocumentKind[];
  minAge?: number;
  maxAge?: number;
  active: boolean;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Checks a service definition from configuration or the back office.
 * @throws UrbisError `BODY_INVALID` naming the field at fault.
 */
export function checkServiceDefinition(value: unknown): ServiceDefinition {
  const fail = (field: string): never => {
    throw new UrbisError('BODY_INVALID', `service definition: ${field} is invalid`);
  };
  if (typeof value !== 'object' || value === null) return fail('the definition');
  const v = value as Record<string, unknown>;
  if (typeof v['id'] !== 'string' || !SLUG.test(v['id'])) fail('id');
  const names = v['names'] as Record<string, unknown> | undefined;
  if (typeof names !== 'object' || names === null) fail('names');
  for (const locale of LOCALES) {
    const name = names![locale];
    if (typeof name !== 'string' || name.length === 0 || name.length > 100) fail(`names.${locale}`);
  }
  const tiers = v['tiers'];
  if (!Array.isArray(tiers) || tiers.length === 0 || tiers.some((t) => !(SERVICE_TIERS as readonly unknown[]).includes(t)) || new Set(tiers).size !== tiers.length) fail('tiers');
  const docs = v['requiredDocuments'] ?? [];
  if (!Array.isArray(docs) || docs.some((d) => !(REQUIRED_DOCUMENT_KINDS as readonly unknown[]).includes(d))) fail('requiredDocuments');
  for (const key of ['minAge', 'maxAge'] as const) {
    const age = v[key];
    if (age !== undefined && age !== null && (!Number.isInteger(age) || (age as number) < 0 || (age as number) > 150)) fail(key);
  }
  if (typeof v['minAge'] === 'number' && typeof v['maxAge'] === 'number' && v['minAge'] > v['maxAge']) fail('maxAge');
  return {
    id: v['id'] as string,
    names: { en: names!['en'] as string, es: names!['es'] as string, fr: names!['fr'] as string },
    tiers: tiers as ServiceTier[],
    requiredDocuments: docs as RequiredDocumentKind[],
    ...(typeof v['minAge'] === 'number' ? { minAge: v['minAge'] } : {}),
    ...(typeof v['maxAge'] === 'number' ? { maxAge: v['maxAge'] } : {}),
    active: v['active'] === undefined ? true : v['active'] === true,
  };
}
