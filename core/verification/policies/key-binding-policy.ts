import { digestBase64url } from '../../crypto/digest-base64url.js';
import type { OrPromise } from '../../crypto/ports.js';
import { isUrbisError } from '../../errors/urbis-error.js';
import { checkJoseHeader, ES256_SIGNATURE_BYTES } from '../../jose/compact-jws.js';
import { toPublicP256Jwk } from '../../keys/public-jwk.js';
import type { PresentationContext, PresentationPolicy } from '../presentation-context.js';
import type { VerificationFailure } from '../verification-result.js';
import { settleAll } from '../settle.js';

/**
 * What the verifier expects the KB-JWT to be bound to:
 * - a request (flow (a) of DESIGN §4): the nonce this verifier issued;
 * - scanner-only (flow (b)): the terminal issued no nonce, so the wallet
 *   chose one (a string of {@link SCANNER_NONCE_LENGTH} characters); the
 *   binding is `aud` = this terminal, an `iat` within `maxAgeSeconds`
 *   (default {@link DEFAULT_SCANNER_MAX_AGE_SECONDS}), and the replay cache,
 *   which a scanner verifier must have (`createPresentationVerifier` refuses
 *   to verify scanner presentations without one);
 * - a paper scan (issue #8): a printed `PaperServicePass`, a bearer
 *   credential with neither holder key nor KB-JWT. Only this expectation
 *   accepts one; any other refuses it with `PAPER_NOT_ACCEPTED`, so a
 *   verifier never takes paper unless its caller asked for it.
 */
export type KeyBindingExpectation =
  | {
      /** The nonce the verifier issued for this request. */
      nonce: string;
      /** This verifier's identifier; the KB-JWT `aud` must be exactly this string. */
      audience: string;
      scanner?: undefined;
      paper?: undefined;
    }
  | {
      scanner: true;
      /** This terminal's identifier (`urbis:terminal:<id>`); the KB-JWT `aud` must be exactly this string. */
      audience: string;
      /** How old the KB-JWT `iat` may be, in seconds (at most the verifier's `kbMaxAgeSeconds`). */
      maxAgeSeconds?: number;
      nonce?: undefined;
      paper?: undefined;
    }
  | {
      /** A printed paper pass, scanned: no key binding, the credential must be a bearer type. */
      paper: true;
      scanner?: undefined;
      nonce?: undefined;
      audience?: undefined;
    };

/** Length bounds of a wallet-chosen nonce in the scanner-only flow (the wallet's own bounds). */
export const SCANNER_NONCE_LENGTH = { min: 16, max: 256 } as const;

/** Default `iat` window of a scanner-only presentation: the citizen shows the QR right after making it. */
export const DEFAULT_SCANNER_MAX_AGE_SECONDS = 60;

/**
 * Key binding (RFC 9901 §7.3): a KB-JWT must be present, typed `kb+jwt`,
 * signed with an allowed algorithm by the key in the credential's `cnf.jwk`,
 * carry the expected `nonce`, a single-string `aud` equal to this verifier
 * (sd-jwt-js requires `aud` but does not compare it: Urbis does), an `iat`
 * inside the window, and the `sd_hash` of exactly what was presented.
 * Every failing aspect is listed. The expectation comes from the context
 * (`context.keyBinding`); without one the policy checks nothing.
 */
