/**
 * Shared fixtures for this adapter's tests (not exported from `index.ts`).
 */
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PrivateJwk } from '../../core/crypto/ports.js';
import { base64urlDecodeString, base64urlEncodeString } from '../../core/encoding/base64url.js';
import type { JwtVcIssueArgs, JwtVcIssuer, JwtVcVerifier, VcdmVersion } from '../../core/jwt-vc/index.js';
import { createJwtVcAgent, type JwtVcAgent } from './agent.js';
import { createDidJwtVcIssuer } from './did-jwt-vc-issuer.js';
import { createDidJwtVcVerifier } from './did-jwt-vc-verifier.js';
import { importP256IssuerKey } from './import-issuer-key.js';
import { createVeramoJwtVcIssuer } from './veramo-issuer.js';
import { createVeramoJwtVcVerifier } from './veramo-verifier.js';

const DAY = 86_400_000;

export interface Fixture {
  privateJwk: PrivateJwk;
  issuerDid: string;
  agent: JwtVcAgent;
  issuers: Record<'did-jwt-vc' | 'Veramo', JwtVcIssuer>;
  verifiers: Record<'did-jwt-vc' | 'Veramo', JwtVcVerifier>;
}

/** One P-256 issuer key, known to both a did-jwt-vc issuer and a Veramo agent. */
export async function createFixture(): Promise<Fixture> {
  const { privateJwk } = createNodeCrypto().generateKeyPair();
  const agent = createJwtVcAgent();
  const issuerDid = await importP256IssuerKey({ agent, privateJwk });
  const direct = createDidJwtVcIssuer({ privateJwk });
  if (direct.issuerDid !== issuerDid) throw new Error('fixture: DIDs differ');
  return {
    privateJwk,
    issuerDid,
    agent,
    issuers: { 'did-jwt-vc': direct.issue, Veramo: createVeramoJwtVcIssuer({ agent }) },
    // The Veramo verifier gets its own agent: it holds no key of the issuer.
    verifiers: { 'did-jwt-vc': createDidJwtVcVerifier(), Veramo: createVeramoJwtVcVerifier({ agent: createJwtVcAgent() }) },
  };
}

/** Resident credential arguments valid now (yesterday → next year). */
export function residentArgs({ issuerDid, vcdmVersion }: { issuerDid: string; vcdmVersion: VcdmVersion }): JwtVcIssueArgs {
  const now = Date.now();
  return {
    type: ['VerifiableCredential', 'ResidentCredential'],
    claims: { given_name: 'Camille', family_name: 'Martin', age_over_18: true, municipality: 'Lyon' },
    subjectId: 'did:jwk:eyJrdHkiOiJFQyJ9',
    issuerDid,
    validFrom: new Date(now - DAY),
    validUntil: new Date(now + 365 * DAY),
    credentialStatus: {
      id: 'https://city.example/status/7#4242',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '4242',
      statusListCredential: 'https://city.example/status/7',
    },
    vcdmVersion,
  };
}

export { DAY };

/** Decodes the header and payload of a compact JWT (no checks). */
export function decodeParts(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = jwt.split('.') as [string, string];
  return { header: JSON.parse(base64urlDecodeString(h)), payload: JSON.parse(base64urlDecodeString(p)) };
}

/** Replaces the payload of a compact JWT, keeping header and signature. */
export function withPayload(jwt: string, payload: unknown): string {
  const [h, , s] = jwt.split('.') as [string, string, string];
  return `${h}.${base64urlEncodeString(JSON.stringify(payload))}.${s}`;
}

/** The failure codes of a verification, or `['ok']`. */
export function codes(result: Awaited<ReturnType<JwtVcVerifier>>): string[] {
  return result.ok ? ['ok'] : result.failures.map((f) => f.code);
}
