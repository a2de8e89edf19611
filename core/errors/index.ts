export {
  UrbisError,
  isUrbisError,
  type ChainErrorCode,
  type CredentialErrorCode,
  type InputErrorCode,
  type JoseErrorCode,
  type JwtVcErrorCode,
  type KeyBindingErrorCode,
  type KeyErrorCode,
  type SdJwtErrorCode,
  type SnapshotErrorCode,
  type StatusErrorCode,
  type TrustErrorCode,
  type UrbisErrorCode,
  type RequestErrorCode,
  type IssuerErrorCode,
  type Oid4vciErrorCode,
  type WalletErrorCode,
  type PolicyErrorCode,
} from './urbis-error.js';
export { URBIS_ERROR_CODES, isUrbisErrorCode } from './urbis-error-codes.js';
export { PROBLEM_TYPE_BASE, problemTitle, problemType, type ProblemCode } from './problem-type.js';