export const keyBindingPolicy: PresentationPolicy = (context) => {
  const expected = context.keyBinding;
  if (expected === undefined) return [];
  if (expected.paper === true || context.credentialType?.holderBinding === 'bearer') return paperBinding(context);
  const failures: VerificationFailure[] = [];
  const fail = (code: VerificationFailure['code'], detail: string): void => {
    failures.push({ check: 'key-binding', code, detail });
  };
  if (context.parts.kbJwt === undefined) {
    fail('KB_MISSING', 'a key-binding JWT is required');
    return failures;
  }
  if (context.kbDecodeFailure !== undefined) return [context.kbDecodeFailure];
  const kb = context.kbJws!;
  for (const problem of checkJoseHeader({ header: kb.header, allowedAlgs: context.limits.holderAlgs, expectedTyp: ['kb+jwt'] })) {
    fail(problem.code === 'TYP_INVALID' ? 'KB_TYP_INVALID' : problem.code, `key-binding JWT: ${problem.detail}`);
  }

  // Holder key and signature (the port may answer now or later).
  let signatureValid: OrPromise<boolean> = true;
  const cnf = context.issuerJws.payload.cnf as { jwk?: unknown } | undefined;
  if (typeof cnf !== 'object' || cnf === null || cnf.jwk === undefined) {
    fail('HOLDER_BINDING_MISSING', 'the credential has no cnf.jwk holder key');
  } else if (failures.length === 0 && kb.signature.length !== ES256_SIGNATURE_BYTES) {
    fail('JWS_MALFORMED', 'key-binding JWT: an ES256 signature is 64 bytes (truncated JWS?)');
  } else if (failures.length === 0) {
    try {
      const publicJwk = toPublicP256Jwk(cnf.jwk);
      signatureValid = context.verifySignature({ alg: 'ES256', publicJwk, signingInput: kb.signingInput, signature: kb.signature });
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      fail(error.code, `holder key: ${error.message}`);
    }
  }

  // Claims.
  const { payload } = kb;
  if (expected.scanner === true) {
    const { nonce } = payload;
    if (typeof nonce !== 'string' || nonce.length < SCANNER_NONCE_LENGTH.min || nonce.length > SCANNER_NONCE_LENGTH.max) {
      fail('KB_NONCE_MISMATCH', `a scanner presentation carries a fresh nonce of ${SCANNER_NONCE_LENGTH.min} to ${SCANNER_NONCE_LENGTH.max} characters`);
    }
  } else if (payload.nonce !== expected.nonce) fail('KB_NONCE_MISMATCH', 'nonce does not match this request');
  if (Array.isArray(payload.aud)) fail('KB_AUD_ARRAY', 'aud must be a single string');
  else if (payload.aud !== expected.audience) fail('KB_AUD_MISMATCH', 'aud does not name this verifier');
  const iat = payload.iat;
  const { now } = context;
  const { kbMaxFutureSeconds } = context.limits;
  const kbMaxAgeSeconds =
    expected.scanner === true ? Math.min(context.limits.kbMaxAgeSeconds, expected.maxAgeSeconds ?? DEFAULT_SCANNER_MAX_AGE_SECONDS) : context.limits.kbMaxAgeSeconds;
  if (typeof iat !== 'number' || !Number.isFinite(iat) || iat < now - kbMaxAgeSeconds || iat > now + kbMaxFutureSeconds) {
    fail('KB_IAT_OUT_OF_WINDOW', 'iat is outside the accepted window');
  } else {
    context.replayExpiresAt = iat + kbMaxAgeSeconds + 1;
  }
  // The replay key is what the holder signed, not the signature: ECDSA
  // signatures are malleable ((r, s) and (r, n - s) both verify), the signed bytes are not.
  const pending: [OrPromise<boolean>, OrPromise<string>, OrPromise<string>] = [
    signatureValid,
    digestBase64url(context, context.parts.sdJwt),
    digestBase64url(context, kb.signingInput),
  ];
  return settleAll<[boolean, string, string], VerificationFailure[]>(pending, ([valid, sdHash, replayKey]) => {
    if (!valid) failures.unshift({ check: 'key-binding', code: 'KB_SIGNATURE_INVALID', detail: 'the key-binding JWT is not signed by the holder key' });
    context.sdHashMatches = payload.sd_hash === sdHash;
    if (!context.sdHashMatches) fail('KB_SD_HASH_MISMATCH', 'sd_hash does not match the presented SD-JWT');
    context.replayKey = replayKey;
    return failures;
  });
};

/**
 * The binding of a paper scan, or of a paper pass presented where key
 * binding is expected: a bearer type, no `cnf`, no KB-JWT, and only when
 * the expectation is a paper scan. Nothing to remember against replay: the
 * same sheet is shown at every visit (see docs/paper-card.md).
 */
function paperBinding(context: PresentationContext): VerificationFailure[] {
  const failures: VerificationFailure[] = [];
  const bearer = context.credentialType?.holderBinding === 'bearer';
  if (context.keyBinding?.paper !== true) {
    failures.push({ check: 'key-binding', code: 'PAPER_NOT_ACCEPTED', detail: 'a paper pass is accepted only where the terminal scans paper' });
    return failures;
  }
  if (context.credentialType === undefined) return failures; // the credential-type policy reported it
  if (!bearer) {
    failures.push({ check: 'key-binding', code: 'PAPER_PASS_EXPECTED', detail: `a ${context.credentialType.name} is holder-bound: it is presented with key binding, not scanned from paper` });
    return failures;
  }
  if (context.issuerJws.payload.cnf !== undefined) failures.push({ check: 'key-binding', code: 'PAPER_PASS_EXPECTED', detail: 'a paper pass carries no holder key (cnf)' });
  if (context.parts.kbJwt !== undefined) failures.push({ check: 'key-binding', code: 'KB_UNEXPECTED', detail: 'a paper pass carries no key-binding JWT' });
  return failures;
}
