import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { UrbisError } from '../errors/urbis-error.js';
import { buildDidWebDocument } from './did-web-document.js';
import { DEFAULT_MAX_DID_DOCUMENT_BYTES, resolveDidWeb, type DidDocumentFetcher } from './did-web.js';

const crypto = createNodeCrypto();
const did = 'did:web:city.example%3A8443:issuers:mairie';

async function cityDocument(): Promise<{ text: string; document: Awaited<ReturnType<typeof buildDidWebDocument>> }> {
  const document = await buildDidWebDocument({ did, keys: [{ publicJwk: crypto.generateKeyPair().publicJwk }], hash: crypto.hash });
  return { text: JSON.stringify(document), document };
}

describe('resolveDidWeb', () => {
  it('fetches the spec URL through the port, with the size limit, and returns the checked document', async () => {
    const { text, document } = await cityDocument();
    const requests: { url: string; maxBytes: number }[] = [];
    const fetchDocument: DidDocumentFetcher = async (request) => {
      requests.push(request);
      return text;
    };
    expect(await resolveDidWeb({ did, fetchDocument })).toEqual(document);
    expect(requests).toEqual([{ url: 'https://city.example:8443/issuers/mairie/did.json', maxBytes: DEFAULT_MAX_DID_DOCUMENT_BYTES }]);
  });

  it('accepts a UTF-8 byte body', async () => {
    const { text, document } = await cityDocument();
    expect(await resolveDidWeb({ did, fetchDocument: async () => new TextEncoder().encode(text) })).toEqual(document);
  });

  it('passes the unsupportedMethods policy on', async () => {
    const { document } = await cityDocument();
    const withEd25519 = {
      ...document,
      verificationMethod: [
        ...document.verificationMethod,
        { id: `${did}#ed`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } },
      ],
    };
    const fetchDocument = async (): Promise<string> => JSON.stringify(withEd25519);
    await expect(resolveDidWeb({ did, fetchDocument })).rejects.toMatchObject({ code: 'DID_KEY_UNSUPPORTED' });
    expect(await resolveDidWeb({ did, fetchDocument, unsupportedMethods: 'ignore' })).toEqual(document);
  });

  it('refuses bodies above maxDocumentBytes with INPUT_TOO_LARGE, before parsing', async () => {
    const { text } = await cityDocument();
    const limit = text.length - 1;
    await expect(resolveDidWeb({ did, fetchDocument: async () => text, maxDocumentBytes: limit })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    await expect(
      resolveDidWeb({ did, fetchDocument: async () => new TextEncoder().encode(text), maxDocumentBytes: limit }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    // Counted in UTF-8 bytes, not UTF-16 code units: 'é' is 2 bytes.
    await expect(resolveDidWeb({ did, fetchDocument: async () => 'éééé', maxDocumentBytes: 6 })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    await expect(
      resolveDidWeb({ did, fetchDocument: async () => `${' '.repeat(DEFAULT_MAX_DID_DOCUMENT_BYTES)}{}` }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
  });

  it('reports a failing fetcher as DID_NOT_FOUND, and lets UrbisErrors through', async () => {
    await expect(
      resolveDidWeb({
        did,
        fetchDocument: async () => {
          throw new Error('HTTP 404');
        },
      }),
    ).rejects.toMatchObject({ code: 'DID_NOT_FOUND' });
    await expect(
      resolveDidWeb({
        did,
        fetchDocument: async () => {
          throw new UrbisError('INPUT_TOO_LARGE', 'body over limit');
        },
      }),
    ).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
  });

  it('rejects bodies that are not UTF-8 JSON with JSON_INVALID', async () => {
    for (const body of ['<html>not found</html>', '', '{"id":', Uint8Array.of(0x7b, 0xff, 0x7d)]) {
      await expect(resolveDidWeb({ did, fetchDocument: async () => body })).rejects.toMatchObject({ code: 'JSON_INVALID' });
    }
  });

  it('checks the document: another DID gives DID_INVALID, a private key KEY_PRIVATE_IN_PUBLIC', async () => {
    const { document } = await cityDocument();
    const other = JSON.stringify({ ...document, id: 'did:web:evil.example' });
    await expect(resolveDidWeb({ did, fetchDocument: async () => other })).rejects.toMatchObject({ code: 'DID_INVALID' });
    const { privateJwk } = crypto.generateKeyPair();
    const leaked = JSON.stringify({ ...document, verificationMethod: [{ ...document.verificationMethod[0], publicKeyJwk: privateJwk }] });
    await expect(resolveDidWeb({ did, fetchDocument: async () => leaked })).rejects.toMatchObject({ code: 'KEY_PRIVATE_IN_PUBLIC' });
  });

  it('rejects a bad DID, a bad limit and a bad fetcher result before or after fetching', async () => {
    let calls = 0;
    const counting: DidDocumentFetcher = async () => {
      calls += 1;
      return '{}';
    };
    await expect(resolveDidWeb({ did: 'did:web:127.0.0.1', fetchDocument: counting })).rejects.toMatchObject({ code: 'DID_INVALID' });
    await expect(resolveDidWeb({ did: 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169', fetchDocument: counting })).rejects.toMatchObject({
      code: 'DID_INVALID',
    });
    for (const maxDocumentBytes of [0, -1, 1.5, Number.NaN]) {
      await expect(resolveDidWeb({ did, fetchDocument: counting, maxDocumentBytes })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(calls).toBe(0);
    const returnsObject = (async () => ({ id: did })) as unknown as DidDocumentFetcher;
    await expect(resolveDidWeb({ did, fetchDocument: returnsObject })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
