import { ES256Signer } from 'did-jwt';
import { createVerifiableCredentialJwt, type CredentialPayload } from 'did-jwt-vc';
import type { PrivateJwk } from '../../core/crypto/ports.js';
import { base64urlDecode } from '../../core/encoding/base64url.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { buildW3cCredential, type JwtVcIssueArgs, type JwtVcIssuer } from '../../core/jwt-vc/index.js';
import { publicPartOf, toPrivateP256Jwk } from '../../core/keys/public-jwk.js';
import { createDidKey } from '../../core/did/did-key.js';
import { signVcdm2JwtVc } from './vcdm2-jwt.js';

/** A JWT VC issuer holding one P-256 key, and the did:key it issues as. */
export interface DidJwtVcIssuer {
  /** `did:key:zDn…` of the key. */
  issuerDid: string;
  issue: JwtVcIssuer;
}

/**
 * A {@link JwtVcIssuer} on did-jwt-vc directly, signing with did-jwt's
 * `ES256Signer` over a P-256 private JWK (e.g. from
 * `createNodeCrypto().generateKeyPair()`). VCDM 1.1 goes through
 * `createVerifiableCredentialJwt`; VCDM 2.0 through did-jwt's `createJWT`
 * (see {@link signVcdm2JwtVc} for why).
 *
 * @throws (from `issue`) UrbisError `INVALID_ARGUMENT` on bad arguments,
 *   `DID_NOT_FOUND` when `issuerDid` is not this key's DID, `JWT_VC_INVALID`
 *   when the library refuses to sign.
 *
 * @example
 * ```ts
 * const { privateJwk } = createNodeCrypto().generateKeyPair();
 * const { issuerDid, issue } = createDidJwtVcIssuer({ privateJwk });
 * const jwt = await issue({
 *   type: ['VerifiableCredential', 'ResidentCredential'],
 *   claims: { municipality: 'Lyon' },
 *   issuerDid,
 *   validFrom: new Date(),
 *   validUntil: new Date(Date.now() + 365 * 86_400_000),
 *   vcdmVersion: '1.1',
 * });
 * ```
 */
export function createDidJwtVcIssuer({ privateJwk }: { privateJwk: PrivateJwk }): DidJwtVcIssuer {
  const key = toPrivateP256Jwk(privateJwk);
  const issuerDid = createDidKey(publicPartOf(key));
  const signer = ES256Signer(base64urlDecode(key.d));

  const issue: JwtVcIssuer = async (args: JwtVcIssueArgs) => {
    const credential = buildW3cCredential(args);
    if (args.issuerDid !== issuerDid) throw new UrbisError('DID_NOT_FOUND', 'issuerDid is not the DID of this issuer key');
    try {
      if (args.vcdmVersion === '2.0') return await signVcdm2JwtVc({ credential, signer });
      return await createVerifiableCredentialJwt(credential as CredentialPayload, { did: issuerDid, signer, alg: 'ES256' });
    } catch (cause) {
      throw new UrbisError('JWT_VC_INVALID', 'did-jwt-vc could not sign the credential', { cause });
    }
  };
  return { issuerDid, issue };
}
