import { UrbisError } from '../errors/urbis-error.js';

/**
 * DID and DID URL syntax (W3C DID Core 1.0 §3.1, §3.2), checked before any
 * method-specific work. Error messages never echo the DID: a holder's
 * `did:jwk` or `did:key` identifies a person.
 */

/** Longest DID (or DID URL) Urbis parses. Longer input is refused before any decoding. */
export const MAX_DID_LENGTH = 2048;

// idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded (DID Core §3.1).
const IDCHAR = '(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})';
const DID_PATTERN = new RegExp(`^did:([a-z0-9]+):((?:${IDCHAR}*:)*${IDCHAR}+)$`);
// fragment = *( pchar / "/" / "?" ) (RFC 3986 §3.5), non-empty here.
const FRAGMENT_PATTERN = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})+$/;

/** A DID split into its parts. */
export interface ParsedDid {
  did: string;
  /** The method name, e.g. `jwk`, `key`, `web`. */
  method: string;
  /** Everything after `did:<method>:`. */
  methodSpecificId: string;
}

/**
 * Checks the DID Core §3.1 syntax of a DID (no path, query or fragment) and
 * splits it.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` above {@link MAX_DID_LENGTH} characters;
 *   `DID_INVALID` when it is not a string with valid DID syntax.
 *
 * @example
 * ```ts
 * parseDid('did:web:city.example'); // { did, method: 'web', methodSpecificId: 'city.example' }
 * ```
 */
export function parseDid(did: unknown): ParsedDid {
  if (typeof did !== 'string') throw new UrbisError('DID_INVALID', 'a DID must be a string');
  if (did.length > MAX_DID_LENGTH) throw new UrbisError('INPUT_TOO_LARGE', 'the DID is too long');
  const match = DID_PATTERN.exec(did);
  if (match === null) throw new UrbisError('DID_INVALID', 'not a syntactically valid DID');
  return { did, method: match[1]!, methodSpecificId: match[2]! };
}

/** A DID URL of the form `<did>` or `<did>#<fragment>`. */
export interface ParsedDidUrl {
  did: string;
  /** The fragment without `#`, when there is one. */
  fragment?: string;
}

/**
 * Splits a DID URL (DID Core §3.2) into its DID and fragment. Urbis only
 * uses DID URLs to name verification methods, so paths and queries are
 * refused.
 *
 * @throws UrbisError `INPUT_TOO_LARGE`; `DID_INVALID` on bad DID syntax, a
 *   path or query, or an empty or malformed fragment.
 *
 * @example
 * ```ts
 * splitDidUrl('did:web:city.example#key-1'); // { did: 'did:web:city.example', fragment: 'key-1' }
 * ```
 */
export function splitDidUrl(didUrl: unknown): ParsedDidUrl {
  if (typeof didUrl !== 'string') throw new UrbisError('DID_INVALID', 'a DID URL must be a string');
  if (didUrl.length > MAX_DID_LENGTH) throw new UrbisError('INPUT_TOO_LARGE', 'the DID URL is too long');
  const hash = didUrl.indexOf('#');
  if (hash < 0) return { did: parseDid(didUrl).did };
  const { did } = parseDid(didUrl.slice(0, hash));
  const fragment = didUrl.slice(hash + 1);
  if (!isDidUrlFragment(fragment)) throw new UrbisError('DID_INVALID', 'the DID URL fragment is empty or malformed');
  return { did, fragment };
}

/** Whether a string is a non-empty RFC 3986 fragment (without the `#`). */
export function isDidUrlFragment(fragment: string): boolean {
  return fragment.length <= MAX_DID_LENGTH && FRAGMENT_PATTERN.test(fragment);
}
