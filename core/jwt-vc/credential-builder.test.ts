import { describe, expect, it } from '@jest/globals';
import { isUrbisError } from '../errors/urbis-error.js';
import { buildW3cCredential, encodeJwtVcPayload } from './credential-builder.js';
import { VCDM_1_1_CONTEXT, VCDM_2_0_CONTEXT, type JwtVcIssueArgs } from './jwt-vc-port.js';

const ISSUER = 'did:key:zDnaeUKTWUXc1HDpGfKbEK31nKLN19yX5aunFd7VK1CUMeyJu';
const base: JwtVcIssueArgs = {
  type: ['VerifiableCredential', 'ResidentCredential'],
  claims: { municipality: 'Lyon', age_over_18: true },
  subjectId: 'did:jwk:holder',
  issuerDid: ISSUER,
  validFrom: new Date('2026-01-01T00:00:00.789Z'),
  validUntil: new Date('2027-01-01T00:00:00Z'),
  vcdmVersion: '2.0',
};

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(isUrbisError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return;
  }
  throw new Error(`expected UrbisError ${code}`);
}

describe('buildW3cCredential', () => {
  it('builds a VCDM 2.0 credential with validFrom/validUntil in whole seconds', () => {
    expect(buildW3cCredential(base)).toEqual({
      '@context': [VCDM_2_0_CONTEXT],
      type: ['VerifiableCredential', 'ResidentCredential'],
      issuer: ISSUER,
      credentialSubject: { id: 'did:jwk:holder', municipality: 'Lyon', age_over_18: true },
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2027-01-01T00:00:00Z',
    });
  });

  it('builds a VCDM 1.1 credential with issuanceDate/expirationDate', () => {
    const credential = buildW3cCredential({ ...base, vcdmVersion: '1.1', subjectId: undefined });
    expect(credential).toEqual({
      '@context': [VCDM_1_1_CONTEXT],
      type: ['VerifiableCredential', 'ResidentCredential'],
      issuer: ISSUER,
      credentialSubject: { municipality: 'Lyon', age_over_18: true },
      issuanceDate: '2026-01-01T00:00:00Z',
      expirationDate: '2027-01-01T00:00:00Z',
    });
  });

  it('puts VerifiableCredential first and drops duplicate types', () => {
    const credential = buildW3cCredential({ ...base, type: ['ResidentCredential', 'VerifiableCredential', 'ResidentCredential'] });
    expect(credential.type).toEqual(['VerifiableCredential', 'ResidentCredential']);
  });

  it('passes credentialStatus through (object or array)', () => {
    const status = { id: 'https://city.example/status/1#42', type: 'BitstringStatusListEntry', statusListIndex: '42' };
    expect(buildW3cCredential({ ...base, credentialStatus: status }).credentialStatus).toEqual(status);
    expect(buildW3cCredential({ ...base, credentialStatus: [status] }).credentialStatus).toEqual([status]);
  });

  it.each([
    ['claims with id', { claims: { id: 'x' } }],
    ['empty claims', { claims: {} }],
    ['claims not an object', { claims: [] as unknown as Record<string, unknown> }],
    ['validUntil not after validFrom', { validUntil: new Date('2026-01-01T00:00:00Z') }],
    ['invalid date', { validFrom: new Date('nope') }],
    ['issuer not a DID', { issuerDid: 'https://city.example' }],
    ['unknown version', { vcdmVersion: '3.0' as '2.0' }],
    ['empty type', { type: [''] }],
    ['empty subjectId', { subjectId: '' }],
    ['status without type', { credentialStatus: { id: 'x' } as unknown as { type: string } }],
  ])('refuses %s (INVALID_ARGUMENT)', (_name, patch) => {
    expectCode(() => buildW3cCredential({ ...base, ...patch }), 'INVALID_ARGUMENT');
  });
});

describe('encodeJwtVcPayload (VC-JWT encoding, VCDM 1.1 §6.3.1)', () => {
  it('VCDM 1.1: moves issuanceDate/expirationDate to nbf/exp, subject id to sub, id to jti', () => {
    const credential = { ...buildW3cCredential({ ...base, vcdmVersion: '1.1' }), id: 'urn:uuid:1' };
    expect(encodeJwtVcPayload(credential)).toEqual({
      iss: ISSUER,
      sub: 'did:jwk:holder',
      jti: 'urn:uuid:1',
      nbf: 1767225600,
      exp: 1798761600,
      vc: {
        '@context': [VCDM_1_1_CONTEXT],
        type: ['VerifiableCredential', 'ResidentCredential'],
        credentialSubject: { municipality: 'Lyon', age_over_18: true },
      },
    });
  });

  it('VCDM 2.0: mirrors validFrom/validUntil into nbf/exp and keeps them in vc', () => {
    const status = { type: 'BitstringStatusListEntry', statusListIndex: '7' };
    const payload = encodeJwtVcPayload(buildW3cCredential({ ...base, credentialStatus: status }));
    expect(payload).toEqual({
      iss: ISSUER,
      sub: 'did:jwk:holder',
      nbf: 1767225600,
      exp: 1798761600,
      vc: {
        '@context': [VCDM_2_0_CONTEXT],
        type: ['VerifiableCredential', 'ResidentCredential'],
        credentialSubject: { municipality: 'Lyon', age_over_18: true },
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: '2027-01-01T00:00:00Z',
        credentialStatus: status,
      },
    });
    expect(payload).not.toHaveProperty('iat');
  });

  it('keeps unknown credential members inside vc', () => {
    const payload = encodeJwtVcPayload({ ...buildW3cCredential(base), credentialSchema: { id: 's', type: 'JsonSchema' } });
    expect(payload.vc.credentialSchema).toEqual({ id: 's', type: 'JsonSchema' });
  });
});
