export { presentCredential } from './present-credential.js';
export {
  COMPACT_PRESENTATION_MAGIC,
  MAX_COMPACT_EXPANDED_BYTES,
  decodeCompactPresentation,
  encodeCompactPresentation,
  isCompactPresentation,
} from './compact-presentation.js';
