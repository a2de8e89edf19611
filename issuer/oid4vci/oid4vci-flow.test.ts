import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import {
  buildProofJwt,
  credentialRequestBody,
  generateHolderKeys,
  redeemOffer,
  requestCredential,
  requestDeferred,
  requestNonce,
  requestToken,
} from '../testing/oid4vci-test-client.js';
import { createCNonce } from './c-nonce.js';
import { parseCredentialConfigurationId } from './credential-configurations.js';
import { buildCredentialOffer, offerDeepLink } from './credential-offer.js';
import { parseCredentialRequest } from './credential-request.js';
import { issuedCredentialsResponse, NO_STORE_HEADERS, pendingCredentialResponse } from './credential-response.js';
import { parseDeferredCredentialRequest } from './deferred-credential-request.js';
import { OID4VCI_PATHS, oid4vciEndpoints } from './endpoints.js';
import { buildAuthorizationServerMetadata, buildCredentialIssuerMetadata } from './issuer-metadata.js';
import { oauthErrorResponse, type Oid4vciEndpointName } from './oauth-error.js';
import { verifyProofJwts } from './proof-jwt.js';
import { checkTxCodePresence, parseTokenRequest } from './token-request.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';

/**
 * The modules wired into a throw-away node:http issuer (the real one is
 * Express, in issuer/http), redeemed by the wallet-side test client over
 * real HTTP: proves that the two sides agree on the wire.
 */

const crypto = createNodeCrypto();
const services = [{ id: 'pools', names: { en: 'Swimming pools', es: 'Piscinas', fr: 'Piscines' } }];
const BATCH = 10;

interface OfferRecord {
  configurationIds: string[];
  code: string;
  txCode?: string;
  used: boolean;
}

