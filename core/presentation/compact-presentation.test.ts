import { describe, expect, it } from '@jest/globals';
import { deflate } from 'pako';
import { createCredentialKit } from '../test-kit/credential-kit.js';
import { COMPACT_PRESENTATION_MAGIC, decodeCompactPresentation, encodeCompactPresentation, isCompactPresentation } from './compact-presentation.js';

const framed = (body: Uint8Array): Uint8Array => Uint8Array.from([...COMPACT_PRESENTATION_MAGIC, ...deflate(body)]);

describe('compact presentation (QR byte mode)', () => {
  it.each(['dc+sd-jwt', 'vc+sd-jwt'] as const)('gives back the exact %s presentation, a quarter smaller or better, and it still verifies', async (format) => {
    const kit = createCredentialKit();
    const holder = kit.newHolder();
    const credential = await kit.issue({ format, holder });
    const presentation = await kit.present({ credential, holder, claims: [['age_over_18'], ['address', 'locality']] });
    const bytes = encodeCompactPresentation({ text: presentation });
    expect(isCompactPresentation(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(presentation.length * 0.78);
    const text = decodeCompactPresentation({ bytes });
    expect(text).toBe(presentation);
    expect(await kit.verify({ presentation: text })).toMatchObject({ ok: true });
  });

  it('keeps an SD-JWT without key binding (trailing ~) and a vp_token object with several presentations', async () => {
    const kit = createCredentialKit();
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder });
    expect(decodeCompactPresentation({ bytes: encodeCompactPresentation({ text: credential }) })).toBe(credential);
    const a = await kit.present({ credential, holder, claims: [['age_over_18']] });
    const token = JSON.stringify({ resident: [a], pools: [a] });
    expect(decodeCompactPresentation({ bytes: encodeCompactPresentation({ text: token }) })).toBe(token);
  });

  it('refuses to encode what it could not give back exactly (INVALID_ARGUMENT)', () => {
    for (const text of ['', 'not base64!', 'eyJ.a+b', 'ab~c', '{"a":"b"}', '{"a":["x","y"]}', '{']) {
      expect(() => encodeCompactPresentation({ text })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('refuses damaged, truncated, trailing, unknown and over-expanding forms with typed codes', () => {
    const good = encodeCompactPresentation({ text: 'eyJhIjoxfQ.eyJiIjoyfQ.c2ln~' });
    expect(() => decodeCompactPresentation({ bytes: good.subarray(0, good.length - 3) })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    expect(() => decodeCompactPresentation({ bytes: Uint8Array.of(1, 2, 3, 4) })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    expect(() => decodeCompactPresentation({ bytes: framed(Uint8Array.of(9)) })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    expect(() => decodeCompactPresentation({ bytes: framed(Uint8Array.of(1, 3, 0x61, 0x62, 0x63, 7)) })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    expect(() => decodeCompactPresentation({ bytes: framed(Uint8Array.of(1, 1, 0x61, 2, 0)) })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    expect(() => decodeCompactPresentation({ bytes: framed(Uint8Array.of(1, 200, 1)) })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    const bomb = new Uint8Array(200_000);
    bomb[0] = 1;
    expect(() => decodeCompactPresentation({ bytes: framed(bomb) })).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });
});
