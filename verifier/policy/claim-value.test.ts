import { describe, expect, it } from '@jest/globals';
import { claimAt, claimValueAccepted, pathText } from './claim-value.js';

describe('claimAt', () => {
  const claims = { address: { locality: 'Gijón', region: '' }, age_over_18: false, list: ['a'] };
  it('finds own properties along the path, falsy values included', () => {
    expect(claimAt({ claims, path: ['address', 'locality'] })).toEqual({ found: true, value: 'Gijón' });
    expect(claimAt({ claims, path: ['address', 'region'] })).toEqual({ found: true, value: '' });
    expect(claimAt({ claims, path: ['age_over_18'] })).toEqual({ found: true, value: false });
    expect(claimAt({ claims, path: ['address'] })).toEqual({ found: true, value: claims.address });
  });

  it('finds nothing through prototypes, arrays, primitives or missing steps', () => {
    expect(claimAt({ claims, path: ['toString'] })).toEqual({ found: false });
    expect(claimAt({ claims, path: ['__proto__'] })).toEqual({ found: false });
    expect(claimAt({ claims: { a: Object.create({ b: 1 }) }, path: ['a', 'b'] })).toEqual({ found: false });
    expect(claimAt({ claims, path: ['list', '0'] })).toEqual({ found: false });
    expect(claimAt({ claims, path: ['age_over_18', 'x'] })).toEqual({ found: false });
    expect(claimAt({ claims, path: ['address', 'country'] })).toEqual({ found: false });
    expect(claimAt({ claims: { a: null }, path: ['a', 'b'] })).toEqual({ found: false });
  });
});

describe('claimValueAccepted', () => {
  it('strict equality, strings in NFC', () => {
    expect(claimValueAccepted({ value: 'Gijo\u0301n', values: ['Gij\u00f3n'] })).toBe(true);
    expect(claimValueAccepted({ value: 'Gij\u00f3n', values: ['Gijo\u0301n'] })).toBe(true);
    expect(claimValueAccepted({ value: 'GIJÓN', values: ['Gijón'] })).toBe(false);
    expect(claimValueAccepted({ value: 'true', values: [true] })).toBe(false);
    expect(claimValueAccepted({ value: 1, values: ['1'] })).toBe(false);
    expect(claimValueAccepted({ value: true, values: [true] })).toBe(true);
    expect(claimValueAccepted({ value: { locality: 'Gijón' }, values: ['Gijón'] })).toBe(false);
  });
});

describe('pathText', () => {
  it('joins with dots', () => expect(pathText(['address', 'locality'])).toBe('address.locality'));
});
