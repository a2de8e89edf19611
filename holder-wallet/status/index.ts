/** Status awareness (issue 5, point 8): the wallet's own copies against the published status lists. Re-exports only. */
export { checkCredentialStatus, type CredentialStatusReport, type StatusCheck, type StatusListFailure } from './check-credential-status.js';
