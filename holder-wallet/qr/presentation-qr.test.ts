import { describe, expect, test } from '@jest/globals';
import { decodeCompactPresentation } from '../../core/presentation/compact-presentation.js';
import { residentQuery, requestLink, walletWithCopies } from '../testing/test-wallet.js';
import { parsePresentationRequest } from '../presentation/presentation-request.js';
import { prepareConsent } from '../presentation/consent.js';
import { presentWithConsent } from '../presentation/present.js';
import { presentationQr } from './presentation-qr.js';

describe('presentationQr', () => {
  async function presentation(claims: string[][]): Promise<string> {
    const { kit, store } = await walletWithCopies([{ type: 'ResidentCredential', count: 1 }]);
    const request = parsePresentationRequest(requestLink({ client_id: 'urbis:terminal:gijon-pool-1', nonce: 'n'.repeat(22), response_type: 'vp_token', dcql_query: JSON.stringify({ credentials: [residentQuery(claims)] }) }));
    const consent = await prepareConsent({ request, document: await store.load() });
    return (await presentWithConsent({ consent, store, now: kit.now })).text;
  }

  test('compact by default: fewer bytes, a smaller version, and the scanned bytes give back the exact text', async () => {
    const text = await presentation([['age_over_18'], ['municipality']]);
    const compact = await presentationQr({ text });
    const plain = await presentationQr({ text, encoding: 'text' });
    expect(compact.encoding).toBe('compact');
    expect(compact.data.length).toBeLessThan(plain.data.length * 0.8);
    expect(compact.version).toBeLessThan(plain.version);
    expect(decodeCompactPresentation({ bytes: compact.data })).toBe(text);
    expect(new TextDecoder().decode(plain.data)).toBe(text);
  });

  test('compact needs a presentation; no text or an unknown encoding is INVALID_ARGUMENT', async () => {
    await expect(presentationQr({ text: 'hello, world' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(presentationQr({ text: 'hello, world', encoding: 'text' })).resolves.toMatchObject({ version: 1 });
    await expect(presentationQr({ text: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(presentationQr({ text: 'eyJ9', encoding: 'morse' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
