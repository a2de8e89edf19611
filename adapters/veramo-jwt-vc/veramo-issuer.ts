import type { CredentialPayload } from '@veramo/core';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { buildW3cCredential, type JwtVcIssueArgs, type JwtVcIssuer } from '../../core/jwt-vc/index.js';
import type { JwtVcAgent } from './agent.js';

/**
 * A {@link JwtVcIssuer} through a Veramo agent: `agent.createVerifiableCredential`
 * with `proofFormat: 'jwt'`, signing in the agent's key manager (ES256 for the
 * `Secp256r1` keys added by `importP256IssuerKey`). Issues as any DID the
 * agent manages.
 *
 * @throws (from `issue`) UrbisError `INVALID_ARGUMENT` on bad arguments,
 *   `DID_NOT_FOUND` when the agent does not manage `issuerDid`,
 *   `JWT_VC_INVALID` when Veramo refuses to sign.
 *
 * @example
 * ```ts
 * const agent = createJwtVcAgent();
 * const issuerDid = await importP256IssuerKey({ agent, privateJwk });
 * const issue = createVeramoJwtVcIssuer({ agent });
 * const jwt = await issue({ type: ['VerifiableCredential', 'ResidentCredential'], claims: { municipality: 'Lyon' },
 *   issuerDid, validFrom, validUntil, vcdmVersion: '2.0' });
 * ```
 */
export function createVeramoJwtVcIssuer({ agent }: { agent: JwtVcAgent }): JwtVcIssuer {
  return async (args: JwtVcIssueArgs) => {
    const credential = buildW3cCredential(args);
    try {
      await agent.didManagerGet({ did: args.issuerDid });
    } catch {
      throw new UrbisError('DID_NOT_FOUND', 'issuerDid is not managed by this agent');
    }
    let jwt: unknown;
    try {
      const verifiable = await agent.createVerifiableCredential({
        // Veramo's type wants `credentialStatus.id`; VCDM makes it optional. The object is passed through as is.
        credential: credential as CredentialPayload,
        proofFormat: 'jwt',
      });
      jwt = verifiable.proof.jwt;
    } catch (cause) {
      throw new UrbisError('JWT_VC_INVALID', 'Veramo could not sign the credential', { cause });
    }
    if (typeof jwt !== 'string') throw new UrbisError('JWT_VC_INVALID', 'Veramo returned no JWT proof');
    return jwt;
  };
}
