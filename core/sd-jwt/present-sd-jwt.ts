import type { Hasher, SigningKey } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';
import { decodeSdJwt } from './decode-sd-jwt.js';
import { createKeyBindingJwt } from './key-binding-jwt.js';
import type { PayloadPath } from './process-payload.js';
import { selectDisclosures } from './select-disclosures.js';

/**
 * Builds a presentation of an SD-JWT: the issuer JWT, only the disclosures
 * the requested paths need, and — when `keyBinding` is given — a KB-JWT
 * signed with the holder key (RFC 9901 §4.3, §7.2).
 *
 * @throws UrbisError `DISCLOSURE_NOT_AVAILABLE` for a path not in the
 *   credential, or any decoding error of the SD-JWT.
 */
export async function presentSdJwt({
  sdJwt,
  paths,
  keyBinding,
  hash,
}: {
  /** The SD-JWT as issued (ending with `~`). */
  sdJwt: string;
  paths: readonly PayloadPath[];
  keyBinding?: { nonce: string; aud: string; iat: number; holderKey: SigningKey };
  hash: Hasher;
}): Promise<string> {
  const decoded = await decodeSdJwt({ compact: sdJwt, hash });
  if (decoded.parts.kbJwt !== undefined) {
    throw new UrbisError('INVALID_ARGUMENT', 'present an SD-JWT as issued, not an SD-JWT+KB');
  }
  const chosen = selectDisclosures({ decoded, paths });
  let presented = `${decoded.parts.issuerJwt}~`;
  for (const disclosure of chosen) presented += `${disclosure}~`;
  if (keyBinding === undefined) return presented;
  return presented + (await createKeyBindingJwt({ sdJwt: presented, ...keyBinding, hash }));
}
