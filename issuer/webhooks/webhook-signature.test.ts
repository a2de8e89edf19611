import { createHmac } from 'node:crypto';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const secret = 'test-secret-0123456789abcdefghijklmnop';
const body = '{"id":"1","type":"entitlement.granted"}';
const t = 1_767_225_600; // 2026-01-01T00:00:00Z
const nowMs = t * 1000;

function expectRejected(run: () => unknown, code: string, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UrbisError);
  expect((thrown as UrbisError).code).toBe(code);
  expect((thrown as UrbisError).message).toMatch(message);
}

describe('signWebhook', () => {
  test('matches a vector computed with openssl: t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    // printf '%s' '1767225600.<body>' | openssl dgst -sha256 -hmac '<secret>' -hex
    expect(signWebhook({ secret, body, timestamp: t })).toBe('t=1767225600,v1=7f5906eee73fbd74477b45346486e305607da616301dd4d785c43d7989bd3162');
  });

  test('signs bytes and the same text alike', () => {
    expect(signWebhook({ secret, body: new TextEncoder().encode(body), timestamp: t })).toBe(signWebhook({ secret, body, timestamp: t }));
  });

  test('refuses a millisecond timestamp, a fractional one and a short secret (INVALID_ARGUMENT)', () => {
    expectRejected(() => signWebhook({ secret, body, timestamp: nowMs }), 'INVALID_ARGUMENT', /seconds/);
    expectRejected(() => signWebhook({ secret, body, timestamp: t + 0.5 }), 'INVALID_ARGUMENT', /seconds/);
    expectRejected(() => signWebhook({ secret: 'short', body, timestamp: t }), 'INVALID_ARGUMENT', /at least 32/);
  });

  test('newWebhookSecret: 43 base64url characters, fresh each time', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});

describe('verifyWebhookSignature', () => {
  const header = signWebhook({ secret, body, timestamp: t });

  test('accepts the signed body, as text or bytes, within the window', () => {
    expect(verifyWebhookSignature({ secret, body, header, now: nowMs })).toBe(true);
    expect(verifyWebhookSignature({ secret, body: Buffer.from(body), header, now: nowMs + 299_999 })).toBe(true);
    expect(verifyWebhookSignature({ secret, body, header, now: nowMs + 300_000 })).toBe(true);
    expect(verifyWebhookSignature({ secret, body, header, now: nowMs - 300_000 })).toBe(true);
  });

  test('rejects a wrong secret', () => {
    expectRejected(() => verifyWebhookSignature({ secret: `${secret}x`, body, header, now: nowMs }), 'SIGNATURE_INVALID', /no webhook signature matches/);
  });

  test('rejects an altered body (one character, or re-serialised JSON)', () => {
    expectRejected(() => verifyWebhookSignature({ secret, body: body.replace('granted', 'revoked'), header, now: nowMs }), 'SIGNATURE_INVALID', /no webhook signature matches/);
    expectRejected(() => verifyWebhookSignature({ secret, body: JSON.stringify(JSON.parse(body), null, 1), header, now: nowMs }), 'SIGNATURE_INVALID', /no webhook signature matches/);
  });

  test('rejects a timestamp moved into the window without re-signing', () => {
    const moved = header.replace(`t=${t}`, `t=${t + 1_000}`);
    expectRejected(() => verifyWebhookSignature({ secret, body, header: moved, now: (t + 1_000) * 1000 }), 'SIGNATURE_INVALID', /no webhook signature matches/);
  });

  test('rejects an authentic request older than the window (replay), or too far in the future', () => {
    expectRejected(() => verifyWebhookSignature({ secret, body, header, now: nowMs + 301_000 }), 'SIGNATURE_INVALID', /outside the tolerance/);
    expectRejected(() => verifyWebhookSignature({ secret, body, header, now: nowMs - 301_000 }), 'SIGNATURE_INVALID', /outside the tolerance/);
    expectRejected(() => verifyWebhookSignature({ secret, body, header, now: nowMs + 61_000, toleranceSeconds: 60 }), 'SIGNATURE_INVALID', /outside the tolerance/);
  });

  test.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
    ['without t', `v1=${'a'.repeat(64)}`],
    ['without v1', `t=${t}`],
    ['non-numeric t', `t=abc,v1=${'a'.repeat(64)}`],
    ['negative t', `t=-5,v1=${'a'.repeat(64)}`],
    ['two t', `t=${t},t=${t},v1=${'a'.repeat(64)}`],
    ['short v1', `t=${t},v1=${'a'.repeat(63)}`],
    ['uppercase v1', `t=${t},v1=${'A'.repeat(64)}`],
    ['not hex v1', `t=${t},v1=${'g'.repeat(64)}`],
    ['no key=value', 'garbage'],
    ['empty part', `t=${t},,v1=${'a'.repeat(64)}`],
    ['only another scheme', `t=${t},v0=${'a'.repeat(64)}`],
    ['too long', `t=${t},${`v1=${'a'.repeat(64)},`.repeat(20)}v1=${'a'.repeat(64)}`],
  ])('rejects a malformed header (%s)', (_name, bad) => {
    expectRejected(() => verifyWebhookSignature({ secret, body, header: bad, now: nowMs }), 'SIGNATURE_INVALID', /malformed/);
  });

  test('accepts any matching v1 among several (secret rotation) and ignores other schemes', () => {
    const v1 = header.split(',v1=')[1]!;
    const other = createHmac('sha256', 'another-secret-0123456789abcdefghijk').update(`${t}.${body}`).digest('hex');
    expect(verifyWebhookSignature({ secret, body, header: `t=${t},v1=${other},v1=${v1},v0=zz`, now: nowMs })).toBe(true);
  });

  test('refuses the receiver’s own mistakes with INVALID_ARGUMENT', () => {
    expectRejected(() => verifyWebhookSignature({ secret: '', body, header, now: nowMs }), 'INVALID_ARGUMENT', /secret/);
    expectRejected(() => verifyWebhookSignature({ secret, body: {} as unknown as string, header, now: nowMs }), 'INVALID_ARGUMENT', /body/);
    expectRejected(() => verifyWebhookSignature({ secret, body, header, now: nowMs, toleranceSeconds: -1 }), 'INVALID_ARGUMENT', /toleranceSeconds/);
  });
});
