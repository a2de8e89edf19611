import { describe, expect, it } from '@jest/globals';
import { UrbisError } from '../errors/urbis-error.js';
import { checkConfigurationIds, checkPreAuthorizedCodeGrant, checkTxCodeDescription, MAX_OFFERED_CONFIGURATIONS } from './credential-offer.js';

const problem = (message: string): UrbisError => new UrbisError('BODY_INVALID', message);

describe('OID4VCI 1.0 §4.1.1 credential offer members (shared by issuer and wallet)', () => {
  it('credential_configuration_ids: 1 to 32 unique non-empty strings', () => {
    expect(checkConfigurationIds(['resident.dc+sd-jwt', 'pools.dc+sd-jwt'], problem)).toEqual(['resident.dc+sd-jwt', 'pools.dc+sd-jwt']);
    for (const bad of [undefined, 'a', [], [''], [1], ['a', 'a'], ['x'.repeat(201)], Array.from({ length: MAX_OFFERED_CONFIGURATIONS + 1 }, (_, i) => `c${i}`)]) {
      expect(() => checkConfigurationIds(bad, problem)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    }
  });

  it('tx_code: length 1..64, input_mode numeric|text, description ≤ 300 characters; an empty object is allowed', () => {
    expect(checkTxCodeDescription({}, problem)).toEqual({});
    expect(checkTxCodeDescription({ length: 6, input_mode: 'numeric', description: 'Sent by e-mail', extra: 1 }, problem)).toEqual({ length: 6, input_mode: 'numeric', description: 'Sent by e-mail' });
    for (const bad of [null, [], 'x', { length: 0 }, { length: 65 }, { length: 1.5 }, { input_mode: 'digits' }, { description: 'x'.repeat(301) }, { description: 7 }]) {
      expect(() => checkTxCodeDescription(bad, problem)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    }
  });

  it('pre-authorized code grant: a non-empty code, an optional tx_code and authorization_server', () => {
    expect(checkPreAuthorizedCodeGrant({ 'pre-authorized_code': 'pac', tx_code: {}, authorization_server: 'https://as.example' }, problem)).toEqual({
      'pre-authorized_code': 'pac',
      tx_code: {},
      authorization_server: 'https://as.example',
    });
    for (const bad of [null, {}, { 'pre-authorized_code': '' }, { 'pre-authorized_code': 'x'.repeat(4097) }, { 'pre-authorized_code': 'pac', tx_code: 'yes' }, { 'pre-authorized_code': 'pac', authorization_server: '' }]) {
      expect(() => checkPreAuthorizedCodeGrant(bad, problem)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    }
  });
});
