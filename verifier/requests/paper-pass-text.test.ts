import { describe, expect, it } from '@jest/globals';
import { createCredentialKit } from '../../core/test-kit/credential-kit.js';
import { isPaperPassText } from './paper-pass-text.js';

describe('isPaperPassText', () => {
  const kit = createCredentialKit();
  const paper = (format: 'dc+sd-jwt' | 'vc+sd-jwt') => kit.issuePaper({ format, statusIndex: 3 });

  it('recognises a paper pass in either format', async () => {
    expect(isPaperPassText({ text: await paper('dc+sd-jwt') })).toBe(true);
    expect(isPaperPassText({ text: await paper('vc+sd-jwt') })).toBe(true);
  });

  it('is false for wallet presentations, bare holder-bound credentials, oversized or broken input', async () => {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder });
    expect(isPaperPassText({ text: credential })).toBe(false);
    expect(isPaperPassText({ text: await kit.present({ credential, holder, claims: [['service_id']] }) })).toBe(false);
    const text = await paper('dc+sd-jwt');
    expect(isPaperPassText({ text: text + 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln' })).toBe(false);
    expect(isPaperPassText({ text, maxBytes: 100 })).toBe(false);
    for (const bad of ['', '~', 'not.a.jwt~', 42, undefined, { vct: 'urn:urbis:vct:paper-service-pass:1' }]) expect(isPaperPassText({ text: bad })).toBe(false);
  });
});
