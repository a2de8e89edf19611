import citizens from '../credentials/fixtures/citizens.json' with { type: 'json' };
import type { ClaimPath, CredentialTypeName, ResidentClaims, ServiceEntitlementClaims } from '../credentials/credential-types.js';
import { createNodeCrypto, type NodeCryptoSuite, type NodeSigningKey } from '../crypto/node-crypto.js';
import type { GeneratedKeyPair } from '../crypto/ports.js';
import { issueCredentialBatch, type CopySpec, type CredentialSpec } from '../issuance/issue-credential.js';
import { presentCredential } from '../presentation/present-credential.js';
import { StatusList } from '../status/status-list.js';
import { createStatusReader } from '../status/status-reader.js';
import { createSnapshotStatusSource, type StatusSource } from '../status/status-source.js';
import { createMemoryReplayCache, type ReplayCache } from '../trust/replay-cache.js';
import { createTrustedIssuerLookup, type TrustedIssuer } from '../trust/trusted-issuer.js';
import type { VerificationLimits } from '../verification/verification-policy.js';
import type { SdJwtCredentialFormat } from '../verification/verification-result.js';
import { verifyPresentation } from '../verification/verify-presentation.js';

/**
 * A working set of real parts for tests, benchmarks and the walkthrough: a
 * node:crypto suite, a city issuer with a real P-256 key, holder keys, an
 * in-memory status table and trust list, and shortcuts to issue, present and
 * verify. Nothing in it is mocked; it only saves repeating the wiring.
 */
export interface CredentialKit {
  crypto: NodeCryptoSuite;
  now: number;
  issuer: { id: string; kid: string; keyPair: GeneratedKeyPair; signingKey: NodeSigningKey };
  trustedIssuers: TrustedIssuer[];
  /** The issuer's status list (2 bits, 131,072 entries), read live by `status`. */
  statusList: StatusList;
  statusListUri: string;
  statusListSize: number;
  status: StatusSource;
  replayCache: ReplayCache;
  audience: string;
  residentClaims: ResidentClaims;
  entitlementClaims: ServiceEntitlementClaims;
  newHolder(): { keyPair: GeneratedKeyPair; signingKey: NodeSigningKey };
  issue<N extends CredentialTypeName>(args: {
    format: SdJwtCredentialFormat;
    type?: N;
    holder: { keyPair: GeneratedKeyPair };
    statusIndex?: number;
    overrides?: Partial<CredentialSpec<N>>;
  }): Promise<string>;
  /**
   * A printed paper pass (issue #8: `PaperServicePass`, bearer) of the kit's
   * issuer for `serviceId` (default: the kit entitlement's), `dc+sd-jwt`
   * unless `format` says otherwise, valid from a day before `now` for 90 days.
   */
  issuePaper(args?: { serviceId?: string; statusIndex?: number; format?: SdJwtCredentialFormat }): Promise<string>;
  present(args: {
    credential: string;
    holder: { signingKey: NodeSigningKey };
    claims: readonly ClaimPath[];
    nonce?: string;
    audience?: string;
    iat?: number;
  }): Promise<string>;
  verify(args: {
    presentation: unknown;
    nonce?: string;
    audience?: string;
    limits?: Partial<VerificationLimits>;
    now?: number;
  }): ReturnType<typeof verifyPresentation>;
}

export const KIT_NONCE = 'nonce-3f9a1c';

export function createCredentialKit({ now = 1_790_000_000 }: { now?: number } = {}): CredentialKit {
  const crypto = createNodeCrypto();
  const keyPair = crypto.generateKeyPair();
  const issuerId = 'did:web:gijon.urbis.example';
  const kid = `${issuerId}#key-1`;
  const signingKey = crypto.signingKeyFromJwk({ privateJwk: keyPair.privateJwk, kid });
  const trustedIssuers: TrustedIssuer[] = [
    { id: issuerId, keys: [{ kid, publicJwk: keyPair.publicJwk }], credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'] },
  ];
  const statusListUri = 'https://gijon.urbis.example/status/1';
  const statusListSize = 131_072;
  const statusList = StatusList.create({ size: statusListSize, bits: 2 });
  const status: StatusSource = createSnapshotStatusSource({
    syncedAt: now - 60,
    lists: new Map([[statusListUri, createStatusReader({ list: statusList })]]),
  });
  const citizen = citizens.citizens[0]!;
  const kit: CredentialKit = {
    crypto,
    now,
    issuer: { id: issuerId, kid, keyPair, signingKey },
    trustedIssuers,
    statusList,
    statusListUri,
    statusListSize,
    status,
    replayCache: createMemoryReplayCache(),
    audience: 'urn:urbis:terminal:gijon-pool-1',
    residentClaims: citizen.resident as ResidentClaims,
    entitlementClaims: citizen.entitlements[0] as ServiceEntitlementClaims,
    newHolder() {
      const holderPair = crypto.generateKeyPair();
      return { keyPair: holderPair, signingKey: crypto.signingKeyFromJwk({ privateJwk: holderPair.privateJwk }) };
    },
    async issue({ format, type, holder, statusIndex, overrides }) {
      const typeName = (type ?? 'ResidentCredential') as CredentialTypeName;
      const claims = typeName === 'ResidentCredential' ? kit.residentClaims : kit.entitlementClaims;
      const [credential] = await issueCredentialBatch({
        format,
        type: typeName,
        claims,
        issuer: { id: issuerId, signingKey },
        statusListUri,
        validFrom: now - 86_400,
        validUntil: now + 365 * 86_400,
        issuedAt: now - 3_600,
        crypto,
        copies: [{ holderPublicJwk: holder.keyPair.publicJwk, statusIndex: statusIndex ?? 4_242 }],
        ...(overrides as object),
      } as unknown as CredentialSpec & { copies: CopySpec[] });
      return credential!;
    },
    async issuePaper({ serviceId = kit.entitlementClaims.service_id, statusIndex = 4_343, format = 'dc+sd-jwt' } = {}) {
      const [paper] = await issueCredentialBatch({
        format,
        type: 'PaperServicePass',
        claims: { ...kit.entitlementClaims, service_id: serviceId },
        issuer: { id: issuerId, signingKey },
        statusListUri,
        validFrom: now - 86_400,
        validUntil: now + 90 * 86_400,
        issuedAt: now - 3_600,
        crypto,
        copies: [{ statusIndex }],
      });
      return paper!;
    },
    present({ credential, holder, claims, nonce = KIT_NONCE, audience = kit.audience, iat = now }) {
      return presentCredential({ credential, claims, nonce, audience, holderKey: holder.signingKey, hash: crypto.hash, now: iat });
    },
    verify({ presentation, nonce = KIT_NONCE, audience = kit.audience, limits, now: at = now }) {
      return verifyPresentation({
        presentation,
        crypto,
        trust: createTrustedIssuerLookup(kit.trustedIssuers),
        status,
        keyBinding: { nonce, audience },
        replayCache: kit.replayCache,
        now: at,
        ...(limits ? { limits } : {}),
      });
    },
  };
  return kit;
}
