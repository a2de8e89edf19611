import { describe, expect, it } from '@jest/globals';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { httpStatusOf, problemOf } from './problem-details.js';
import { problemType } from '../../core/errors/problem-type.js';

describe('terminal problem details (RFC 9457)', () => {
  it('one type URI per code, in the issuer convention', () => {
    expect(problemType('INPUT_TOO_LARGE')).toBe('https://urbis.city/problems/input-too-large');
    expect(problemType('INTERNAL')).toBe('https://urbis.city/problems/internal');
  });

  it.each([
    ['BODY_INVALID', 400],
    ['JSON_INVALID', 400],
    ['INVALID_ARGUMENT', 400],
    ['SERVICE_UNKNOWN', 400],
    ['RESOURCE_NOT_FOUND', 404],
    ['INPUT_TOO_LARGE', 413],
    ['CONTENT_TYPE_UNSUPPORTED', 415],
    ['REPLAY_JOURNAL_DAMAGED', 500],
  ] as const)('%s → %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  it('an UrbisError keeps its code and message; anything else is a bare INTERNAL', () => {
    expect(problemOf(new UrbisError('CONTENT_TYPE_UNSUPPORTED', 'bodies are text/plain'))).toEqual({
      type: 'https://urbis.city/problems/content-type-unsupported',
      title: 'content type unsupported',
      status: 415,
      code: 'CONTENT_TYPE_UNSUPPORTED',
      detail: 'bodies are text/plain',
    });
    expect(problemOf(new Error('Calle Ficticia 12'))).toEqual({ type: 'https://urbis.city/problems/internal', title: 'internal error', status: 500, code: 'INTERNAL' });
  });
});
