import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * The nonce of a terminal request, read from its link (`openid4vp://?…&nonce=…`)
 * as the wallet reads it from the QR. Test support.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when the link carries no nonce.
 * @example
 * ```ts
 * const request = await terminal.newRequest({ serviceId: 'pools' });
 * const nonce = requestNonceOf(request);
 * ```
 */
export function requestNonceOf({ link }: { link: string }): string {
  const nonce = new URLSearchParams(link.slice(link.indexOf('?') + 1)).get('nonce');
  if (nonce === null || nonce.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'the request link carries no nonce');
  return nonce;
}
