/**
 * A service id as the catalogue and the credentials spell it: a slug of 1 to
 * 63 lowercase letters, digits and dashes, starting with a letter or digit
 * (the pattern of core's pseudonym derivation and the issuer's catalogue).
 * No spaces, capitals, dots, `@` or `_`: a name, an e-mail address or a
 * base64url pseudonym does not fit, so a terminal cannot file personal data
 * under a "service".
 */
export const SERVICE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Whether `value` is a service id.
 *
 * @example
 * ```ts
 * isServiceId('pools'); // true
 * isServiceId('ana.garcia@example.org'); // false
 * ```
 */
export function isServiceId(value: unknown): value is string {
  return typeof value === 'string' && SERVICE_ID_PATTERN.test(value);
}
