import express, { type Request, type RequestHandler, type Response } from 'express';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { DEFAULT_VERIFICATION_LIMITS } from '../../core/verification/verification-policy.js';

/** Largest request body of `POST /presentations/verify`: DESIGN §4's 64 KiB. */
export const MAX_PRESENTATION_BODY_BYTES = DEFAULT_VERIFICATION_LIMITS.maxPresentationBytes;

/** The media types `POST /presentations/verify` takes. */
export const PRESENTATION_MEDIA_TYPES = ['text/plain', 'application/octet-stream', 'application/json'] as const;

/** What the terminal is asked to verify: the presentation and, optionally, the service it is checked for. */
export interface PresentationInput {
  /** The text (SD-JWT+KB or `vp_token` JSON) or the compact QR bytes. */
  presentation: string | Uint8Array;
  serviceId?: string;
}

const JSON_MEMBERS: ReadonlySet<string> = new Set(['presentation', 'service']);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/** Maps body-parser's errors to Urbis codes, by their `type` (never their message, which may quote the body). */
function parserError(error: unknown): unknown {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new UrbisError('INPUT_TOO_LARGE', `the request body is larger than ${MAX_PRESENTATION_BODY_BYTES} bytes`);
  if (type === 'entity.parse.failed') return new UrbisError('JSON_INVALID', 'the request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new UrbisError('CONTENT_TYPE_UNSUPPORTED', 'bodies are sent without content coding, in UTF-8');
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') return new UrbisError('BODY_INVALID', 'the request body was not received whole');
  return error;
}

function parse(parser: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    parser(req, res, (error?: unknown) => (error === undefined || error === null ? resolve() : reject(parserError(error))));
  });
}

/** One query parameter or JSON member that must be a single non-empty string when present. */
function singleString(value: unknown, what: string, code: 'INVALID_ARGUMENT' | 'BODY_INVALID'): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new UrbisError(code, `${what} is one non-empty string`);
  return value;
}

/**
 * Reads the presentation of a `POST /presentations/verify` request, refusing
 * what is too large BEFORE anything is parsed: a `Content-Length` above
 * `limit` is refused before a byte is read, and a body without one is cut
 * at `limit` while it is read (no content coding is inflated). Then by
 * media type: `text/plain` (UTF-8: SD-JWT+KB or `vp_token` JSON text),
 * `application/octet-stream` (the compact QR bytes) or `application/json`
 * `{ "presentation": "…", "service"?: "…" }`. The service may also be given
 * as `?service=`. Nothing of the body is ever quoted in an error.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` (413), `CONTENT_TYPE_UNSUPPORTED`
 *   (415: another media type, a charset other than UTF-8, a content coding),
 *   `JSON_INVALID` (400), `BODY_INVALID` (400: no presentation, other JSON
 *   members, a JSON `service` that is not a string, `service` given twice
 *   with two values), `INVALID_ARGUMENT` (400: `?service=` not one string).
 *
 * @example
 * ```ts
 * router.post('/presentations/verify', async (req, res) => {
 *   const { presentation, serviceId } = await readPresentationBody({ req, res });
 *   res.json(await terminal.verify({ presentation, ...(serviceId === undefined ? {} : { serviceId }) }));
 * });
 * ```
 */
export async function readPresentationBody({ req, res, limit = MAX_PRESENTATION_BODY_BYTES }: { req: Request; res: Response; limit?: number }): Promise<PresentationInput> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw new UrbisError('INPUT_TOO_LARGE', `the request body is larger than ${limit} bytes`);
  const queryService = singleString(req.query['service'], 'the service query parameter', 'INVALID_ARGUMENT');
  const kind = req.is([...PRESENTATION_MEDIA_TYPES]);
  if (kind === null) throw new UrbisError('BODY_INVALID', 'a presentation is required in the request body');
  if (kind === false) throw new UrbisError('CONTENT_TYPE_UNSUPPORTED', `presentations are sent as ${PRESENTATION_MEDIA_TYPES.join(', ')}`);
  const charset = CHARSET.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && kind !== 'application/octet-stream') {
    throw new UrbisError('CONTENT_TYPE_UNSUPPORTED', 'text and JSON bodies are UTF-8');
  }

  let presentation: string | Uint8Array;
  let bodyService: string | undefined;
  if (kind === 'application/octet-stream') {
    await parse(express.raw({ limit, inflate: false, type: kind }), req, res);
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new UrbisError('BODY_INVALID', 'a presentation is required in the request body');
    presentation = new Uint8Array(body.buffer, body.byteOffset, body.length);
  } else if (kind === 'text/plain') {
    await parse(express.text({ limit, inflate: false, type: kind, defaultCharset: 'utf-8' }), req, res);
    const body: unknown = req.body;
    if (typeof body !== 'string' || body.trim().length === 0) throw new UrbisError('BODY_INVALID', 'a presentation is required in the request body');
    presentation = body;
  } else {
    await parse(express.json({ limit, inflate: false, strict: true, type: kind }), req, res);
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new UrbisError('BODY_INVALID', 'the JSON body is an object { presentation, service? }');
    const members = body as Record<string, unknown>;
    if (Object.keys(members).some((name) => !JSON_MEMBERS.has(name))) throw new UrbisError('BODY_INVALID', 'the JSON body has only the members presentation and service');
    if (typeof members['presentation'] !== 'string' || members['presentation'].trim().length === 0) {
      throw new UrbisError('BODY_INVALID', 'presentation is a non-empty string (SD-JWT+KB or vp_token JSON text)');
    }
    presentation = members['presentation'];
    bodyService = singleString(members['service'], 'service', 'BODY_INVALID');
  }
  if (queryService !== undefined && bodyService !== undefined && queryService !== bodyService) {
    throw new UrbisError('BODY_INVALID', 'the service is given twice, with two values');
  }
  const serviceId = bodyService ?? queryService;
  return serviceId === undefined ? { presentation } : { presentation, serviceId };
}
