import { validateClaims } from '../../credentials/validate-claims.js';
import { isUrbisError } from '../../errors/urbis-error.js';
import type { PresentationPolicy } from '../presentation-context.js';
import { subjectClaimsOf } from '../subject-claims.js';

/**
 * The disclosed subject claims must match the credential type's JSON Schema
 * (presentation mode: any subset, but no unknown claim and no wrong type).
 */
export const schemaPolicy: PresentationPolicy = (context) => {
  if (context.credentialType === undefined || context.processed === undefined || context.format === undefined) return [];
  try {
    context.subjectClaims ??= subjectClaimsOf({ claims: context.processed.claims, format: context.format });
    validateClaims({ type: context.credentialType.name, claims: context.subjectClaims, mode: 'presentation' });
    return [];
  } catch (error) {
    if (!isUrbisError(error)) throw error;
    return [{ check: 'schema', code: error.code, detail: error.message }];
  }
};
