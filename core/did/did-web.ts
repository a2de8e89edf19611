import { utf8Decode, utf8Encode } from '../encoding/base64url.js';
import { UrbisError, isUrbisError } from '../errors/urbis-error.js';
import type { DidDocument } from './did-document.js';
import { parseDidWebDocument, type UnsupportedMethodPolicy } from './did-web-document.js';
import { didWebToUrl } from './did-web-url.js';

/**
 * `did:web` resolution behind a port: `core/` computes the URL and checks
 * what comes back; fetching over HTTPS is the caller's adapter (issuer and
 * verifier components), or a terminal snapshot lookup when offline.
 */

/** Default limit on a fetched DID document (64 KiB, like presentations, DESIGN §4). */
export const DEFAULT_MAX_DID_DOCUMENT_BYTES = 64 * 1024;

/**
 * The port that fetches a DID document: an HTTPS GET of `url` returning the
 * raw body (a JSON text, as a string or UTF-8 bytes). `core/` parses it, so
 * it can refuse oversized bodies before parsing. Adapters should stop
 * reading past `maxBytes`, refuse redirects to other origins, and throw
 * (any error) when the document is missing; `resolveDidWeb` reports that as
 * `DID_NOT_FOUND`. An `UrbisError` thrown by the adapter passes through.
 */
export type DidDocumentFetcher = (request: { url: string; maxBytes: number }) => Promise<string | Uint8Array>;

/**
 * Resolves a `did:web`: computes its document URL, fetches the body through
 * the port, refuses it above `maxDocumentBytes`, parses it as JSON and
 * checks it with {@link parseDidWebDocument} (id equals the DID, public P-256
 * keys only, no private material).
 *
 * @throws UrbisError `DID_INVALID` for a bad did:web or document;
 *   `DID_NOT_FOUND` when the fetcher fails; `INPUT_TOO_LARGE` for an
 *   oversized body; `JSON_INVALID` when the body is not UTF-8 JSON;
 *   `INVALID_ARGUMENT` for a bad limit or a fetcher returning something
 *   other than a string or bytes; and the key errors of {@link parseDidWebDocument}.
 *
 * @example
 * ```ts
 * const document = await resolveDidWeb({
 *   did: 'did:web:city.example',
 *   fetchDocument: async ({ url, maxBytes }) => httpsGetText(url, { maxBytes }),
 * });
 * ```
 */
export async function resolveDidWeb({
  did,
  fetchDocument,
  maxDocumentBytes = DEFAULT_MAX_DID_DOCUMENT_BYTES,
  unsupportedMethods = 'reject',
}: {
  did: string;
  fetchDocument: DidDocumentFetcher;
  /** Limit on the fetched body, in bytes. Default {@link DEFAULT_MAX_DID_DOCUMENT_BYTES}. */
  maxDocumentBytes?: number;
  /** See {@link UnsupportedMethodPolicy}. Default `reject`. */
  unsupportedMethods?: UnsupportedMethodPolicy;
}): Promise<DidDocument> {
  if (!Number.isSafeInteger(maxDocumentBytes) || maxDocumentBytes < 1) {
    throw new UrbisError('INVALID_ARGUMENT', 'maxDocumentBytes must be a positive integer');
  }
  const url = didWebToUrl(did);
  let body: unknown;
  try {
    body = await fetchDocument({ url, maxBytes: maxDocumentBytes });
  } catch (cause) {
    if (isUrbisError(cause)) throw cause;
    throw new UrbisError('DID_NOT_FOUND', 'the did:web document could not be fetched', { cause });
  }
  const text = bodyText(body, maxDocumentBytes);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw new UrbisError('JSON_INVALID', 'the did:web document is not JSON', { cause });
  }
  return parseDidWebDocument({ did, document, unsupportedMethods });
}

function bodyText(body: unknown, maxBytes: number): string {
  if (typeof body === 'string') {
    // UTF-8 takes at least one byte per UTF-16 code unit: cheap early refusal.
    if (body.length > maxBytes || utf8Encode(body).length > maxBytes) {
      throw new UrbisError('INPUT_TOO_LARGE', 'the did:web document is too large');
    }
    return body;
  }
  if (body instanceof Uint8Array) {
    if (body.length > maxBytes) throw new UrbisError('INPUT_TOO_LARGE', 'the did:web document is too large');
    try {
      return utf8Decode(body);
    } catch (cause) {
      throw new UrbisError('JSON_INVALID', 'the did:web document is not UTF-8', { cause });
    }
  }
  throw new UrbisError('INVALID_ARGUMENT', 'the document fetcher must return a string or bytes');
}
