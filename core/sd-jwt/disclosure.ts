import type { HashAlgorithm, Hasher } from '../crypto/ports.js';
import { base64urlDecodeString, base64urlEncode, base64urlEncodeString } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';

/**
 * A decoded Disclosure (RFC 9901 §4.2): `[salt, name, value]` for an object
 * property, `[salt, value]` for an array element. `encoded` is the exact
 * base64url text it came from; its digest is taken over that text.
 */
export interface Disclosure {
  salt: string;
  /** Claim name, absent for an array element. */
  name?: string;
  value: unknown;
  encoded: string;
}

/** Claim names a Disclosure may never carry (RFC 9901 §4.2.1). */
export const FORBIDDEN_CLAIM_NAMES: ReadonlySet<string> = new Set(['_sd', '...']);

/**
 * Creates a Disclosure for an object property or, without `name`, an array element.
 *
 * @example
 * ```ts
 * createDisclosure({ salt: '_26bc4LT-ac6q2KI6cBW5es', name: 'family_name', value: 'Möbius' }).encoded
 * // RFC 9901 §4.2.1 uses spaces after commas; Urbis writes compact JSON.
 * ```
 */
export function createDisclosure({ salt, name, value }: { salt: string; name?: string; value: unknown }): Disclosure {
  if (name !== undefined && FORBIDDEN_CLAIM_NAMES.has(name)) {
    throw new UrbisError('CLAIM_NAME_FORBIDDEN', 'a disclosed claim may not be named "_sd" or "..."');
  }
  const array = name === undefined ? [salt, value] : [salt, name, value];
  const disclosure: Disclosure = { salt, value, encoded: base64urlEncodeString(JSON.stringify(array)) };
  if (name !== undefined) disclosure.name = name;
  return disclosure;
}

/**
 * Decodes one Disclosure.
 *
 * @throws UrbisError `DISCLOSURE_MALFORMED` (not base64url JSON array, salt or
 *   name not a string), `DISCLOSURE_ARITY` (not 2 or 3 elements),
 *   `CLAIM_NAME_FORBIDDEN` (`_sd` or `...` as claim name).
 */
export function decodeDisclosure(encoded: string): Disclosure {
  let array: unknown;
  try {
    array = JSON.parse(base64urlDecodeString(encoded));
  } catch (cause) {
    throw new UrbisError('DISCLOSURE_MALFORMED', 'a disclosure is not base64url-encoded JSON', { cause });
  }
  if (!Array.isArray(array)) throw new UrbisError('DISCLOSURE_MALFORMED', 'a disclosure is not a JSON array');
  if (array.length !== 2 && array.length !== 3) {
    throw new UrbisError('DISCLOSURE_ARITY', 'a disclosure has 2 (array element) or 3 (property) elements');
  }
  const salt = array[0];
  if (typeof salt !== 'string') throw new UrbisError('DISCLOSURE_MALFORMED', 'a disclosure salt must be a string');
  if (array.length === 2) return { salt, value: array[1], encoded };
  const name = array[1];
  if (typeof name !== 'string') throw new UrbisError('DISCLOSURE_MALFORMED', 'a disclosure claim name must be a string');
  if (FORBIDDEN_CLAIM_NAMES.has(name)) {
    throw new UrbisError('CLAIM_NAME_FORBIDDEN', 'a disclosed claim may not be named "_sd" or "..."');
  }
  return { salt, name, value: array[2], encoded };
}

/**
 * The digest of a Disclosure: base64url(hash(ASCII(encoded))) (RFC 9901 §4.2.3).
 *
 * @example
 * ```ts
 * await disclosureDigest({ encoded: 'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0', hash, alg: 'sha-256' })
 * // 'X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0'
 * ```
 */
export async function disclosureDigest({
  encoded,
  hash,
  alg,
}: {
  encoded: string;
  hash: Hasher;
  alg: HashAlgorithm;
}): Promise<string> {
  return base64urlEncode(await hash(encoded, alg));
}
