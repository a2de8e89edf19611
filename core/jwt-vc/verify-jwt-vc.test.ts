import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlEncode, base64urlEncodeString } from '../encoding/base64url.js';
import { isUrbisError } from '../errors/urbis-error.js';
import { buildW3cCredential, encodeJwtVcPayload } from './credential-builder.js';
import type { JwtVcIssueArgs, JwtVcSignatureCheck } from './jwt-vc-port.js';
import { createJwtVcVerifier } from './verify-jwt-vc.js';

const ISSUER = 'did:key:zDnaeUKTWUXc1HDpGfKbEK31nKLN19yX5aunFd7VK1CUMeyJu';
const NOW = new Date('2026-06-01T00:00:00Z');
const args: JwtVcIssueArgs = {
  type: ['VerifiableCredential', 'ResidentCredential'],
  claims: { municipality: 'Lyon' },
  subjectId: 'did:jwk:holder',
  issuerDid: ISSUER,
  validFrom: new Date('2026-01-01T00:00:00Z'),
  validUntil: new Date('2027-01-01T00:00:00Z'),
  credentialStatus: { type: 'BitstringStatusListEntry', statusListIndex: '3' },
  vcdmVersion: '2.0',
};

// The pipeline only needs a well-formed ES256 JWS: sign with node:crypto, let a fake hook decide.
const crypto = createNodeCrypto();
const key = crypto.signingKeyFromJwk({ privateJwk: crypto.generateKeyPair().privateJwk });
function jwtFor(patch: Partial<JwtVcIssueArgs> = {}): string {
  const input = `${base64urlEncodeString(JSON.stringify({ alg: 'ES256', typ: 'JWT' }))}.${base64urlEncodeString(
    JSON.stringify(encodeJwtVcPayload(buildW3cCredential({ ...args, ...patch }))),
  )}`;
  return `${input}.${base64urlEncode(key.sign(input))}`;
}

function hook(outcome: Awaited<ReturnType<JwtVcSignatureCheck>>): JwtVcSignatureCheck & { calls: number } {
  const fn = Object.assign(
    async () => {
      fn.calls += 1;
      return outcome;
    },
    { calls: 0 },
  );
  return fn;
}

describe('createJwtVcVerifier (pipeline)', () => {
  it('returns the verified credential', async () => {
    const verify = createJwtVcVerifier({ checkSignature: hook({ ok: true, issuer: ISSUER }) });
    await expect(verify({ jwt: jwtFor(), now: NOW, trustedIssuers: [ISSUER] })).resolves.toEqual({
      ok: true,
      vcdmVersion: '2.0',
      issuer: ISSUER,
      type: ['VerifiableCredential', 'ResidentCredential'],
      claims: { municipality: 'Lyon' },
      subjectId: 'did:jwk:holder',
      validFrom: new Date('2026-01-01T00:00:00Z'),
      validUntil: new Date('2027-01-01T00:00:00Z'),
      credentialStatus: { type: 'BitstringStatusListEntry', statusListIndex: '3' },
    });
  });

  it('maps a library refusal to JWT_VC_INVALID with the hook check', async () => {
    const verify = createJwtVcVerifier({ checkSignature: hook({ ok: false, check: 'signature', detail: 'bad' }) });
    await expect(verify({ jwt: jwtFor(), now: NOW })).resolves.toEqual({
      ok: false,
      failures: [{ check: 'signature', code: 'JWT_VC_INVALID', detail: 'bad' }],
    });
  });

  it('refuses a library that matched a key of another DID', async () => {
    const verify = createJwtVcVerifier({ checkSignature: hook({ ok: true, issuer: 'did:key:zDnOther' }) });
    const result = await verify({ jwt: jwtFor(), now: NOW });
    expect(!result.ok && result.failures.map((f) => f.code)).toEqual(['JWT_VC_INVALID']);
  });

  it('turns a throwing hook into JWT_VC_INVALID', async () => {
    const verify = createJwtVcVerifier({
      checkSignature: async () => {
        throw new Error('boom');
      },
    });
    const result = await verify({ jwt: jwtFor(), now: NOW });
    expect(!result.ok && result.failures).toEqual([{ check: 'signature', code: 'JWT_VC_INVALID', detail: expect.any(String) }]);
  });

  it('does not call the library when a pre-check fails (size, header, trust)', async () => {
    const checkSignature = hook({ ok: true, issuer: ISSUER });
    const verify = createJwtVcVerifier({ checkSignature });
    const [, payload] = jwtFor().split('.');
    const none = `${base64urlEncodeString(JSON.stringify({ alg: 'none' }))}.${payload}.`;
    const results = await Promise.all([
      verify({ jwt: 'a'.repeat(70_000), now: NOW }),
      verify({ jwt: none, now: NOW }),
      verify({ jwt: jwtFor(), now: NOW, trustedIssuers: ['did:key:zDnOther'] }),
    ]);
    expect(results.map((r) => !r.ok && r.failures[0]?.code)).toEqual(['INPUT_TOO_LARGE', 'ALG_NONE', 'ISSUER_UNTRUSTED']);
    expect(checkSignature.calls).toBe(0);
  });

  it('checks validity only after the signature', async () => {
    const expired = jwtFor({ validFrom: new Date('2025-01-01T00:00:00Z'), validUntil: new Date('2025-02-01T00:00:00Z') });
    const bad = createJwtVcVerifier({ checkSignature: hook({ ok: false, check: 'signature', detail: 'bad' }) });
    const good = createJwtVcVerifier({ checkSignature: hook({ ok: true, issuer: ISSUER }) });
    expect(((await bad({ jwt: expired, now: NOW })) as { failures: { code: string }[] }).failures[0]?.code).toBe('JWT_VC_INVALID');
    expect(((await good({ jwt: expired, now: NOW })) as { failures: { code: string }[] }).failures[0]?.code).toBe(
      'CREDENTIAL_EXPIRED',
    );
  });

  it('honours clockSkewSeconds', async () => {
    const jwt = jwtFor({ validUntil: new Date(NOW.getTime() - 30_000), validFrom: new Date('2026-01-01T00:00:00Z') });
    const checkSignature = hook({ ok: true, issuer: ISSUER });
    expect((await createJwtVcVerifier({ checkSignature })({ jwt, now: NOW })).ok).toBe(true);
    expect((await createJwtVcVerifier({ checkSignature, clockSkewSeconds: 0 })({ jwt, now: NOW })).ok).toBe(false);
  });

  it('throws INVALID_ARGUMENT for bad options, not for bad credentials', async () => {
    const verify = createJwtVcVerifier({ checkSignature: hook({ ok: true, issuer: ISSUER }) });
    const error = await verify({ jwt: jwtFor(), now: new Date('x') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUrbisError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(() => createJwtVcVerifier({ checkSignature: hook({ ok: true, issuer: ISSUER }), clockSkewSeconds: -1 })).toThrow();
    await expect(verify({ jwt: 42 as unknown as string })).resolves.toMatchObject({ ok: false });
  });
});
