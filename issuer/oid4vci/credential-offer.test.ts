import { describe, expect, it } from '@jest/globals';
import {
  buildCredentialOffer,
  offerDeepLink,
  offerQrSvg,
  parseCredentialOffer,
  parseOfferDeepLink,
} from './credential-offer.js';
import type { CredentialOffer } from '../../core/oid4vci/credential-offer.js';

const issuerUrl = 'http://127.0.0.1:8080';
const grantType = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const offer = buildCredentialOffer({
  issuerUrl,
  configurationIds: ['resident.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt'],
  preAuthorizedCode: 'oaKazRN8I0IbtZ0C7JuMn5',
  txCode: { length: 6, input_mode: 'numeric', description: 'Código de 6 cifras enviado por SMS' },
});

describe('credential offers (OID4VCI 1.0 §4.1)', () => {
  it('§4.1.1: builds a pre-authorized code offer with a tx_code object', () => {
    expect(offer).toEqual({
      credential_issuer: issuerUrl,
      credential_configuration_ids: ['resident.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt'],
      grants: {
        [grantType]: {
          'pre-authorized_code': 'oaKazRN8I0IbtZ0C7JuMn5',
          tx_code: { length: 6, input_mode: 'numeric', description: 'Código de 6 cifras enviado por SMS' },
        },
      },
    });
    const withoutTxCode = buildCredentialOffer({ issuerUrl, configurationIds: ['resident.vc+sd-jwt'], preAuthorizedCode: 'c' });
    expect(withoutTxCode.grants?.[grantType]).toEqual({ 'pre-authorized_code': 'c' });
  });

  it.each([
    ['no configuration', { configurationIds: [] }],
    ['a duplicate configuration', { configurationIds: ['resident.dc+sd-jwt', 'resident.dc+sd-jwt'] }],
    ['an empty pre-authorized code', { preAuthorizedCode: '' }],
    ['a zero tx_code length', { txCode: { length: 0 } }],
    ['an unknown input mode', { txCode: { input_mode: 'emoji' } }],
    ['a description over 300 characters', { txCode: { description: 'x'.repeat(301) } }],
  ])('refuses to build an offer with %s (INVALID_ARGUMENT)', (_label, overrides) => {
    const args = { issuerUrl, configurationIds: ['resident.dc+sd-jwt'], preAuthorizedCode: 'c', ...overrides } as Parameters<typeof buildCredentialOffer>[0];
    expect(() => buildCredentialOffer(args)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('§4.1.2: round-trips an offer by value through the deep link', () => {
    const link = offerDeepLink({ offer });
    expect(link.startsWith('openid-credential-offer://?credential_offer=%7B%22credential_issuer%22')).toBe(true);
    expect(link).not.toMatch(/[ "{}]/);
    expect(parseOfferDeepLink(link)).toEqual({ offer });
  });

  it('§4.1.3: round-trips an offer by reference, percent-encoded', () => {
    const offerUri = `${issuerUrl}/oid4vci/offers/GkurKxf5T0Y-mnPFCHqWOMiZi4VS138cQO_V7PZHAdM`;
    const link = offerDeepLink({ offerUri });
    expect(link).toBe(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offerUri)}`);
    expect(parseOfferDeepLink(link)).toEqual({ offerUri });
  });

  it('uses another wallet offer endpoint when asked, and reads it back', () => {
    const link = offerDeepLink({ offerUri: `${issuerUrl}/oid4vci/offers/x`, walletOfferEndpoint: 'https://wallet.example/offer?lang=es' });
    expect(link).toBe(`https://wallet.example/offer?lang=es&credential_offer_uri=${encodeURIComponent(`${issuerUrl}/oid4vci/offers/x`)}`);
    expect(parseOfferDeepLink(link)).toEqual({ offerUri: `${issuerUrl}/oid4vci/offers/x` });
  });

  it('reads a link whose JSON was encoded with + for spaces (form encoding)', () => {
    const link = `openid-credential-offer://?${new URLSearchParams({ credential_offer: JSON.stringify(offer) }).toString()}`;
    expect(parseOfferDeepLink(link)).toEqual({ offer });
  });

  it('refuses to build a link from neither or both, or from a non-http URI (INVALID_ARGUMENT)', () => {
    expect(() => offerDeepLink({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => offerDeepLink({ offer, offerUri: issuerUrl } as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => offerDeepLink({ offerUri: 'javascript:alert(1)' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  const good = encodeURIComponent(JSON.stringify(offer));
  it.each([
    ['not a URL', 'hello'],
    ['no parameter', 'openid-credential-offer://?foo=bar'],
    ['both parameters', `openid-credential-offer://?credential_offer=${good}&credential_offer_uri=${encodeURIComponent(issuerUrl)}`],
    ['a repeated parameter', `openid-credential-offer://?credential_offer=${good}&credential_offer=${good}`],
    ['broken JSON', 'openid-credential-offer://?credential_offer=%7B%22credential_issuer'],
    ['a JSON array', `openid-credential-offer://?credential_offer=${encodeURIComponent('[]')}`],
    ['an offer URI that is not http', `openid-credential-offer://?credential_offer_uri=${encodeURIComponent('file:///etc/passwd')}`],
    ['an over-long link', `openid-credential-offer://?credential_offer_uri=${'a'.repeat(20_000)}`],
  ])('refuses a link with %s (BODY_INVALID)', (_label, link) => {
    expect(() => parseOfferDeepLink(link)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });

  it.each([
    ['no credential_issuer', { credential_configuration_ids: ['a'] }],
    ['a credential_issuer that is not a URL', { credential_issuer: 'issuer', credential_configuration_ids: ['a'] }],
    ['no credential_configuration_ids', { credential_issuer: issuerUrl }],
    ['non-string ids', { credential_issuer: issuerUrl, credential_configuration_ids: [1] }],
    ['grants that is not an object', { credential_issuer: issuerUrl, credential_configuration_ids: ['a'], grants: 'x' }],
    ['a grant without code', { credential_issuer: issuerUrl, credential_configuration_ids: ['a'], grants: { [grantType]: {} } }],
    ['a tx_code that is not an object', { credential_issuer: issuerUrl, credential_configuration_ids: ['a'], grants: { [grantType]: { 'pre-authorized_code': 'c', tx_code: true } } }],
  ])('refuses an offer with %s (BODY_INVALID)', (_label, value) => {
    expect(() => parseCredentialOffer(value)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });

  it('keeps an empty tx_code object (a code is required) and ignores unknown parameters', () => {
    const parsed = parseCredentialOffer({
      credential_issuer: issuerUrl,
      credential_configuration_ids: ['a'],
      grants: { [grantType]: { 'pre-authorized_code': 'c', tx_code: {} }, authorization_code: { issuer_state: 's' } },
      extra: true,
    } satisfies CredentialOffer & { extra: boolean });
    expect(parsed).toEqual({
      credential_issuer: issuerUrl,
      credential_configuration_ids: ['a'],
      grants: { [grantType]: { 'pre-authorized_code': 'c', tx_code: {} }, authorization_code: { issuer_state: 's' } },
    });
  });

  it('renders a deep link as an SVG QR code', async () => {
    const svg = await offerQrSvg(offerDeepLink({ offerUri: `${issuerUrl}/oid4vci/offers/abc` }));
    expect(svg).toContain('<svg');
    expect(svg).toContain('</svg>');
    await expect(offerQrSvg('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
