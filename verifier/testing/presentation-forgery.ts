import { base64urlEncode } from '../../core/encoding/base64url.js';
import { decodeCompactJws, signCompactJws } from '../../core/jose/compact-jws.js';
import { createKeyBindingJwt } from '../../core/sd-jwt/key-binding-jwt.js';
import type { CredentialKit } from '../../core/test-kit/credential-kit.js';
import type { FixtureHolder } from './terminal-fixture.js';

/**
 * The forgery techniques of core's verifier tests
 * (core/verification/verify-presentation.test.ts), as small helpers a
 * terminal's negative suite can use with a request's nonce and the
 * terminal's id. Copied, not imported: a test file is no library. Test
 * support only.
 */

/**
 * Re-signs a credential's issuer JWT with the kit issuer's key after changing
 * its header or payload (what a malicious or buggy issuer would do), keeping
 * its disclosures (or `disclosures`).
 *
 * @example
 * ```ts
 * const forged = await reissue({ kit, credential, header: (h) => void (h.typ = 'JWT') });
 * ```
 */
export async function reissue({
  kit,
  credential,
  header: changeHeader,
  payload: changePayload,
  disclosures,
}: {
  kit: CredentialKit;
  credential: string;
  header?: (header: Record<string, unknown>) => void;
  payload?: (payload: Record<string, unknown>) => void;
  disclosures?: string[];
}): Promise<string> {
  const [jwt, ...rest] = credential.split('~');
  const { header, payload } = decodeCompactJws(jwt!);
  changeHeader?.(header);
  changePayload?.(payload);
  const { alg: _alg, ...headerWithoutAlg } = header;
  const signed = await signCompactJws({ header: headerWithoutAlg, payload, signingKey: kit.issuer.signingKey });
  const kept = disclosures ?? rest.filter((d) => d !== '');
  return `${signed}~${kept.map((d) => `${d}~`).join('')}`;
}

/**
 * Appends a KB-JWT to an SD-JWT exactly as given (no selection, no checks),
 * signed by `holder`, with `overrides` written over its payload.
 *
 * @example
 * ```ts
 * const presentation = await bindKeyBinding({ kit, sdJwt, holder, nonce, audience: terminalId, iat: now, overrides: { aud: [terminalId] } });
 * ```
 */
export async function bindKeyBinding({
  kit,
  sdJwt,
  holder,
  nonce,
  audience,
  iat,
  overrides = {},
}: {
  kit: CredentialKit;
  sdJwt: string;
  holder: FixtureHolder;
  nonce: string;
  audience: string;
  iat: number;
  overrides?: Record<string, unknown>;
}): Promise<string> {
  const kb = await createKeyBindingJwt({ sdJwt, nonce, aud: audience, iat, holderKey: holder.signingKey, hash: kit.crypto.hash });
  if (Object.keys(overrides).length === 0) return sdJwt + kb;
  const { header, payload } = decodeCompactJws(kb);
  Object.assign(payload, overrides);
  const { alg: _alg, ...rest } = header;
  return sdJwt + (await signCompactJws({ header: rest, payload, signingKey: holder.signingKey }));
}

/**
 * The SD-JWT of a presentation: everything up to and including the last `~` (the KB-JWT dropped).
 *
 * @example
 * ```ts
 * const unbound = withoutKeyBinding(presentation); // 'eyJ…~WyJ…~'
 * ```
 */
export function withoutKeyBinding(presentation: string): string {
  return presentation.slice(0, presentation.lastIndexOf('~') + 1);
}

/**
 * The `_sd` digest of an encoded disclosure (sha-256, base64url).
 *
 * @example
 * ```ts
 * payload._sd.push(disclosureDigestOf({ kit, disclosure: ghost }));
 * ```
 */
export function disclosureDigestOf({ kit, disclosure }: { kit: CredentialKit; disclosure: string }): string {
  return base64urlEncode(kit.crypto.hash(disclosure, 'sha-256'));
}
