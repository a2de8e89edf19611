import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import type { PublicJwk } from '../crypto/ports.js';
import vectors from '../sd-jwt/fixtures/rfc9901-vectors.json' with { type: 'json' };
import { verifySdJwt } from './verify-sd-jwt.js';

const crypto = createNodeCrypto();
const issuerKey = vectors.issuer_public_jwk as PublicJwk;
const kbPayload = vectors.section_5_2_kb_jwt_payload;
const keyBinding = { nonce: kbPayload.nonce, audience: kbPayload.aud };

describe('verifySdJwt against RFC 9901 examples', () => {
  it('RFC 9901 §5.2: the SD-JWT+KB verifies with the published issuer key and yields the processed payload', async () => {
    const result = await verifySdJwt({
      compact: vectors.section_5_2_sd_jwt_kb,
      issuerKey,
      expectedTyp: [vectors.typ],
      crypto,
      keyBinding,
      now: kbPayload.iat + 10,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.payload).toEqual(vectors.section_5_2_processed_payload);
    expect(result.keyBinding).toEqual(kbPayload);
  });

  it('RFC 9901 §5.1: the issued SD-JWT (all disclosures, no KB) verifies and discloses everything', async () => {
    const result = await verifySdJwt({ compact: vectors.section_5_1_sd_jwt, issuerKey, expectedTyp: [vectors.typ], crypto, now: 1_700_000_000 });
    expect(result.ok && result.payload).toMatchObject({
      given_name: 'John',
      family_name: 'Doe',
      email: 'johndoe@example.com',
      phone_number: '+1-202-555-0101',
      phone_number_verified: true,
      birthdate: '1940-01-01',
      updated_at: 1570000000,
      nationalities: ['US', 'DE'],
    });
  });

  it('RFC 9901 §5.2: the same presentation fails for another verifier, nonce or time, each with its code', async () => {
    const base = { compact: vectors.section_5_2_sd_jwt_kb, issuerKey, expectedTyp: [vectors.typ], crypto };
    const failuresOf = async (args: Partial<Parameters<typeof verifySdJwt>[0]>): Promise<string[]> => {
      const result = await verifySdJwt({ ...base, keyBinding, now: kbPayload.iat + 10, ...args });
      return result.ok ? [] : result.failures.map((f) => f.code);
    };
    expect(await failuresOf({ keyBinding: { ...keyBinding, audience: 'https://other.example.org' } })).toEqual(['KB_AUD_MISMATCH']);
    expect(await failuresOf({ keyBinding: { ...keyBinding, nonce: '0987654321' } })).toEqual(['KB_NONCE_MISMATCH']);
    expect(await failuresOf({ now: kbPayload.iat + 3600 })).toEqual(['KB_IAT_OUT_OF_WINDOW']);
    expect(await failuresOf({ now: 1_883_000_000 + 3600 })).toEqual(['CREDENTIAL_EXPIRED', 'KB_IAT_OUT_OF_WINDOW']);
    expect(await failuresOf({ expectedTyp: ['dc+sd-jwt'] })).toEqual(['TYP_INVALID']);
    expect(await failuresOf({ issuerKey: vectors.holder_public_jwk as PublicJwk })).toEqual(['SIGNATURE_INVALID']);
  });

  it('RFC 9901 §5.2: dropping the KB-JWT when key binding is required → KB_MISSING', async () => {
    const withoutKb = vectors.section_5_2_sd_jwt_kb.slice(0, vectors.section_5_2_sd_jwt_kb.lastIndexOf('~') + 1);
    const result = await verifySdJwt({ compact: withoutKb, issuerKey, expectedTyp: [vectors.typ], crypto, keyBinding, now: kbPayload.iat });
    expect(result.ok ? [] : result.failures.map((f) => f.code)).toEqual(['KB_MISSING']);
  });
});
