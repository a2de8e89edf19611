import type { PrivateJwk } from '../../core/crypto/ports.js';
import { base64urlDecode } from '../../core/encoding/base64url.js';
import { publicPartOf, toPrivateP256Jwk } from '../../core/keys/public-jwk.js';
import { JWT_VC_AGENT_KMS, type JwtVcAgent } from './agent.js';
import { createDidKey } from '../../core/did/did-key.js';
import { compressP256PublicJwk } from '../../core/did/p256-public-key.js';

/**
 * Adds a P-256 private JWK to a Veramo agent as a did:key issuer and returns
 * the DID. `@veramo/did-provider-key` 7.0.1 cannot create P-256 keys (asking
 * for Secp256r1 gives Ed25519), so the key is made elsewhere (node:crypto)
 * and imported with `didManagerImport` (Veramo key type `Secp256r1`,
 * `privateKeyHex` from the JWK's `d`). Importing the same key twice is a no-op.
 *
 * @throws UrbisError `KEY_INVALID` when the JWK is not a private P-256 JWK.
 *
 * @example
 * ```ts
 * const { privateJwk } = createNodeCrypto().generateKeyPair();
 * const did = await importP256IssuerKey({ agent, privateJwk }); // 'did:key:zDn…'
 * ```
 */
export async function importP256IssuerKey({
  agent,
  privateJwk,
}: {
  agent: JwtVcAgent;
  privateJwk: PrivateJwk;
}): Promise<string> {
  const key = toPrivateP256Jwk(privateJwk);
  const publicJwk = publicPartOf(key);
  const did = createDidKey(publicJwk);
  const existing = await agent.didManagerFind({ alias: did });
  if (existing.some((identifier) => identifier.did === did)) return did;
  const publicKeyHex = toHex(compressP256PublicJwk(publicJwk));
  await agent.didManagerImport({
    did,
    alias: did,
    provider: 'did:key',
    keys: [
      {
        kid: publicKeyHex,
        type: 'Secp256r1',
        kms: JWT_VC_AGENT_KMS,
        privateKeyHex: toHex(base64urlDecode(key.d)),
        publicKeyHex,
      },
    ],
  });
  return did;
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
