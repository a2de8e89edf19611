import { UrbisError } from '../../core/errors/urbis-error.js';
import { issuerError } from './issuer-error.js';

/**
 * The wallet's HTTP exchanges with an issuer, over an injected `fetch` (the
 * global one in Node 20 and browsers): bounded bodies, JSON content types,
 * no redirects (a redirect could carry a bearer token or a downgrade to
 * plain http elsewhere), no cookies, no cache, a time limit.
 */

/** The subset of `fetch` the client uses (the global `fetch` fits). */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** Default time limit of one request, milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** An issuer's answer: status, headers, and the body parsed as JSON when its content type is JSON. */
export interface IssuerAnswer {
  status: number;
  headers: Headers;
  /** Whether the content type is `application/json` or `application/*+json`. */
  isJson: boolean;
  /** The parsed body when `isJson`, else `undefined`. */
  body: unknown;
  /** The body as read (bounded by `maxBytes`), for answers that are not JSON (a status list token). */
  bytes: Uint8Array;
}

/**
 * Sends one request to an issuer and reads its answer, whatever the status.
 *
 * @param args.what The step, for error messages (`'token request'`, ...).
 * @param args.maxBytes Longest body read; a longer one is refused before or
 *   while reading.
 * @throws UrbisError `ISSUER_UNREACHABLE` when the issuer cannot be reached
 *   (network error, refused redirect, time limit); `INPUT_TOO_LARGE` above
 *   `maxBytes`; `BODY_INVALID` for a JSON content type whose body is not
 *   UTF-8 JSON.
 *
 * @example
 * ```ts
 * const answer = await sendToIssuer({ fetch, url: tokenEndpoint, what: 'token request', method: 'POST', headers, body, maxBytes: 16_384 });
 * ```
 */
export async function sendToIssuer({
  fetch,
  url,
  what,
  method = 'GET',
  headers = {},
  body,
  maxBytes,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
}: {
  fetch: FetchLike;
  url: string;
  what: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  maxBytes: number;
  timeoutMs?: number;
}): Promise<IssuerAnswer> {
  const init: RequestInit = {
    method,
    headers: { Accept: 'application/json', ...headers },
    redirect: 'error',
    credentials: 'omit',
    cache: 'no-store',
    signal: AbortSignal.timeout(timeoutMs),
  };
  if (body !== undefined) init.body = body;
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    throw new UrbisError('ISSUER_UNREACHABLE', `${what}: the issuer could not be reached`, { cause });
  }
  const bytes = await readBounded({ response, maxBytes, what });
  const isJson = isJsonContentType(response.headers.get('content-type'));
  let parsed: unknown;
  if (isJson) {
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (cause) {
      throw new UrbisError('BODY_INVALID', `${what}: the issuer's answer is not JSON`, { cause });
    }
  }
  return { status: response.status, headers: response.headers, isJson, body: parsed, bytes };
}

/**
 * The JSON object body of an answer with an expected status. Any other
 * status is an error answer, translated by `issuerError`.
 *
 * @throws UrbisError from `issuerError` for another status; `BODY_INVALID`
 *   when the body is not a JSON object of a JSON content type.
 *
 * @example
 * ```ts
 * const token = expectJsonObject({ answer, what: 'token request' });
 * ```
 */
export function expectJsonObject({ answer, what, statuses = [200] }: { answer: IssuerAnswer; what: string; statuses?: readonly number[] }): Record<string, unknown> {
  if (!statuses.includes(answer.status)) throw issuerError({ what, status: answer.status, body: answer.body });
  if (!answer.isJson) throw new UrbisError('BODY_INVALID', `${what}: the issuer's answer is not application/json`);
  if (typeof answer.body !== 'object' || answer.body === null || Array.isArray(answer.body)) {
    throw new UrbisError('BODY_INVALID', `${what}: the issuer's answer is not a JSON object`);
  }
  return answer.body as Record<string, unknown>;
}

/** `application/json`, `application/problem+json`, ... (parameters ignored). */
function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

async function readBounded({ response, maxBytes, what }: { response: Response; maxBytes: number; what: string }): Promise<Uint8Array> {
  const tooLarge = (): UrbisError => new UrbisError('INPUT_TOO_LARGE', `${what}: the issuer's answer is larger than ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof UrbisError) throw cause;
    throw new UrbisError('ISSUER_UNREACHABLE', `${what}: the issuer's answer was cut off`, { cause });
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
