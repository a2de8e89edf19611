import type { JwtVcFailure } from './jwt-vc-port.js';

const DID = /^did:([a-z0-9]+):([A-Za-z0-9._%:-]+)$/;

/** Multibase (base58btc) prefix of a did:key for a P-256 public key (multicodec 0x1200, compressed). */
const P256_DID_KEY_PREFIX = 'zDn';

/**
 * Checks the issuer DID of a JWT VC before any resolution, from the string
 * only: a plain DID without path, query or fragment (`DID_INVALID`), of a
 * method the verifier resolves locally (`DID_METHOD_UNSUPPORTED`; default
 * `['key']`), a did:key for a P-256 key since only ES256 is allowed
 * (`DID_KEY_UNSUPPORTED`), and, when `trustedIssuers` is given, one of them
 * (`ISSUER_UNTRUSTED`).
 *
 * @returns the first failure, or `undefined`.
 *
 * @example
 * ```ts
 * checkJwtVcIssuer({ issuer: 'did:web:city.example' }); // DID_METHOD_UNSUPPORTED
 * ```
 */
export function checkJwtVcIssuer({
  issuer,
  didMethods = ['key'],
  trustedIssuers,
}: {
  issuer: string;
  didMethods?: readonly string[];
  trustedIssuers?: readonly string[];
}): JwtVcFailure | undefined {
  const match = DID.exec(issuer);
  if (match === null) return { check: 'issuer', code: 'DID_INVALID', detail: 'iss is not a plain DID' };
  const [, method, id] = match as unknown as [string, string, string];
  if (!didMethods.includes(method)) {
    return { check: 'issuer', code: 'DID_METHOD_UNSUPPORTED', detail: 'issuer DID method is not resolved by this verifier' };
  }
  if (method === 'key' && !id.startsWith(P256_DID_KEY_PREFIX)) {
    return { check: 'issuer', code: 'DID_KEY_UNSUPPORTED', detail: 'issuer did:key is not a P-256 key' };
  }
  if (trustedIssuers !== undefined && !trustedIssuers.includes(issuer)) {
    return { check: 'trust', code: 'ISSUER_UNTRUSTED', detail: 'issuer is not in the trusted issuers' };
  }
  return undefined;
}
