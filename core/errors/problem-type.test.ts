import { describe, expect, it } from '@jest/globals';
import { problemTitle, problemType } from './problem-type.js';
import { URBIS_ERROR_CODES } from './urbis-error-codes.js';

describe('problem types (RFC 9457)', () => {
  it('one distinct absolute URI per code, and a readable title', () => {
    const types = [...URBIS_ERROR_CODES, 'INTERNAL' as const].map(problemType);
    expect(new Set(types).size).toBe(URBIS_ERROR_CODES.size + 1);
    for (const type of types) expect(type).toMatch(/^https:\/\/urbis\.city\/problems\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(problemType('RESOURCE_NOT_FOUND')).toBe('https://urbis.city/problems/resource-not-found');
    expect(problemTitle('INPUT_TOO_LARGE')).toBe('input too large');
  });
});
