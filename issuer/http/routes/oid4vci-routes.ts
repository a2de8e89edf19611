import { Router, type RequestHandler } from 'express';
import type { IssuerContext } from '../../create-issuer.js';
import { buildAuthorizationServerMetadata, buildCredentialIssuerMetadata } from '../../oid4vci/issuer-metadata.js';
import { issuedCredentialsResponse, NO_STORE_HEADERS, pendingCredentialResponse } from '../../oid4vci/credential-response.js';
import type { Oid4vciEndpointName } from '../../oid4vci/oauth-error.js';
import { parseTokenRequest, REFRESH_TOKEN_GRANT_TYPE } from '../../oid4vci/token-request.js';
import { buildTokenResponse } from '../../oid4vci/token-response.js';
import { OID4VCI_PATHS } from '../../oid4vci/endpoints.js';
import { bearerToken } from '../authenticate.js';
import { formBody, jsonBody } from '../body-parsers.js';
import { rateLimit } from '../rate-limit.js';
import { validateBody } from '../request-schemas.js';
import type { CredentialEndpointResult } from '../../issuance/credential-issuance.js';
import type { Response } from 'express';

/** Marks the route as an OID4VCI endpoint, so errors also carry the OAuth `error` member. */
const endpoint = (name: Oid4vciEndpointName): RequestHandler => (_req, res, next) => {
  res.locals['oid4vciEndpoint'] = name;
  next();
};

function sendCredentialResult(res: Response, result: CredentialEndpointResult): void {
  res.set(NO_STORE_HEADERS);
  if (result.status === 202) res.status(202).json(pendingCredentialResponse({ transactionId: result.transactionId, interval: result.interval }));
  else res.status(200).json(issuedCredentialsResponse({ credentials: result.credentials }));
}

/**
 * OpenID for Verifiable Credential Issuance 1.0: metadata, offers by
 * reference, the token endpoint (pre-authorized code + tx_code, and refresh
 * tokens with rotation; both grants share one rate limit per client),
 * nonce, credential (batch) and deferred credential endpoints. Thin: every
 * rule lives in the offer, refresh token and issuance services.
 */
export function oid4vciRoutes(ctx: IssuerContext): Router {
  const router = Router();
  const json = jsonBody({ limit: ctx.config.maxJsonBytes });

  router.get(OID4VCI_PATHS.credentialIssuerMetadata, async (_req, res) => {
    const services = await ctx.catalogue.list({ activeOnly: true });
    res.json(buildCredentialIssuerMetadata({ issuerUrl: ctx.config.issuerUrl, services, batchSize: ctx.config.batchSize, display: [{ name: ctx.config.cityName, locale: 'es' }, { name: ctx.config.cityName, locale: 'en' }, { name: ctx.config.cityName, locale: 'fr' }] }));
  });
  router.get(OID4VCI_PATHS.authorizationServerMetadata, (_req, res) => {
    res.json(buildAuthorizationServerMetadata({ issuerUrl: ctx.config.issuerUrl }));
  });
  router.get(OID4VCI_PATHS.offer, async (req, res) => {
    res.set(NO_STORE_HEADERS).json(await ctx.offers.byId(String(req.params['id'])));
  });
  router.post(
    OID4VCI_PATHS.token,
    endpoint('token'),
    rateLimit({ limit: 20, windowMs: 60_000, now: ctx.now }),
    formBody({ limit: 4 * 1024 }),
    validateBody('TokenRequest'),
    async (req, res) => {
      const request = parseTokenRequest(req.body);
      const tokens =
        request.grantType === REFRESH_TOKEN_GRANT_TYPE
          ? await ctx.refreshTokens.refresh({ refreshToken: request.refreshToken })
          : await ctx.offers.redeem({ preAuthorizedCode: request.preAuthorizedCode, ...(request.txCode === undefined ? {} : { txCode: request.txCode }) });
      res.set(NO_STORE_HEADERS).json(buildTokenResponse(tokens));
    },
  );
  router.post(OID4VCI_PATHS.nonce, endpoint('nonce'), async (_req, res) => {
    res.set(NO_STORE_HEADERS).json({ c_nonce: await ctx.issuance.nonce() });
  });
  router.post(OID4VCI_PATHS.credential, endpoint('credential'), json, validateBody('CredentialRequest'), async (req, res) => {
    sendCredentialResult(res, await ctx.issuance.credential({ accessToken: bearerToken(req), body: req.body }));
  });
  router.post(OID4VCI_PATHS.deferredCredential, endpoint('deferred_credential'), json, validateBody('DeferredCredentialRequest'), async (req, res) => {
    sendCredentialResult(res, await ctx.issuance.deferred({ accessToken: bearerToken(req), body: req.body }));
  });
  return router;
}
