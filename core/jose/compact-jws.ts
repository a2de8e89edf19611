import type { JwsAlgorithm, SigningKey } from '../crypto/ports.js';
import { base64urlDecode, base64urlDecodeString, base64urlEncode, base64urlEncodeString } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';

/** Length of a raw ES256 (`r || s`) signature. */
export const ES256_SIGNATURE_BYTES = 64;

/** A decoded compact JWS (RFC 7515 §7.1). Nothing in it is verified yet. */
export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `BASE64URL(header) '.' BASE64URL(payload)`, the bytes that were signed. */
  signingInput: string;
  signature: Uint8Array;
}

/**
 * Splits and decodes a compact JWS whose header and payload are JSON objects.
 * Does not verify anything.
 *
 * An empty signature part (an unsecured JWT, RFC 7519 §6) decodes to an
 * empty `signature`: whether that is `ALG_NONE` or `CREDENTIAL_UNSECURED` is
 * for the header check and the signature check to say.
 *
 * @throws UrbisError `JWS_MALFORMED` when it is not three base64url parts
 *   with JSON-object header and payload (truncated, garbled).
 *
 * @example
 * ```ts
 * const { header, payload, signingInput, signature } = decodeCompactJws(jwt);
 * ```
 */
export function decodeCompactJws(compact: string): DecodedJws {
  const first = compact.indexOf('.');
  const second = first < 0 ? -1 : compact.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || compact.indexOf('.', second + 1) !== -1 || second === first + 1) {
    throw new UrbisError('JWS_MALFORMED', 'a compact JWS has exactly three dot-separated parts');
  }
  const encodedHeader = compact.slice(0, first);
  const encodedPayload = compact.slice(first + 1, second);
  const encodedSignature = compact.slice(second + 1);
  let signature: Uint8Array;
  try {
    signature = base64urlDecode(encodedSignature);
  } catch (cause) {
    throw new UrbisError('JWS_MALFORMED', 'the JWS signature is not base64url', { cause });
  }
  return {
    header: decodeJsonObject(encodedHeader, 'header'),
    payload: decodeJsonObject(encodedPayload, 'payload'),
    signingInput: compact.slice(0, second),
    signature,
  };
}

function decodeJsonObject(encoded: string, part: 'header' | 'payload'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(base64urlDecodeString(encoded));
  } catch (cause) {
    throw new UrbisError('JWS_MALFORMED', `the JWS ${part} is not base64url-encoded JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UrbisError('JWS_MALFORMED', `the JWS ${part} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Signs a JWS in compact serialization with an ES256 signing key. The header
 * always gets `alg` from the key; `kid` is added when the key has one and the
 * header does not.
 *
 * @example
 * ```ts
 * const jwt = await signCompactJws({ header: { typ: 'kb+jwt' }, payload, signingKey });
 * ```
 */
export async function signCompactJws({
  header,
  payload,
  signingKey,
}: {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingKey: SigningKey;
}): Promise<string> {
  const fullHeader: Record<string, unknown> = { alg: signingKey.alg, ...header };
  if (signingKey.kid !== undefined && fullHeader.kid === undefined) fullHeader.kid = signingKey.kid;
  fullHeader.alg = signingKey.alg;
  const signingInput = `${base64urlEncodeString(JSON.stringify(fullHeader))}.${base64urlEncodeString(JSON.stringify(payload))}`;
  const signature = await signingKey.sign(signingInput);
  return `${signingInput}.${base64urlEncode(signature)}`;
}

/** The header check's verdict: the codes of every problem found. */
export type JoseHeaderProblem = {
  code: 'ALG_NONE' | 'ALG_HMAC' | 'ALG_NOT_ALLOWED' | 'HEADER_EMBEDDED_KEY' | 'HEADER_CRIT_UNSUPPORTED' | 'TYP_INVALID';
  detail: string;
};

/** Header parameters that carry or point to a key: never trusted (RFC 8725 §3.10). */
const KEY_CARRYING_PARAMETERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'] as const;

/**
 * Checks a JOSE header against an algorithm allow-list and the expected
 * `typ` values (RFC 8725 §3.1, §3.11): `none` and HMAC algorithms get their
 * own codes (algorithm confusion), keys embedded in or referenced from the
 * header are refused (the key must come from the trust list), and `crit` is
 * refused since Urbis understands no critical extension.
 */
export function checkJoseHeader({
  header,
  allowedAlgs,
  expectedTyp,
  typOptional = false,
}: {
  header: Record<string, unknown>;
  allowedAlgs: readonly JwsAlgorithm[];
  expectedTyp: readonly string[];
  /** Accept a header without `typ` (plain JWTs such as JWT VCs often omit it). */
  typOptional?: boolean;
}): JoseHeaderProblem[] {
  const problems: JoseHeaderProblem[] = [];
  const alg = header.alg;
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') {
    problems.push({ code: 'ALG_NONE', detail: 'alg is "none" or absent' });
  } else if (/^HS\d+$/i.test(alg)) {
    problems.push({ code: 'ALG_HMAC', detail: 'HMAC algorithms are refused (algorithm confusion)' });
  } else if (!(allowedAlgs as readonly string[]).includes(alg)) {
    problems.push({ code: 'ALG_NOT_ALLOWED', detail: `alg ${alg} is not in the allow-list` });
  }
  for (const parameter of KEY_CARRYING_PARAMETERS) {
    if (Object.prototype.hasOwnProperty.call(header, parameter)) {
      problems.push({ code: 'HEADER_EMBEDDED_KEY', detail: `header parameter ${parameter} is refused` });
      break;
    }
  }
  if (Object.prototype.hasOwnProperty.call(header, 'crit')) {
    problems.push({ code: 'HEADER_CRIT_UNSUPPORTED', detail: 'no critical header extension is supported' });
  }
  if ((header.typ !== undefined || !typOptional) && (typeof header.typ !== 'string' || !expectedTyp.includes(header.typ))) {
    problems.push({ code: 'TYP_INVALID', detail: `typ must be one of ${expectedTyp.join(', ')}` });
  }
  return problems;
}
