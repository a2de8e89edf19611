/** Secrets at rest and in transit for the issuer: random tokens, password hashing, sealed values. Re-exports only. */
export { SECRET_TOKEN_BYTES, constantTimeEqual, hashSecret, newSecretToken } from './secret-token.js';
export {
  DEFAULT_PASSWORD_COST,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  checkPasswordPolicy,
  hashPassword,
  hashPin,
  verifyPassword,
  verifyPin,
  type ScryptCost,
} from './password-hash.js';
export { SEALED_BOX_KEY_BYTES, open, parseKey32, seal } from './sealed-box.js';
