import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** Maps body-parser's errors to Urbis codes (by their `type`, never their message). */
function mapParserError(error: unknown): unknown {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new UrbisError('INPUT_TOO_LARGE', 'the request body is too large');
  if (type === 'entity.parse.failed') return new UrbisError('BODY_INVALID', 'the request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new UrbisError('CONTENT_TYPE_UNSUPPORTED', 'unsupported body encoding');
  if (type === 'parameters.too.many') return new UrbisError('INPUT_TOO_LARGE', 'too many form parameters');
  return error;
}

function wrap(parser: RequestHandler): RequestHandler {
  return (req, res, next) => parser(req, res, (error?: unknown) => next(error === undefined ? undefined : mapParserError(error)));
}

/**
 * Requires a body of `mediaType` and parses it with `parser`. A request with
 * another content type is refused (`CONTENT_TYPE_UNSUPPORTED`) before any
 * byte is read; one above the limit (by `Content-Length`, or while reading)
 * is `INPUT_TOO_LARGE`.
 */
function requireBody(mediaType: string, parser: RequestHandler): RequestHandler {
  const parse = wrap(parser);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is(mediaType)) {
      next(new UrbisError('CONTENT_TYPE_UNSUPPORTED', `this endpoint takes ${mediaType}`));
      return;
    }
    parse(req, res, next);
  };
}

/** `application/json` bodies up to `limit` bytes. */
export function jsonBody({ limit }: { limit: number }): RequestHandler {
  return requireBody('application/json', express.json({ limit, strict: true, type: 'application/json' }));
}

/** Like {@link jsonBody}, for endpoints whose body is optional: a request without a body gets `{}`. */
export function optionalJsonBody({ limit }: { limit: number }): RequestHandler {
  const json = jsonBody({ limit });
  return (req, res, next) => {
    const length = req.get('content-length');
    if (req.get('content-type') === undefined && (length === undefined || length === '0') && req.get('transfer-encoding') === undefined) {
      req.body = {};
      next();
      return;
    }
    json(req, res, next);
  };
}

/** `application/x-www-form-urlencoded` bodies (the OAuth token endpoint). */
export function formBody({ limit }: { limit: number }): RequestHandler {
  return requireBody('application/x-www-form-urlencoded', express.urlencoded({ limit, extended: false, parameterLimit: 20, type: 'application/x-www-form-urlencoded' }));
}

/** `text/csv` bodies (bulk import). */
export function csvBody({ limit }: { limit: number }): RequestHandler {
  return requireBody('text/csv', express.text({ limit, type: 'text/csv' }));
}

/**
 * One uploaded document in `multipart/form-data` (field `file`, plus a
 * `kind` field), kept in memory up to `maxBytes` (then `DOCUMENT_TOO_LARGE`);
 * the vault sniffs and encrypts it.
 */
export function documentUpload({ maxBytes }: { maxBytes: number }): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 6 } }).single('file');
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next(new UrbisError('CONTENT_TYPE_UNSUPPORTED', 'documents are uploaded as multipart/form-data'));
      return;
    }
    upload(req, res, (error?: unknown) => {
      if (error === undefined || error === null) {
        if (req.file === undefined) {
          next(new UrbisError('BODY_INVALID', 'a file field is required'));
          return;
        }
        next();
        return;
      }
      const code = (error as { code?: unknown }).code;
      if (code === 'LIMIT_FILE_SIZE') next(new UrbisError('DOCUMENT_TOO_LARGE', 'the document is larger than allowed'));
      else if (typeof code === 'string' && code.startsWith('LIMIT_')) next(new UrbisError('BODY_INVALID', 'the upload has unexpected fields or parts'));
      else next(new UrbisError('BODY_INVALID', 'the upload is not valid multipart/form-data'));
    });
  };
}
