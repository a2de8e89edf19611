import { UrbisError } from '../errors/urbis-error.js';

/** The parts of an SD-JWT or SD-JWT+KB in compact form (RFC 9901 §4). */
export interface SdJwtParts {
  issuerJwt: string;
  disclosures: string[];
  /** The KB-JWT, when the last part is one. */
  kbJwt?: string;
  /** Everything up to and including the last `~`: the input of `sd_hash` (RFC 9901 §4.3.1). */
  sdJwt: string;
}

/**
 * Splits a compact SD-JWT (`<JWT>~<D1>~...~<Dn>~`) or SD-JWT+KB
 * (`<JWT>~<D1>~...~<Dn>~<KB-JWT>`) into its parts, after a size check.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` above `maxBytes` (checked before any
 *   parsing); `SD_JWT_MISSING_TILDE` when there is no `~` or when the last part
 *   is a disclosure rather than a KB-JWT (the trailing `~` is missing);
 *   `DISCLOSURE_MALFORMED` on an empty disclosure (`~~`).
 */
export function splitSdJwt(compact: string, { maxBytes }: { maxBytes: number }): SdJwtParts {
  // UTF-16 length is a lower bound of UTF-8 bytes; refuse on length first,
  // then on the exact byte length only when it could matter.
  if (compact.length > maxBytes || (compact.length * 3 > maxBytes && new TextEncoder().encode(compact).length > maxBytes)) {
    throw new UrbisError('INPUT_TOO_LARGE', `an SD-JWT is limited to ${maxBytes} bytes`);
  }
  const parts = compact.split('~');
  if (parts.length < 2) {
    throw new UrbisError('SD_JWT_MISSING_TILDE', 'an SD-JWT has at least one "~" separator');
  }
  const issuerJwt = parts[0]!;
  const last = parts[parts.length - 1]!;
  const disclosures = parts.slice(1, -1);
  let kbJwt: string | undefined;
  if (last !== '') {
    const firstDot = last.indexOf('.');
    const secondDot = firstDot < 0 ? -1 : last.indexOf('.', firstDot + 1);
    if (secondDot < 0 || last.indexOf('.', secondDot + 1) !== -1) {
      // The last part is not a JWS: a disclosure without the trailing '~'.
      throw new UrbisError('SD_JWT_MISSING_TILDE', 'an SD-JWT without key binding ends with "~"');
    }
    kbJwt = last;
  }
  for (const disclosure of disclosures) {
    if (disclosure === '') throw new UrbisError('DISCLOSURE_MALFORMED', 'an SD-JWT has an empty disclosure ("~~")');
  }
  const sdJwt = kbJwt === undefined ? compact : compact.slice(0, compact.length - kbJwt.length);
  const result: SdJwtParts = { issuerJwt, disclosures, sdJwt };
  if (kbJwt !== undefined) result.kbJwt = kbJwt;
  return result;
}
