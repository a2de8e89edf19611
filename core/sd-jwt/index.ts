export { splitSdJwt, type SdJwtParts } from './compact-sd-jwt.js';
export { decodeSdJwt, DEFAULT_MAX_SD_JWT_BYTES, type DecodedSdJwt } from './decode-sd-jwt.js';
export { createDisclosure, decodeDisclosure, disclosureDigest, FORBIDDEN_CLAIM_NAMES, type Disclosure } from './disclosure.js';
export { issueSdJwt } from './issue-sd-jwt.js';
export { computeSdHash, createKeyBindingJwt } from './key-binding-jwt.js';
export { MAX_DECOYS_PER_LEVEL, packClaims, SALT_BYTES, type DisclosureFrame, type PackedClaims } from './pack-claims.js';
export { presentSdJwt } from './present-sd-jwt.js';
export {
  processSdJwtPayload,
  type DigestedDisclosure,
  type PayloadPath,
  type ProcessedPayload,
  type ProcessingProblem,
} from './process-payload.js';
export { compileSdJwtTemplate, TEMPLATE_SALT_BYTES, type SdJwtTemplate } from './sd-jwt-template.js';
export { selectDisclosures } from './select-disclosures.js';
