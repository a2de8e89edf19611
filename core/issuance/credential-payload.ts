import type { CredentialTypeDefinition } from '../credentials/credential-types.js';
import type { PublicJwk } from '../crypto/ports.js';
import type { SdJwtCredentialFormat } from '../verification/verification-result.js';
import { VCDM2_CONTEXT } from '../verification/policies/credential-type-policy.js';

/** The Urbis JSON-LD context URL, second in every `vc+sd-jwt` `@context` (no LD processing is done). */
export const URBIS_CONTEXT = 'https://urbis.city/credentials/v1';

/** W3C Bitstring Status List messages for Urbis' 2-bit lists (statusPurpose `message`). */
export const URBIS_STATUS_MESSAGES = Object.freeze([
  { status: '0x0', message: 'valid' },
  { status: '0x1', message: 'revoked' },
  { status: '0x2', message: 'suspended' },
]);

/**
 * Builds the unsigned payload of an Urbis credential in either format, with
 * the protocol fields in the clear: issuer, validity, status, holder key and
 * type. The subject claims sit at the top level (`dc+sd-jwt`) or in
 * `credentialSubject` (`vc+sd-jwt`); no subject `id` is written, so no
 * correlatable identifier travels with the credential.
 */
export function buildCredentialPayload({
  format,
  type,
  claims,
  issuerId,
  holderPublicJwk,
  status,
  iat,
  validFrom,
  validUntil,
}: {
  format: SdJwtCredentialFormat;
  type: CredentialTypeDefinition;
  claims: Record<string, unknown>;
  issuerId: string;
  holderPublicJwk: PublicJwk;
  status: { uri: string; index: number };
  iat: number;
  validFrom: number;
  validUntil: number;
}): Record<string, unknown> {
  const cnf = { jwk: { kty: 'EC', crv: 'P-256', x: holderPublicJwk.x, y: holderPublicJwk.y } };
  if (format === 'dc+sd-jwt') {
    return {
      iss: issuerId,
      iat,
      nbf: validFrom,
      exp: validUntil,
      vct: type.vct,
      cnf,
      status: { status_list: { idx: status.index, uri: status.uri } },
      ...claims,
    };
  }
  return {
    '@context': [VCDM2_CONTEXT, URBIS_CONTEXT],
    type: [...type.vcType],
    issuer: issuerId,
    iat,
    nbf: validFrom,
    exp: validUntil,
    validFrom: isoSeconds(validFrom),
    validUntil: isoSeconds(validUntil),
    credentialSubject: { ...claims },
    credentialStatus: {
      id: `${status.uri}#${status.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: String(status.index),
      statusListCredential: status.uri,
      statusSize: 2,
      statusMessage: URBIS_STATUS_MESSAGES,
    },
    cnf,
  };
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
