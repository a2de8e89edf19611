import {
  createAgent,
  type ICredentialPlugin,
  type IDIDManager,
  type IKeyManager,
  type IResolver,
  type TAgent,
} from '@veramo/core';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { getDidKeyResolver, KeyDIDProvider } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { Resolver, type Resolvable } from 'did-resolver';
import { CredentialProviderJwtVcdm2 } from './vcdm2-credential-provider.js';

/** The Veramo agent the JWT VC adapter needs: keys, DIDs, resolution, credentials. */
export type JwtVcAgent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>;

/** Name of the local key management system inside the agent. */
export const JWT_VC_AGENT_KMS = 'local';

/**
 * Wires a Veramo 7 agent for JWT VCs with in-memory stores (no database):
 * `KeyManager` (local KMS), `DIDManager` (did:key provider), a DID resolver
 * and `CredentialPlugin([new CredentialProviderJwtVcdm2()])` (Veramo's
 * `CredentialProviderJWT`, extended for VCDM 2.0).
 *
 * The default resolver is Veramo's did:key resolver only: resolution is
 * computed from the DID string, so the agent never uses the network.
 *
 * Keys live in process memory and vanish with the agent.
 *
 * @example
 * ```ts
 * const agent = createJwtVcAgent();
 * const issuerDid = await importP256IssuerKey({ agent, privateJwk });
 * ```
 */
export function createJwtVcAgent({ resolver }: { resolver?: Resolvable } = {}): JwtVcAgent {
  return createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
    plugins: [
      new KeyManager({
        store: new MemoryKeyStore(),
        kms: { [JWT_VC_AGENT_KMS]: new KeyManagementSystem(new MemoryPrivateKeyStore()) },
      }),
      new DIDManager({
        store: new MemoryDIDStore(),
        defaultProvider: 'did:key',
        providers: { 'did:key': new KeyDIDProvider({ defaultKms: JWT_VC_AGENT_KMS }) },
      }),
      new DIDResolverPlugin({ resolver: resolver ?? new Resolver({ ...getDidKeyResolver() }) }),
      new CredentialPlugin([new CredentialProviderJwtVcdm2()]),
    ],
  });
}
