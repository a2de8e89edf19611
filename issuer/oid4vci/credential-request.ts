import { UrbisError } from '../../core/errors/urbis-error.js';

/** A validated Credential Request (OID4VCI 1.0 §8.2). */
export interface CredentialRequest {
  /** The requested Credential Configuration (not yet checked against the catalogue). */
  credentialConfigurationId: string;
  /** The `jwt` key proofs, in request order: one one-time copy per proof. */
  proofJwts: string[];
}

/**
 * Validates the parsed JSON body of a Credential Request (OID4VCI 1.0 §8.2)
 * for a batch of one-time copies:
 *
 * - exactly one of `credential_configuration_id` / `credential_identifier`.
 *   The issuer returns no `authorization_details` from its Token Endpoint,
 *   so it never hands out Credential Identifiers: `credential_identifier`
 *   is refused (`CREDENTIAL_REQUEST_INVALID`).
 * - `proofs` is required (the issuer requires holder binding). A missing
 *   `proofs` is `PROOF_INVALID` (§8.3.1.2 lists it under `invalid_proof`).
 * - `proofs` is an object with exactly one proof type, `jwt`, whose value is
 *   a non-empty array of strings; at most `maxBatch` of them
 *   (`BATCH_SIZE_INVALID` beyond). The pre-1.0 single `proof` object is
 *   refused, with or without `proofs`.
 * - `credential_response_encryption` is refused: the metadata offers no
 *   encryption, and answering in the clear would ignore the wallet's ask.
 *
 * Unknown members are ignored (§8.2). Whether the configuration exists, and
 * whether the access token covers it, is for the caller to check
 * (`parseCredentialConfigurationId`, its token store); the proofs themselves
 * are checked by `verifyProofJwts`.
 *
 * @throws UrbisError `CREDENTIAL_REQUEST_INVALID`, `PROOF_INVALID`, `BATCH_SIZE_INVALID`
 *
 * @example
 * ```ts
 * const { credentialConfigurationId, proofJwts } = parseCredentialRequest(req.body, { maxBatch: 10 });
 * ```
 */
export function parseCredentialRequest(body: unknown, { maxBatch }: { maxBatch: number }): CredentialRequest {
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new UrbisError('INVALID_ARGUMENT', 'maxBatch is a positive integer');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'the credential request is a JSON object');
  }
  const request = body as Record<string, unknown>;
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(request, name) && request[name] !== undefined;

  if (has('credential_identifier')) {
    throw new UrbisError(
      'CREDENTIAL_REQUEST_INVALID',
      has('credential_configuration_id')
        ? 'credential_identifier and credential_configuration_id are mutually exclusive'
        : 'credential identifiers are not issued: use credential_configuration_id',
    );
  }
  const credentialConfigurationId = request.credential_configuration_id;
  if (typeof credentialConfigurationId !== 'string' || credentialConfigurationId === '') {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'credential_configuration_id must be a non-empty string');
  }
  if (has('proof')) {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'the single proof parameter is not supported: use proofs');
  }
  if (has('credential_response_encryption')) {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'credential response encryption is not supported');
  }
  if (!has('proofs')) throw new UrbisError('PROOF_INVALID', 'proofs is required');

  const proofs = request.proofs;
  if (typeof proofs !== 'object' || proofs === null || Array.isArray(proofs)) {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'proofs must be an object');
  }
  const proofTypes = Object.keys(proofs);
  if (proofTypes.length !== 1 || proofTypes[0] !== 'jwt') {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'proofs must hold exactly one proof type, jwt');
  }
  const jwts: unknown = (proofs as Record<string, unknown>).jwt;
  if (!Array.isArray(jwts) || jwts.length === 0) {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'proofs.jwt must be a non-empty array');
  }
  if (jwts.length > maxBatch) throw new UrbisError('BATCH_SIZE_INVALID', `at most ${maxBatch} proofs per request`);
  if (!jwts.every((jwt): jwt is string => typeof jwt === 'string' && jwt !== '')) {
    throw new UrbisError('CREDENTIAL_REQUEST_INVALID', 'every proofs.jwt entry must be a non-empty string');
  }
  return { credentialConfigurationId, proofJwts: [...jwts] };
}
