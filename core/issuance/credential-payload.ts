import type { CredentialTypeDefinition } from '../credentials/credential-types.js';
import type { PublicJwk } from '../crypto/ports.js';
import { buildBitstringStatusListEntry, URBIS_STATUS_MESSAGES } from '../status/bitstring-status-list.js';
import type { SdJwtCredentialFormat } from '../verification/verification-result.js';
import { VCDM2_CONTEXT } from '../verification/policies/credential-type-policy.js';

/** The Urbis JSON-LD context URL, second in every `vc+sd-jwt` `@context` (no LD processing is done). */
export const URBIS_CONTEXT = 'https://urbis.city/credentials/v1';

/**
 * Builds the unsigned payload of an Urbis credential in either format, split
 * into what every copy of a batch shares (issuer, validity, type, claims)
 * and what each copy has of its own (holder key, status entry). All protocol
 * fields are in the clear. The subject claims sit at the top level
 * (`dc+sd-jwt`) or in `credentialSubject` (`vc+sd-jwt`); no subject `id` is
 * written, so no correlatable identifier travels with the credential.
 *
 * `nbf` is written only when it differs from `iat`. A credential valid from
 * the moment it is stamped as issued needs no `nbf`: a verifier refuses an
 * `iat` in the future (Urbis `IAT_IN_FUTURE`, sd-jwt-js alike) with the
 * same clock-skew comparison it would apply to `nbf`, so the accepted
 * window is unchanged (and `vc+sd-jwt` keeps `validFrom` anyway). The city
 * issuer's copies are valid from the start of their UTC day, which is their
 * day-rounded `iat`: 17 bytes of JSON saved in every presentation.
 */
export function buildCredentialPayload({
  format,
  type,
  claims,
  issuerId,
  iat,
  validFrom,
  validUntil,
}: {
  format: SdJwtCredentialFormat;
  type: CredentialTypeDefinition;
  claims: Record<string, unknown>;
  issuerId: string;
  iat: number;
  validFrom: number;
  validUntil: number;
}): Record<string, unknown> {
  if (format === 'dc+sd-jwt') {
    return { iss: issuerId, iat, ...notBefore(iat, validFrom), exp: validUntil, vct: type.vct, ...claims };
  }
  return {
    '@context': [VCDM2_CONTEXT, URBIS_CONTEXT],
    type: [...type.vcType],
    issuer: issuerId,
    iat,
    ...notBefore(iat, validFrom),
    exp: validUntil,
    validFrom: isoSeconds(validFrom),
    validUntil: isoSeconds(validUntil),
    credentialSubject: { ...claims },
  };
}

/** The fields one copy has of its own: its holder key (none for a bearer credential) and its status entry. */
export function buildCopyFields({
  format,
  holderPublicJwk,
  status,
}: {
  format: SdJwtCredentialFormat;
  holderPublicJwk: PublicJwk | undefined;
  status: { uri: string; index: number };
}): Record<string, unknown> {
  const cnf = holderPublicJwk === undefined ? {} : { cnf: { jwk: { kty: 'EC', crv: 'P-256', x: holderPublicJwk.x, y: holderPublicJwk.y } } };
  if (format === 'dc+sd-jwt') return { ...cnf, status: { status_list: { idx: status.index, uri: status.uri } } };
  return {
    ...cnf,
    // statusPurpose `message` with 2 bits: one list carries revoked and suspended.
    credentialStatus: buildBitstringStatusListEntry({
      statusListCredential: status.uri,
      statusListIndex: status.index,
      statusMessage: URBIS_STATUS_MESSAGES,
    }),
  };
}

/** `{ nbf }`, or nothing when validity starts at `iat` (see {@link buildCredentialPayload}). */
function notBefore(iat: number, validFrom: number): { nbf?: number } {
  return validFrom === iat ? {} : { nbf: validFrom };
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
