import { credentialTypeByName } from '../../core/credentials/credential-types.js';
import type { SdJwtCredentialFormat } from '../../core/verification/verification-result.js';
import { requestedClaims } from './requested-claims.js';
import type { AcceptedCredential, ServicePolicy } from './service-policy.js';

/**
 * The DCQL (OpenID4VP 1.0 §6) a terminal sends, in the subset the Urbis
 * wallet answers (`holder-wallet/presentation/dcql-query.ts`): formats
 * `dc+sd-jwt` (`meta.vct_values`) and `vc+sd-jwt` (`meta.type_values`,
 * claim paths from the payload root, so under `credentialSubject`); claims
 * with `path` and `values`; `credential_sets` with `options` and
 * `required`. Nothing else (no `claim_sets`, `trusted_authorities`,
 * `multiple`): accepted issuers are checked by the terminal, not asked for.
 */

/** One requested claim; `path` from the root of the credential payload. */
export interface DcqlClaimsQuery {
  path: string[];
  values?: (string | number | boolean)[];
}

/** One requested credential. */
export interface DcqlCredentialQuery {
  /** `<alternative id>_vc` or `<alternative id>_dc`. */
  id: string;
  format: SdJwtCredentialFormat;
  meta: { vct_values: string[] } | { type_values: string[][] };
  /** Absent when no selectively disclosable claim is needed. */
  claims?: DcqlClaimsQuery[];
}

/** Alternatives of credential queries (OpenID4VP 1.0 §6.2). */
export interface DcqlCredentialSet {
  options: string[][];
  required: boolean;
}

/** A DCQL query. */
export interface DcqlQuery {
  credentials: DcqlCredentialQuery[];
  credential_sets?: DcqlCredentialSet[];
}

const FORMAT_SUFFIX: Record<SdJwtCredentialFormat, string> = { 'vc+sd-jwt': 'vc', 'dc+sd-jwt': 'dc' };

/**
 * The DCQL credential query id for one alternative in one format.
 *
 * @example
 * ```ts
 * credentialQueryId({ accepted: { id: 'senior', ... }, format: 'dc+sd-jwt' }); // 'senior_dc'
 * ```
 */
export function credentialQueryId({ accepted, format }: { accepted: Pick<AcceptedCredential, 'id'>; format: SdJwtCredentialFormat }): string {
  return `${accepted.id}_${FORMAT_SUFFIX[format]}`;
}

/**
 * The DCQL query for a service policy: one credential query per
 * alternative and accepted format, asking for exactly the claims the
 * policy checks (see `requestedClaims`), with their required `values` so
 * the wallet offers only copies that will pass. When there is more than
 * one credential query, one required credential set lists each as a
 * one-credential option, in the policy's order of preference (the wallet
 * answers with the first option it holds).
 *
 * @example
 * ```ts
 * const query = dcqlQueryFor(policies.get('pools')!);
 * // { credentials: [{ id: 'entitlement_vc', format: 'vc+sd-jwt', meta: { type_values: [['VerifiableCredential', 'ServiceEntitlementCredential']] },
 * //   claims: [{ path: ['credentialSubject', 'service_id'], values: ['pools'] }, ...] }, ...],
 * //   credential_sets: [{ options: [['entitlement_vc'], ['entitlement_dc'], ['senior_vc'], ['senior_dc']], required: true }] }
 * ```
 */
export function dcqlQueryFor(policy: ServicePolicy): DcqlQuery {
  const credentials: DcqlCredentialQuery[] = [];
  for (const accepted of policy.accepts) {
    const definition = credentialTypeByName(accepted.type);
    const claims = requestedClaims({ policy, accepted });
    for (const format of accepted.formats) {
      const prefix = format === 'vc+sd-jwt' ? ['credentialSubject'] : [];
      const query: DcqlCredentialQuery = {
        id: credentialQueryId({ accepted, format }),
        format,
        meta: format === 'dc+sd-jwt' ? { vct_values: [definition.vct] } : { type_values: [[...definition.vcType]] },
      };
      if (claims.length > 0) {
        query.claims = claims.map(({ path, values }) => (values === undefined ? { path: [...prefix, ...path] } : { path: [...prefix, ...path], values: [...values] }));
      }
      credentials.push(query);
    }
  }
  if (credentials.length === 1) return { credentials };
  return { credentials, credential_sets: [{ options: credentials.map((c) => [c.id]), required: true }] };
}
