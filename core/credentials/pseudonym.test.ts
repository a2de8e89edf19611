import { createHmac, webcrypto } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { UrbisError } from '../errors/urbis-error.js';
import fixtures from './fixtures/citizens.json' with { type: 'json' };
import { PSEUDONYM_DOMAIN, derivePseudonym, pseudonymInput, type HmacSha256 } from './pseudonym.js';
import { validateClaims } from './validate-claims.js';

const nodeHmac: HmacSha256 = (key, data) => createHmac('sha256', key).update(data).digest();

/** The browser path: Web Crypto, asynchronous. */
const webHmac: HmacSha256 = async (key, data) => {
  const k = await webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await webcrypto.subtle.sign('HMAC', k, data));
};

const secret = Uint8Array.from(Buffer.from(fixtures.pseudonymSecretHex, 'hex'));
const otherSecret = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

async function codeOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    return e instanceof UrbisError ? e.code : `not an UrbisError: ${String(e)}`;
  }
  return undefined;
}

/** Independent encoding of the HMAC input, straight from the TSDoc. */
function referenceInput(serviceId: string, subjectId: string): Buffer {
  const field = (s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    return Buffer.concat([len, bytes]);
  };
  return Buffer.concat([field('urbis-pseudonym-v1'), field(serviceId), field(subjectId)]);
}

describe('derivePseudonym', () => {
  const vectors = fixtures.citizens.flatMap((c) => c.entitlements.map((e) => [c.subjectId, e.service_id, e.pseudonym] as const));

  it.each(vectors)('fixture vector: subject %s, service %s', async (subjectId, serviceId, expected) => {
    expect(await derivePseudonym({ hmacSha256: nodeHmac, secret, subjectId, serviceId })).toBe(expected);
    expect(await derivePseudonym({ hmacSha256: webHmac, secret, subjectId, serviceId })).toBe(expected);
  });

  it('encodes the HMAC input as length-prefixed UTF-8 fields', () => {
    expect(PSEUDONYM_DOMAIN).toBe('urbis-pseudonym-v1');
    const input = pseudonymInput({ serviceId: 'pools', subjectId: 'gij-ñ' });
    expect(Buffer.from(input)).toEqual(referenceInput('pools', 'gij-ñ'));
    expect(Buffer.from(input.subarray(0, 4)).readUInt32BE()).toBe(18);
    expect(Buffer.from(input).subarray(-10).toString('hex')).toBe('0000000667696a2dc3b1');
  });

  it('is deterministic, 43 base64url characters, and a valid pseudonym claim', async () => {
    const a = await derivePseudonym({ hmacSha256: nodeHmac, secret, subjectId: 'gij-000001', serviceId: 'parking' });
    const b = await derivePseudonym({ hmacSha256: nodeHmac, secret, subjectId: 'gij-000001', serviceId: 'parking' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const claims = { service_id: 'parking', tier: 'standard', pseudonym: a, municipality: 'Gijón' };
    expect(() => validateClaims({ type: 'ServiceEntitlementCredential', claims, mode: 'issuance' })).not.toThrow();
  });

  it('differs across services, subjects and secrets', async () => {
    const p = (serviceId: string, subjectId: string, s = secret) =>
      derivePseudonym({ hmacSha256: nodeHmac, secret: s, subjectId, serviceId });
    const base = await p('pools', 'gij-000001');
    expect(await p('library', 'gij-000001')).not.toBe(base);
    expect(await p('pools', 'gij-000002')).not.toBe(base);
    expect(await p('pools', 'gij-000001', otherSecret)).not.toBe(base);
  });

  it('length prefixes keep ("a", "bc") apart from ("ab", "c")', async () => {
    // Plain concatenation would feed the HMAC the same bytes for both.
    expect(Buffer.concat([Buffer.from('a'), Buffer.from('bc')])).toEqual(Buffer.concat([Buffer.from('ab'), Buffer.from('c')]));
    const x = pseudonymInput({ serviceId: 'a', subjectId: 'bc' });
    const y = pseudonymInput({ serviceId: 'ab', subjectId: 'c' });
    expect(Buffer.from(x).equals(Buffer.from(y))).toBe(false);
    const px = await derivePseudonym({ hmacSha256: nodeHmac, secret, serviceId: 'a', subjectId: 'bc' });
    const py = await derivePseudonym({ hmacSha256: nodeHmac, secret, serviceId: 'ab', subjectId: 'c' });
    expect(px).not.toBe(py);
  });

  it('never collides for distinct (service, subject) pairs in samples (fast-check)', async () => {
    const serviceId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/);
    const subjectId = fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' });
    const pairs = fc.uniqueArray(fc.tuple(serviceId, subjectId), {
      minLength: 2,
      maxLength: 40,
      selector: ([s, u]) => JSON.stringify([s, u]),
    });
    await fc.assert(
      fc.asyncProperty(pairs, async (list) => {
        const seen = new Set<string>();
        const inputs = new Set<string>();
        for (const [svc, sub] of list) {
          inputs.add(Buffer.from(pseudonymInput({ serviceId: svc, subjectId: sub })).toString('hex'));
          seen.add(await derivePseudonym({ hmacSha256: nodeHmac, secret, serviceId: svc, subjectId: sub }));
        }
        // The encoding is injective and the pseudonyms are distinct.
        expect(inputs.size).toBe(list.length);
        expect(seen.size).toBe(list.length);
      }),
      { numRuns: 100 },
    );
  });

  it('does not depend on the subject only: the same subject gets unrelated pseudonyms per service', async () => {
    const services = ['pools', 'library', 'transport', 'waste-centre', 'youth-pass', 'parking', 'sports-booking'];
    const all = await Promise.all(
      services.map((serviceId) => derivePseudonym({ hmacSha256: nodeHmac, secret, subjectId: 'gij-000001', serviceId })),
    );
    expect(new Set(all).size).toBe(services.length);
  });

  it.each([
    ['a 31-byte secret', { secret: new Uint8Array(31) }],
    ['an empty secret', { secret: new Uint8Array(0) }],
    ['a string secret', { secret: 'x'.repeat(64) as unknown as Uint8Array }],
    ['a service id with uppercase', { serviceId: 'Pools' }],
    ['a service id with a slash', { serviceId: 'pools/x' }],
    ['an empty service id', { serviceId: '' }],
    ['an empty subject id', { subjectId: '' }],
    ['a subject id over 1024 bytes', { subjectId: 'ñ'.repeat(513) }],
    ['a subject id with a lone surrogate', { subjectId: 'gij-\uD800' }],
    ['a non-function hmac', { hmacSha256: 'sha256' as unknown as HmacSha256 }],
    ['an hmac that returns 20 bytes', { hmacSha256: () => new Uint8Array(20) }],
  ])('refuses %s with INVALID_ARGUMENT', async (_label, override) => {
    const args = { hmacSha256: nodeHmac, secret, subjectId: 'gij-000001', serviceId: 'pools', ...override };
    expect(await codeOf(() => derivePseudonym(args))).toBe('INVALID_ARGUMENT');
  });

  it('accepts secrets longer than 32 bytes and subject ids of exactly 1024 bytes', async () => {
    await expect(
      derivePseudonym({ hmacSha256: nodeHmac, secret: new Uint8Array(64).fill(7), subjectId: 'ñ'.repeat(512), serviceId: 'pools' }),
    ).resolves.toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps well-formed astral characters (surrogate pairs) in subject ids', async () => {
    expect(Buffer.from(pseudonymInput({ serviceId: 'pools', subjectId: '🏊' })).subarray(-4).toString('hex')).toBe('f09f8f8a');
  });
});