class MiniIssuer {
  readonly offers = new Map<string, OfferRecord>();
  readonly nonces = new Set<string>();
  readonly tokens = new Map<string, string[]>();
  readonly pending = new Map<string, { token: string; holderXs: string[]; approved: boolean }>();
  issuerUrl = '';
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuerUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  addOffer(record: Omit<OfferRecord, 'used'>): string {
    const id = createCNonce({ randomBytes: crypto.randomBytes });
    this.offers.set(id, { ...record, used: false });
    return id;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.issuerUrl).pathname;
    const body = await readBody(req);
    const endpoint: Oid4vciEndpointName | undefined =
      path === OID4VCI_PATHS.token ? 'token' : path === OID4VCI_PATHS.credential ? 'credential' : path === OID4VCI_PATHS.deferredCredential ? 'deferred_credential' : undefined;
    try {
      const [status, json] = await this.route(req.method ?? 'GET', path, body, req.headers.authorization);
      send(res, status, json);
    } catch (error) {
      const answer = oauthErrorResponse({ error, endpoint });
      if (answer === undefined) send(res, 500, { error: 'server_error' });
      else send(res, answer.status, answer.body, answer.headers);
    }
  }

  private async route(method: string, path: string, body: string, authorization: string | undefined): Promise<[number, unknown]> {
    const { issuerUrl } = this;
    if (method === 'GET' && path === OID4VCI_PATHS.credentialIssuerMetadata) {
      return [200, buildCredentialIssuerMetadata({ issuerUrl, services, batchSize: BATCH })];
    }
    if (method === 'GET' && path === OID4VCI_PATHS.authorizationServerMetadata) return [200, buildAuthorizationServerMetadata({ issuerUrl })];
    if (method === 'GET' && path.startsWith('/oid4vci/offers/')) {
      const record = this.offers.get(decodeURIComponent(path.slice('/oid4vci/offers/'.length)));
      if (record === undefined) return [404, { error: 'not_found' }];
      const txCode = record.txCode === undefined ? undefined : { length: record.txCode.length, input_mode: 'numeric' as const };
      return [200, buildCredentialOffer({ issuerUrl, configurationIds: record.configurationIds, preAuthorizedCode: record.code, txCode })];
    }
    if (method === 'POST' && path === OID4VCI_PATHS.token) {
      const request = parseTokenRequest(new URLSearchParams(body));
      // The mini issuer hands out no refresh tokens (the real one does: see refresh-token-flow.test.ts).
      if (request.grantType !== PRE_AUTHORIZED_CODE_GRANT_TYPE) throw new UrbisError('REFRESH_TOKEN_INVALID', 'unknown refresh token');
      const { preAuthorizedCode, txCode } = request;
      const record = [...this.offers.values()].find((offer) => offer.code === preAuthorizedCode);
      if (record === undefined) throw new UrbisError('PRE_AUTH_CODE_INVALID', 'unknown pre-authorized code');
      if (record.used) throw new UrbisError('PRE_AUTH_CODE_REPLAYED', 'pre-authorized code already used');
      checkTxCodePresence({ required: record.txCode !== undefined, txCode });
      if (txCode !== record.txCode) throw new UrbisError('TX_CODE_INVALID', 'wrong transaction code');
      record.used = true;
      const accessToken = createCNonce({ randomBytes: crypto.randomBytes });
      this.tokens.set(accessToken, record.configurationIds);
      return [200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300 }];
    }
    if (method === 'POST' && path === OID4VCI_PATHS.nonce) {
      const cNonce = createCNonce({ randomBytes: crypto.randomBytes });
      this.nonces.add(cNonce);
      return [200, { c_nonce: cNonce }];
    }
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    const granted = token === undefined ? undefined : this.tokens.get(token);
    if (method === 'POST' && path === OID4VCI_PATHS.credential) {
      if (granted === undefined) throw new UrbisError('ACCESS_TOKEN_INVALID', 'missing or unknown access token');
      const request = parseCredentialRequest(parseJson(body), { maxBatch: BATCH });
      parseCredentialConfigurationId(request.credentialConfigurationId, { services });
      if (!granted.includes(request.credentialConfigurationId)) throw new UrbisError('CREDENTIAL_CONFIGURATION_UNKNOWN', 'not granted');
      const holderKeys = await verifyProofJwts({
        proofs: request.proofJwts,
        audience: issuerUrl,
        crypto,
        consumeNonce: (nonce) => this.nonces.delete(nonce),
      });
      const holderXs = holderKeys.map((key) => key.x);
      if (request.credentialConfigurationId.startsWith('entitlement.')) {
        const transactionId = createCNonce({ randomBytes: crypto.randomBytes });
        this.pending.set(transactionId, { token: token!, holderXs, approved: false });
        return [202, pendingCredentialResponse({ transactionId, interval: 1 })];
      }
      return [200, issuedCredentialsResponse({ credentials: holderXs.map((x) => `copy.${x}`) })];
    }
    if (method === 'POST' && path === OID4VCI_PATHS.deferredCredential) {
      if (granted === undefined) throw new UrbisError('ACCESS_TOKEN_INVALID', 'missing or unknown access token');
      const { transactionId } = parseDeferredCredentialRequest(parseJson(body));
      const transaction = this.pending.get(transactionId);
      if (transaction === undefined || transaction.token !== token) throw new UrbisError('TRANSACTION_ID_INVALID', 'unknown transaction');
      if (!transaction.approved) return [202, pendingCredentialResponse({ transactionId, interval: 1 })];
      this.pending.delete(transactionId);
      return [200, issuedCredentialsResponse({ credentials: transaction.holderXs.map((x) => `copy.${x}`) })];
    }
    return [404, { error: 'not_found' }];
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (cause) {
    throw new UrbisError('BODY_INVALID', 'not JSON', { cause });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...NO_STORE_HEADERS, ...headers });
  res.end(JSON.stringify(json));
}

