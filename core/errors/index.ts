export {
  UrbisError,
  isUrbisError,
  type CredentialErrorCode,
  type InputErrorCode,
  type JoseErrorCode,
  type JwtVcErrorCode,
  type KeyBindingErrorCode,
  type KeyErrorCode,
  type SdJwtErrorCode,
  type StatusErrorCode,
  type TrustErrorCode,
  type UrbisErrorCode,
} from './urbis-error.js';
