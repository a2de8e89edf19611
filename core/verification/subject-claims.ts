import type { SdJwtCredentialFormat } from './verification-result.js';

/** Protocol fields of an IETF SD-JWT VC payload: everything else is a subject claim. */
const DC_SD_JWT_PROTOCOL_FIELDS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'iat',
  'nbf',
  'exp',
  'cnf',
  'vct',
  'vct#integrity',
  'status',
  'jti',
]);

/**
 * The subject claims of a processed credential payload: `credentialSubject`
 * (without its `id`) for `vc+sd-jwt`; the payload minus protocol fields for
 * `dc+sd-jwt`.
 */
export function subjectClaimsOf({
  claims,
  format,
}: {
  claims: Record<string, unknown>;
  format: SdJwtCredentialFormat;
}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (format === 'vc+sd-jwt') {
    const subject = claims.credentialSubject;
    if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) return out;
    for (const [key, value] of Object.entries(subject)) if (key !== 'id') define(out, key, value);
    return out;
  }
  for (const [key, value] of Object.entries(claims)) if (!DC_SD_JWT_PROTOCOL_FIELDS.has(key)) define(out, key, value);
  return out;
}

/** Plain assignment, except for `__proto__`, whose setter would replace the prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
