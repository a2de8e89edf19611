import type { Hasher, PublicJwk, SignatureVerifier, SigningKey } from '../../core/crypto/ports.js';
import { base64urlEncode } from '../../core/encoding/base64url.js';
import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { checkJoseHeader, decodeCompactJws, ES256_SIGNATURE_BYTES, signCompactJws } from '../../core/jose/compact-jws.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import type { SnapshotFrame } from './snapshot-format.js';

/**
 * The snapshot's signature trailer: a compact JWS (ES256) whose header is
 * `{ alg: 'ES256', typ: 'urbis-snapshot+jwt', kid }` and whose payload is
 * `{ sha256: BASE64URL(SHA-256(body)), iat }`. The signature thus covers the
 * digest of the whole body (framing, header and every list payload), and the
 * JWS form reuses the JOSE checks (no `none`, no HMAC, no embedded keys).
 *
 * `kid` is the signing key's `kid`, or else its RFC 7638 thumbprint. A
 * terminal is configured with the keys it accepts (`trustedSigners`): a map
 * kid → key, or a list of keys, each matching by its own `kid` member or by
 * its thumbprint.
 */

/** `typ` of the snapshot signature. */
export const SNAPSHOT_JWS_TYP = 'urbis-snapshot+jwt';

/** The snapshot signers a terminal accepts. */
export type TrustedSnapshotSigners = ReadonlyArray<PublicJwk> | ReadonlyMap<string, PublicJwk>;

/** Who signed a verified snapshot. */
export interface SnapshotSigner {
  kid: string;
  publicJwk: PublicJwk;
}

/** The `kid` a key signs snapshots with: its own, or its RFC 7638 thumbprint. */
export async function snapshotSignerKid({ signingKey, hash }: { signingKey: SigningKey; hash: Hasher }): Promise<string> {
  return signingKey.kid ?? (await calculateJwkThumbprint({ publicJwk: signingKey.publicJwk, hash }));
}

/**
 * Signs the SHA-256 of a snapshot body.
 * @throws UrbisError `ALG_NOT_ALLOWED` for a key that is not ES256.
 */
export async function signSnapshotBody({
  body,
  signingKey,
  hash,
  iat,
}: {
  body: Uint8Array;
  signingKey: SigningKey;
  hash: Hasher;
  /** Epoch seconds. */
  iat: number;
}): Promise<string> {
  if (signingKey.alg !== 'ES256') throw new UrbisError('ALG_NOT_ALLOWED', 'snapshots are signed with ES256 only');
  const kid = await snapshotSignerKid({ signingKey, hash });
  const sha256 = base64urlEncode(await hash(body, 'sha-256'));
  return signCompactJws({ header: { alg: 'ES256', typ: SNAPSHOT_JWS_TYP, kid }, payload: { sha256, iat }, signingKey });
}

/**
 * Verifies a frame's signature trailer against the configured signers and
 * the body's digest.
 *
 * @throws UrbisError `SNAPSHOT_MALFORMED` (the trailer is not a compact JWS
 *   of the right `typ`), `SNAPSHOT_SIGNER_UNKNOWN` (no `kid`, or a `kid` no
 *   configured signer has), `SNAPSHOT_SIGNATURE_INVALID` (a refused
 *   algorithm or header, a signature that does not verify, or a digest that
 *   is not the body's).
 */
export async function verifySnapshotSignature({
  frame,
  trustedSigners,
  hash,
  verifySignature,
}: {
  frame: SnapshotFrame;
  trustedSigners: TrustedSnapshotSigners;
  hash: Hasher;
  verifySignature: SignatureVerifier;
}): Promise<SnapshotSigner> {
  let jws: ReturnType<typeof decodeCompactJws>;
  try {
    jws = decodeCompactJws(frame.signature);
  } catch (cause) {
    throw new UrbisError('SNAPSHOT_MALFORMED', 'the snapshot signature is not a compact JWS', { cause });
  }
  const problems = checkJoseHeader({ header: jws.header, allowedAlgs: ['ES256'], expectedTyp: [SNAPSHOT_JWS_TYP] });
  const refused = problems.find((p) => p.code !== 'TYP_INVALID');
  if (refused !== undefined) throw new UrbisError('SNAPSHOT_SIGNATURE_INVALID', `snapshot signature: ${refused.detail}`);
  if (problems.length > 0) throw new UrbisError('SNAPSHOT_MALFORMED', 'the snapshot signature has the wrong typ');
  const kid = jws.header.kid;
  if (typeof kid !== 'string' || kid.length === 0) throw new UrbisError('SNAPSHOT_SIGNER_UNKNOWN', 'the snapshot signature names no key');
  const publicJwk = await findSigner({ kid, trustedSigners, hash });
  if (publicJwk === undefined) throw new UrbisError('SNAPSHOT_SIGNER_UNKNOWN', 'the snapshot is signed by a key this terminal does not accept');
  let valid: boolean;
  try {
    valid = jws.signature.length === ES256_SIGNATURE_BYTES && (await verifySignature({ alg: 'ES256', publicJwk, signingInput: jws.signingInput, signature: jws.signature }));
  } catch (cause) {
    if (isUrbisError(cause, 'KEY_INVALID')) throw new UrbisError('INVALID_ARGUMENT', 'a configured snapshot signer key is not a valid P-256 key', { cause });
    throw cause;
  }
  if (!valid) throw new UrbisError('SNAPSHOT_SIGNATURE_INVALID', 'the snapshot signature does not verify');
  const digest = base64urlEncode(await hash(frame.body, 'sha-256'));
  if (jws.payload.sha256 !== digest) throw new UrbisError('SNAPSHOT_SIGNATURE_INVALID', 'the snapshot signature does not cover these bytes');
  return { kid, publicJwk };
}

async function findSigner({ kid, trustedSigners, hash }: { kid: string; trustedSigners: TrustedSnapshotSigners; hash: Hasher }): Promise<PublicJwk | undefined> {
  if (trustedSigners instanceof Map) return trustedSigners.get(kid);
  for (const jwk of trustedSigners as ReadonlyArray<PublicJwk>) {
    if (jwk.kid === kid) return jwk;
  }
  for (const jwk of trustedSigners as ReadonlyArray<PublicJwk>) {
    try {
      if ((await calculateJwkThumbprint({ publicJwk: jwk, hash })) === kid) return jwk;
    } catch (cause) {
      throw new UrbisError('INVALID_ARGUMENT', 'a configured snapshot signer key is not a public P-256 JWK', { cause });
    }
  }
  return undefined;
}
