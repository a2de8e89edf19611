import { beforeAll, describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { isUrbisError } from '../../core/errors/urbis-error.js';
import { createDidJwtVcIssuer } from './did-jwt-vc-issuer.js';
import { createFixture, residentArgs, type Fixture } from './test-support.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (isUrbisError(e) ? e.code : `not an UrbisError: ${String(e)}`),
  );
}

describe.each(['did-jwt-vc', 'Veramo'] as const)('%s issuer', (name) => {
  it('refuses an issuer DID whose key it does not hold → DID_NOT_FOUND', async () => {
    const { privateJwk } = createNodeCrypto().generateKeyPair();
    const other = createDidJwtVcIssuer({ privateJwk }).issuerDid;
    const args = residentArgs({ issuerDid: other, vcdmVersion: '2.0' });
    expect(await codeOf(fx.issuers[name](args))).toBe('DID_NOT_FOUND');
  });

  it('refuses bad arguments → INVALID_ARGUMENT', async () => {
    const args = residentArgs({ issuerDid: fx.issuerDid, vcdmVersion: '1.1' });
    expect(await codeOf(fx.issuers[name]({ ...args, claims: { id: 'x' } }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(fx.issuers[name]({ ...args, validUntil: args.validFrom }))).toBe('INVALID_ARGUMENT');
  });

  it('never puts claim values in error messages', async () => {
    const args = residentArgs({ issuerDid: 'did:key:zDnUnknown', vcdmVersion: '2.0' });
    const error = await fx.issuers[name](args).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).not.toContain('Camille');
    expect(error?.message).not.toContain('Martin');
  });
});
