import { isError, type Interface } from 'ethers';
import { isUrbisError, UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';

/**
 * Custom errors of the registries and what they mean for Urbis. Decoded from
 * revert data by the contracts' interfaces (error selectors), never from text.
 */
export const CONTRACT_ERROR_CODES: Readonly<Record<string, UrbisErrorCode>> = Object.freeze({
  AccessControlUnauthorizedAccount: 'CHAIN_NOT_AUTHORIZED',
  StatusRegistryUnknownList: 'STATUS_LIST_UNKNOWN',
  StatusRegistryIndexOutOfRange: 'STATUS_INDEX_OUT_OF_RANGE',
  StatusRegistryRevocationIsFinal: 'STATUS_TRANSITION_FORBIDDEN',
  StatusRegistrySequenceMismatch: 'STATUS_SEQUENCE_CONFLICT',
  StatusRegistryListTooSmall: 'STATUS_LIST_TOO_SMALL',
  StatusRegistryListTooLarge: 'STATUS_LIST_TOO_LARGE',
  StatusRegistryWordOutOfRange: 'STATUS_INDEX_OUT_OF_RANGE',
  StatusRegistryReservedStatus: 'INVALID_ARGUMENT',
  StatusRegistryMalformedDeltas: 'INVALID_ARGUMENT',
  StatusRegistryReadTooLarge: 'INVALID_ARGUMENT',
  StatusRegistryZeroOwner: 'INVALID_ARGUMENT',
  // Raised by grantRole for a role that is not a registry role or an existing list's writer role.
  StatusRegistryUnknownRole: 'STATUS_LIST_UNKNOWN',
  TrustedIssuerRegistryNotMember: 'CHAIN_NOT_AUTHORIZED',
  TrustedIssuerRegistryNotController: 'CHAIN_NOT_AUTHORIZED',
  TrustedIssuerRegistryUnknownIssuer: 'ISSUER_UNTRUSTED',
  TrustedIssuerRegistryIssuerSuspended: 'ISSUER_SUSPENDED',
  TrustedIssuerRegistryIssuerNotSuspended: 'STATE_CONFLICT',
  TrustedIssuerRegistryIssuerAlreadyAccredited: 'STATE_CONFLICT',
  TrustedIssuerRegistryUnknownProposal: 'RESOURCE_NOT_FOUND',
  TrustedIssuerRegistryProposalAlreadyExecuted: 'STATE_CONFLICT',
  TrustedIssuerRegistryAlreadyApproved: 'STATE_CONFLICT',
  TrustedIssuerRegistryNotEnoughApprovals: 'STATE_CONFLICT',
  TrustedIssuerRegistryAlreadyMember: 'STATE_CONFLICT',
  TrustedIssuerRegistryUnknownMember: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryControllerNotMember: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryThresholdOutOfRange: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryTooManyMembers: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryZeroAddress: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryInvalidDid: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryInvalidKeys: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryInvalidCredentialTypes: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryInvalidValidity: 'INVALID_ARGUMENT',
  TrustedIssuerRegistryMalformedProposal: 'INVALID_ARGUMENT',
});

/**
 * Maps an ethers error to an `UrbisError` by its structured fields: ethers'
 * `code` (`TIMEOUT`, `NETWORK_ERROR`, `CALL_EXCEPTION`, ...), the decoded
 * custom error name (`error.revert.name`), or Node's socket error code.
 */
export function toChainError(error: unknown, context: string, { errors }: { errors?: Interface } = {}): UrbisError {
  if (isUrbisError(error)) return error;
  if (isError(error, 'CALL_EXCEPTION')) {
    // ethers decodes custom errors on calls but not on a signer's gas
    // estimate (`revert` is null there): decode the revert data ourselves.
    let name = error.revert?.name;
    if (name === undefined && errors !== undefined && typeof error.data === 'string' && error.data.length >= 10) {
      name = errors.parseError(error.data)?.name;
    }
    const mapped = name !== undefined ? CONTRACT_ERROR_CODES[name] : undefined;
    return new UrbisError(mapped ?? 'CHAIN_TX_REVERTED', `${context}: the contract refused${name ? ` (${name})` : ''}`, { cause: error });
  }
  if (isError(error, 'TIMEOUT') || isError(error, 'NETWORK_ERROR') || isError(error, 'SERVER_ERROR') || socketError(error)) {
    return new UrbisError('CHAIN_UNREACHABLE', `${context}: the chain is unreachable`, { cause: error });
  }
  if (isError(error, 'UNKNOWN_ERROR') && socketError((error as { error?: unknown }).error)) {
    return new UrbisError('CHAIN_UNREACHABLE', `${context}: the chain is unreachable`, { cause: error });
  }
  return new UrbisError('CHAIN_TX_REVERTED', `${context}: the chain refused the request`, { cause: error });
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

function socketError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