describe('OID4VCI pre-authorized code flow over HTTP (modules + test client)', () => {
  const issuer = new MiniIssuer();
  beforeAll(() => issuer.start());
  afterAll(() => issuer.stop());

  it('redeems an offer by reference with a tx_code: a batch of 10 bound copies, then a deferred one', async () => {
    const offerId = issuer.addOffer({ configurationIds: ['resident.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt'], code: 'code-1', txCode: '493536' });
    const link = offerDeepLink({ offerUri: oid4vciEndpoints({ issuerUrl: issuer.issuerUrl }).offer(offerId) });

    const { accessToken, results } = await redeemOffer({ offer: link, txCode: '493536' });
    expect(results).toHaveLength(2);
    const [resident, entitlement] = results;
    if (resident === undefined || !('credentials' in resident)) throw new Error('expected issued copies');
    expect(resident.configurationId).toBe('resident.dc+sd-jwt');
    expect(resident.credentials).toHaveLength(10);
    expect(resident.credentials).toEqual(resident.holderKeys.map((key) => `copy.${key.x}`));
    expect(new Set(resident.holderKeys.map((key) => key.x)).size).toBe(10);

    if (entitlement === undefined || !('transactionId' in entitlement)) throw new Error('expected a deferred transaction');
    expect(entitlement).toMatchObject({ configurationId: 'entitlement.pools.dc+sd-jwt', interval: 1 });
    const { issuerUrl } = issuer;
    const stillPending = await requestDeferred({ issuerUrl, accessToken, transactionId: entitlement.transactionId });
    expect(stillPending).toMatchObject({ status: 202, body: { transaction_id: entitlement.transactionId, interval: 1 } });
    issuer.pending.get(entitlement.transactionId)!.approved = true;
    const done = await requestDeferred({ issuerUrl, accessToken, transactionId: entitlement.transactionId });
    expect(done.status).toBe(200);
    expect(done.body?.credentials).toEqual(entitlement.holderKeys.map((key) => ({ credential: `copy.${key.x}` })));
    const again = await requestDeferred({ issuerUrl, accessToken, transactionId: entitlement.transactionId });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_transaction_id' } });
  });

  it('redeems an offer by value without tx_code', async () => {
    const { issuerUrl } = issuer;
    issuer.addOffer({ configurationIds: ['resident.vc+sd-jwt'], code: 'code-2' });
    const offer = buildCredentialOffer({ issuerUrl, configurationIds: ['resident.vc+sd-jwt'], preAuthorizedCode: 'code-2' });
    const { results } = await redeemOffer({ offer: offerDeepLink({ offer }), batchSize: 3 });
    expect(results[0]).toMatchObject({ configurationId: 'resident.vc+sd-jwt', credentials: expect.arrayContaining([expect.any(String)]) });
    expect((results[0] as { credentials: string[] }).credentials).toHaveLength(3);
  });

  it('answers OAuth errors the wallet can act on', async () => {
    const { issuerUrl } = issuer;
    issuer.addOffer({ configurationIds: ['resident.dc+sd-jwt'], code: 'code-3', txCode: '1111' });
    expect(await requestToken({ issuerUrl, preAuthorizedCode: 'code-3' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await requestToken({ issuerUrl, preAuthorizedCode: 'code-3', txCode: '2222' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await requestToken({ issuerUrl, preAuthorizedCode: 'nope', txCode: '1111' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await requestToken({ issuerUrl, grantType: 'authorization_code', preAuthorizedCode: 'code-3' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    const token = await requestToken({ issuerUrl, preAuthorizedCode: 'code-3', txCode: '1111' });
    expect(token).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(await requestToken({ issuerUrl, preAuthorizedCode: 'code-3', txCode: '1111' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const accessToken = token.body!.access_token as string;

    const nonce = (await requestNonce({ issuerUrl })).body!.c_nonce as string;
    const [key] = await generateHolderKeys({ count: 1 });
    const iat = Math.floor(Date.now() / 1000);
    const proofJwts = [buildProofJwt({ privateJwk: key!, audience: issuerUrl, nonce, iat })];
    const body = credentialRequestBody({ credentialConfigurationId: 'resident.dc+sd-jwt', proofJwts });

    const noToken = await requestCredential({ issuerUrl, body });
    expect(noToken).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await requestCredential({ issuerUrl, accessToken, body: '{not json' })).toMatchObject({ status: 400, body: { error: 'invalid_credential_request' } });
    expect(
      await requestCredential({ issuerUrl, accessToken, body: credentialRequestBody({ credentialConfigurationId: 'resident.mso_mdoc', proofJwts }) }),
    ).toMatchObject({ status: 400, body: { error: 'unknown_credential_configuration' } });
    const badAud = [buildProofJwt({ privateJwk: key!, audience: 'https://elsewhere.example', nonce, iat })];
    expect(
      await requestCredential({ issuerUrl, accessToken, body: credentialRequestBody({ credentialConfigurationId: 'resident.dc+sd-jwt', proofJwts: badAud }) }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
    expect(await requestCredential({ issuerUrl, accessToken, body })).toMatchObject({ status: 200 });
    expect(await requestCredential({ issuerUrl, accessToken, body })).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
    const eleven = Array.from({ length: 11 }, () => proofJwts[0]!);
    expect(
      await requestCredential({ issuerUrl, accessToken, body: credentialRequestBody({ credentialConfigurationId: 'resident.dc+sd-jwt', proofJwts: eleven }) }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_credential_request' } });
  });

  it('the client reports what went wrong when an offer cannot be redeemed', async () => {
    const { issuerUrl } = issuer;
    const offer = buildCredentialOffer({ issuerUrl, configurationIds: ['resident.dc+sd-jwt'], preAuthorizedCode: 'never-issued' });
    await expect(redeemOffer({ offer })).rejects.toMatchObject({ name: 'Oid4vciClientError', step: 'token', status: 400, body: { error: 'invalid_grant' } });
    const withTx = buildCredentialOffer({ issuerUrl, configurationIds: ['resident.dc+sd-jwt'], preAuthorizedCode: 'x', txCode: {} });
    await expect(redeemOffer({ offer: withTx })).rejects.toMatchObject({ step: 'offer' });
  });
});
