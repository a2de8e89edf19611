import { describe, expect, it } from '@jest/globals';
import { parseCredentialRequest } from './credential-request.js';

const jwt = 'eyJ0eXAiOiJvcGVuaWQ0dmNpLXByb29mK2p3dCJ9.e30.c2ln';
const request = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  credential_configuration_id: 'resident.dc+sd-jwt',
  proofs: { jwt: [jwt, `${jwt}2`] },
  ...overrides,
});

describe('credential requests (OID4VCI 1.0 §8.2)', () => {
  it('reads the configuration id and the jwt proofs, in order, ignoring unknown members', () => {
    expect(parseCredentialRequest(request({ extra: 1 }), { maxBatch: 10 })).toEqual({
      credentialConfigurationId: 'resident.dc+sd-jwt',
      proofJwts: [jwt, `${jwt}2`],
    });
  });

  it('accepts exactly maxBatch proofs and refuses one more with BATCH_SIZE_INVALID', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `${jwt}${i}`);
    expect(parseCredentialRequest(request({ proofs: { jwt: ten } }), { maxBatch: 10 }).proofJwts).toHaveLength(10);
    expect(() => parseCredentialRequest(request({ proofs: { jwt: [...ten, jwt] } }), { maxBatch: 10 })).toThrow(
      expect.objectContaining({ code: 'BATCH_SIZE_INVALID' }),
    );
    expect(() => parseCredentialRequest(request(), { maxBatch: 1 })).toThrow(expect.objectContaining({ code: 'BATCH_SIZE_INVALID' }));
  });

  it.each([
    ['a non-object body', 'resident.dc+sd-jwt'],
    ['a null body', null],
    ['an array body', [request()]],
    ['no credential_configuration_id', request({ credential_configuration_id: undefined })],
    ['a non-string credential_configuration_id', request({ credential_configuration_id: 7 })],
    ['an empty credential_configuration_id', request({ credential_configuration_id: '' })],
    ['a credential_identifier', request({ credential_configuration_id: undefined, credential_identifier: 'x' })],
    ['both identifiers', request({ credential_identifier: 'x' })],
    ['the pre-1.0 single proof', request({ proofs: undefined, proof: { proof_type: 'jwt', jwt } })],
    ['a single proof next to proofs', request({ proof: { proof_type: 'jwt', jwt } })],
    ['response encryption', request({ credential_response_encryption: { jwk: {}, enc: 'A128GCM' } })],
    ['proofs that is an array', request({ proofs: [jwt] })],
    ['an unsupported proof type', request({ proofs: { di_vp: [{}] } })],
    ['an attestation proof type', request({ proofs: { attestation: [jwt] } })],
    ['two proof types', request({ proofs: { jwt: [jwt], attestation: [jwt] } })],
    ['proofs.jwt that is a string', request({ proofs: { jwt } })],
    ['an empty proofs.jwt', request({ proofs: { jwt: [] } })],
    ['a non-string proof', request({ proofs: { jwt: [jwt, { jwt }] } })],
    ['an empty proof string', request({ proofs: { jwt: [''] } })],
  ])('refuses %s with CREDENTIAL_REQUEST_INVALID', (_label, body) => {
    expect(() => parseCredentialRequest(body, { maxBatch: 10 })).toThrow(expect.objectContaining({ code: 'CREDENTIAL_REQUEST_INVALID' }));
  });

  it('§8.3.1.2: a request without proofs is PROOF_INVALID (invalid_proof)', () => {
    expect(() => parseCredentialRequest(request({ proofs: undefined }), { maxBatch: 10 })).toThrow(expect.objectContaining({ code: 'PROOF_INVALID' }));
  });

  it('wants a positive integer maxBatch', () => {
    expect(() => parseCredentialRequest(request(), { maxBatch: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
