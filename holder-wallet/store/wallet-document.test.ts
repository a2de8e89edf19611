import { describe, expect, it } from '@jest/globals';
import { TEST_NOW, copyWithKey, documentWith } from '../testing/wallet-fixtures.js';
import { checkWalletDocument, emptyWalletDocument, type WalletDocument } from './wallet-document.js';
import { createMemoryKeyHandles } from '../keys/memory-key-handles.js';

const check = (value: unknown) => checkWalletDocument(value, { errorCode: 'WALLET_STORE_CORRUPTED' });

describe('checkWalletDocument', () => {
  it('accepts an empty document and a full one, keeping unknown extra members', async () => {
    expect(check(emptyWalletDocument())).toEqual(emptyWalletDocument());
    const full = documentWith([
      await copyWithKey({ id: 'a', marker: 'A', exportable: true }),
      await copyWithKey({ id: 'b', marker: 'B', exportable: false, handles: createMemoryKeyHandles(), spentAt: TEST_NOW }),
    ]);
    const extended = { ...full, laterMember: [{ later: true }] };
    expect(check(structuredClone(extended))).toEqual(extended);
    const keyId = full.keys[0]!.id;
    const withOptional: WalletDocument = {
      ...full,
      credentials: full.credentials.map((c) => ({ ...c, status: 'revoked', statusCheckedAt: TEST_NOW })),
      refreshGrants: [{ id: 'g', issuerUrl: 'https://sede.gijon.es', refreshToken: 'rt', configurationIds: ['resident.dc+sd-jwt'], obtainedAt: TEST_NOW }],
      pendingIssuances: [
        {
          id: 'p',
          issuerUrl: 'https://sede.gijon.es',
          configurationId: 'resident.dc+sd-jwt',
          format: 'dc+sd-jwt',
          deferredCredentialEndpoint: 'https://sede.gijon.es/oid4vci/deferred_credential',
          transactionId: 't',
          interval: 5,
          notBefore: TEST_NOW * 1000,
          accessToken: 'at',
          keyIds: [keyId],
          createdAt: TEST_NOW,
        },
      ],
    };
    expect(check(structuredClone(withOptional))).toEqual(withOptional);
  });

  it('refuses a newer document version with DOCUMENT_TYPE_UNSUPPORTED, whatever the errorCode', () => {
    expect(() => checkWalletDocument({ ...emptyWalletDocument(), version: 2 }, { errorCode: 'INVALID_ARGUMENT' })).toThrow(
      expect.objectContaining({ code: 'WALLET_FORMAT_NEWER' }),
    );
  });

  it('refuses schema breaks with the given code, naming the member and never its value', async () => {
    const copy = await copyWithKey({ id: 'a', marker: 'SECRETVALUE', exportable: true });
    const other = await copyWithKey({ id: 'b', marker: 'B', exportable: true });
    const base = documentWith([copy]);
    const broken: [string, (d: WalletDocument) => unknown][] = [
      ['not an object', () => []],
      ['version 0', (d) => ({ ...d, version: 0 })],
      ['missing list', (d) => ({ ...d, history: undefined })],
      ['credential without id', (d) => ({ ...d, credentials: [{ ...copy.credential, id: '' }] })],
      ['unknown format', (d) => ({ ...d, credentials: [{ ...copy.credential, format: 'mso_mdoc' }] })],
      ['non-integer time', (d) => ({ ...d, credentials: [{ ...copy.credential, receivedAt: 1.5 }] })],
      ['duplicate credential id', (d) => ({ ...d, credentials: [copy.credential, copy.credential] })],
      ['exportable key without private part', (d) => ({ ...d, keys: [{ ...copy.key, privateJwk: undefined }] })],
      ['non-exportable key with private part', (d) => ({ ...d, keys: [{ ...copy.key, exportable: false }] })],
      ['private part of another key', (d) => ({ ...d, keys: [{ ...copy.key, privateJwk: other.key.privateJwk }] })],
      ['private JWK as public key', (d) => ({ ...d, keys: [{ ...copy.key, publicJwk: copy.key.privateJwk }] })],
      ['duplicate key id', (d) => ({ ...d, keys: [copy.key, { ...other.key, id: copy.key.id }] })],
      ['history path not strings', (d) => ({ ...d, history: [{ ...d.history[0]!, disclosed: [[1]] }] })],
      ['history flow unknown', (d) => ({ ...d, history: [{ ...d.history[0]!, flow: 'bluetooth' }] })],
      ['trusted issuer without name', (d) => ({ ...d, trustedIssuers: [{ issuerUrl: 'https://x.example' }] })],
      ['trusted issuer duplicate', (d) => ({ ...d, trustedIssuers: [d.trustedIssuers[0], d.trustedIssuers[0]] })],
      ['unknown copy status', (d) => ({ ...d, credentials: [{ ...copy.credential, status: 'lost' }] })],
      ['refresh grants not a list', (d) => ({ ...d, refreshGrants: {} })],
      ['refresh grant without token', (d) => ({ ...d, refreshGrants: [{ id: 'g', issuerUrl: 'https://x.example', configurationIds: ['c'], obtainedAt: 1 }] })],
      ['refresh grant without configurations', (d) => ({ ...d, refreshGrants: [{ id: 'g', issuerUrl: 'https://x.example', refreshToken: 'SECRETVALUE', configurationIds: [], obtainedAt: 1 }] })],
      [
        'pending issuance naming a key not in keys',
        (d) => ({
          ...d,
          pendingIssuances: [
            { id: 'p', issuerUrl: 'https://x.example', configurationId: 'c', format: 'dc+sd-jwt', deferredCredentialEndpoint: 'https://x.example/d', transactionId: 't', interval: 5, notBefore: 1, accessToken: 'SECRETVALUE', keyIds: ['nope'], createdAt: 1 },
          ],
        }),
      ],
    ];
    for (const [label, make] of broken) {
      let error: unknown;
      try {
        check(make(structuredClone(base)));
      } catch (e) {
        error = e;
      }
      expect({ label, error }).toMatchObject({ label, error: { code: 'WALLET_STORE_CORRUPTED' } });
      expect((error as Error).message).not.toContain('SECRETVALUE');
      expect((error as Error).message).not.toContain(copy.key.privateJwk!.d);
    }
  });
});
