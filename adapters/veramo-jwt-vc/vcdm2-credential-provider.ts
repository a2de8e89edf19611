import type { ICreateVerifiableCredentialArgs, IssuerAgentContext, VerifiableCredential } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { normalizeCredential } from 'did-jwt-vc';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { VCDM_1_1_CONTEXT, VCDM_2_0_CONTEXT, type W3cCredential } from '../../core/jwt-vc/index.js';
import { signVcdm2JwtVc } from './vcdm2-jwt.js';

/**
 * Veramo's JWT credential provider, extended for VCDM 2.0.
 *
 * Veramo 7.0.1 always puts the VCDM 1.1 base context first
 * (`MANDATORY_CREDENTIAL_CONTEXT`, unshifted into the caller's array) and
 * adds `issuanceDate`, which makes a VCDM 2.0 credential invalid. For a VCDM
 * 2.0 credential ({@link vcdm2Contexts}) this provider drops both additions
 * and signs the Urbis VC-JWT encoding with the agent's key manager
 * (`keyManagerSign`, ES256, via Veramo's own `wrapSigner`). Everything else
 * (VCDM 1.1, verification, presentations) is Veramo's own code.
 *
 * @example
 * ```ts
 * new CredentialPlugin([new CredentialProviderJwtVcdm2()]);
 * ```
 */
export class CredentialProviderJwtVcdm2 extends CredentialProviderJWT {
  override async createVerifiableCredential(
    args: ICreateVerifiableCredentialArgs,
    context: IssuerAgentContext,
  ): Promise<VerifiableCredential> {
    const contexts = vcdm2Contexts(args.credential['@context']);
    if (contexts === undefined) return super.createVerifiableCredential(args, context);

    // Veramo's CredentialPlugin adds `issuanceDate` (a VCDM 1.1 property) to every credential.
    const { issuanceDate: _addedByVeramo, ...rest } = args.credential;
    const credential = { ...rest, '@context': contexts };
    const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
    if (typeof issuer !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'credential issuer must be a DID');
    const identifier = await context.agent.didManagerGet({ did: issuer });
    const key = identifier.keys.find(
      (k) => k.type === 'Secp256r1' && (args.keyRef === undefined || k.kid === args.keyRef),
    );
    if (key === undefined) throw new UrbisError('KEY_INVALID', 'issuer has no P-256 key for ES256');
    const jwt = await signVcdm2JwtVc({
      credential: { ...credential, issuer } as unknown as W3cCredential,
      signer: this.wrapSigner(context, key, 'ES256'),
    });
    return normalizeCredential(jwt) as VerifiableCredential;
  }
}

/**
 * The `@context` of a VCDM 2.0 credential, or `undefined` for anything else.
 * Veramo's `CredentialPlugin` unshifts the 1.1 base context into the caller's
 * `@context` array in place before the provider sees it, so `[v1, v2, …]`
 * here means a 2.0 credential with that addition, which is dropped (1.1 and
 * 2.0 base contexts cannot be combined in one valid credential).
 */
export function vcdm2Contexts(value: unknown): string[] | undefined {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (!list.every((entry): entry is string => typeof entry === 'string')) return undefined;
  if (list[0] === VCDM_2_0_CONTEXT) return [...list];
  if (list[0] === VCDM_1_1_CONTEXT && list[1] === VCDM_2_0_CONTEXT) return list.slice(1);
  return undefined;
}
