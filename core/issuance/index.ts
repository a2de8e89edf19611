export { buildCopyFields, buildCredentialPayload, URBIS_CONTEXT } from './credential-payload.js';
export { padToClaimSlots } from './decoy-padding.js';
export { disclosureFrameFor } from './disclosure-frame.js';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_IAT_GRANULARITY_SECONDS,
  issueCredential,
  issueCredentialBatch,
  type CopySpec,
  type CredentialSpec,
} from './issue-credential.js';
