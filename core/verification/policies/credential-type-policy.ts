import { credentialTypeByVct, credentialTypeFromVcType } from '../../credentials/credential-types.js';
import { isUrbisError } from '../../errors/urbis-error.js';
import type { PresentationPolicy } from '../presentation-context.js';
import type { VerificationFailure } from '../verification-result.js';

/** The VCDM 2.0 base context, first in every `vc+sd-jwt` `@context`. */
export const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/**
 * Which format and Urbis credential type this is, and who issued it, read
 * from the issuer-signed payload only (these fields are never disclosable):
 * `typ: dc+sd-jwt` → `vct` and `iss`; `typ: vc+sd-jwt` → VCDM 2.0 `@context`,
 * `type` and `issuer` (and `iss`, when present, must name the same issuer).
 */
export const credentialTypePolicy: PresentationPolicy = (context) => {
  const failures: VerificationFailure[] = [];
  const { header, payload } = context.issuerJws;
  const fail = (code: VerificationFailure['code'], detail: string): VerificationFailure[] => {
    failures.push({ check: 'credential-type', code, detail });
    return failures;
  };
  if (header.typ === 'dc+sd-jwt') {
    context.format = 'dc+sd-jwt';
    try {
      context.credentialType = credentialTypeByVct(payload.vct as string);
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      fail('CREDENTIAL_TYPE_UNKNOWN', 'vct is absent or not an Urbis credential type');
    }
    if (typeof payload.iss !== 'string' || payload.iss === '') return fail('CLAIM_MISSING', 'iss is required');
    context.issuerId = payload.iss;
    return failures;
  }
  if (header.typ === 'vc+sd-jwt') {
    context.format = 'vc+sd-jwt';
    const contexts = payload['@context'];
    if (!Array.isArray(contexts) || contexts[0] !== VCDM2_CONTEXT) {
      fail('CLAIM_INVALID', '@context must start with the VCDM 2.0 context');
    }
    try {
      context.credentialType = credentialTypeFromVcType(payload.type as string[]);
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      fail('CREDENTIAL_TYPE_UNKNOWN', 'type is absent or names no Urbis credential type');
    }
    const subject = payload.credentialSubject;
    if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) {
      fail('CLAIM_MISSING', 'credentialSubject must be an object');
    }
    const issuer = payload.issuer;
    const issuerId = typeof issuer === 'string' ? issuer : typeof issuer === 'object' && issuer !== null ? (issuer as { id?: unknown }).id : undefined;
    if (typeof issuerId !== 'string' || issuerId === '') return fail('CLAIM_MISSING', 'issuer is required');
    if (payload.iss !== undefined && payload.iss !== issuerId) return fail('CLAIM_INVALID', 'iss and issuer differ');
    context.issuerId = issuerId;
    return failures;
  }
  // A wrong typ is already reported by the header policy; nothing more to tell here.
  return failures;
};
