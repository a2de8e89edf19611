export { presentCredential } from './present-credential.js';
