import { base64urlEncode } from '../encoding/base64url.js';
import type { Base64urlHasher, Hasher, HashAlgorithm, OrPromise } from './ports.js';

/**
 * base64url(hash(ASCII(data))): with the suite's {@link Base64urlHasher}
 * when it has one, else through {@link Hasher} and base64url encoding.
 */
export function digestBase64url(
  crypto: { hash: Hasher; hashBase64url?: Base64urlHasher | undefined },
  data: string,
  alg: HashAlgorithm = 'sha-256',
): OrPromise<string> {
  if (crypto.hashBase64url !== undefined) return crypto.hashBase64url(data, alg);
  const digest = crypto.hash(data, alg);
  return digest instanceof Uint8Array ? base64urlEncode(digest) : digest.then(base64urlEncode);
}
