import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaimPath, CredentialTypeName } from '../../core/credentials/credential-types.js';
import type { NodeSigningKey } from '../../core/crypto/node-crypto.js';
import type { CredentialSpec } from '../../core/issuance/issue-credential.js';
import { base64urlEncode } from '../../core/encoding/base64url.js';
import { createCredentialKit, type CredentialKit } from '../../core/test-kit/credential-kit.js';
import type { SdJwtCredentialFormat } from '../../core/verification/verification-result.js';
import { encodeSnapshot } from '../../registry/snapshot/snapshot-codec.js';
import { createOutcomeCounters, type OutcomeCounters } from '../counters/outcome-counters.js';
import policiesFile from '../policy/fixtures/gijon-policies.json' with { type: 'json' };
import { parseServicePolicies } from '../policy/parse-service-policies.js';
import { openFileReplayCache, type FileReplayCache } from '../replay/file-replay-cache.js';
import { createRequestIssuer, type RequestIssuer } from '../requests/request-issuer.js';
import { openTerminalSnapshot, type TerminalSnapshot } from '../snapshot/terminal-snapshot.js';
import { createOfflineNetwork, type OfflineNetwork } from '../snapshot/testing/offline-network.js';
import { kitSnapshotContent, snapshotIssuerOf } from '../snapshot/testing/kit-snapshot-content.js';
import { createTerminal, type Terminal } from '../terminal/terminal.js';
import { requestNonceOf } from './request-nonce.js';

/** A holder of the fixture: a key pair and its signing key (as the kit makes them). */
export type FixtureHolder = ReturnType<CredentialKit['newHolder']>;

/** Another federation member of the fixture's snapshot, with its own key. */
export interface FixtureIssuer {
  id: string;
  signingKey: NodeSigningKey;
}

/** Options of {@link createTerminalFixture}. */
export interface TerminalFixtureOptions {
  /** The scanner-only service (DESIGN §4 flow b); without it the terminal verifies answers to its requests only. */
  scannerServiceId?: string;
  /** Age of the snapshot at `now`, seconds (default 60; above a policy's `maxSnapshotAgeSeconds` it is stale). */
  snapshotAgeSeconds?: number;
  /** The terminal's (fixed) clock, epoch seconds (default: the kit's). */
  now?: number;
  /** Pending requests kept (default 1024). */
  requestCapacity?: number;
  /** Where the temporary data folder is made (default: the OS temp folder). */
  parentDir?: string;
}

/** A real terminal in a temporary folder, and the means to make presentations for it. */
export interface TerminalFixture {
  readonly terminal: Terminal;
  readonly terminalId: string;
  /** The kit whose issuer (`did:web:gijon.urbis.example`) the snapshot trusts for the three types. */
  readonly kit: CredentialKit;
  /** The terminal's fixed clock, epoch seconds. */
  readonly now: number;
  /** The terminal's data folder (snapshot, replay journal, counters). */
  readonly dir: string;
  readonly snapshot: TerminalSnapshot;
  readonly replayCache: FileReplayCache;
  readonly counters: OutcomeCounters;
  readonly requests: RequestIssuer;
  /** The snapshot's network adapter: it refuses every call (`attempts` must stay empty). */
  readonly network: OfflineNetwork;
  /** Status indices of the kit's list in the snapshot: revoked, suspended, and the first one past the list. */
  readonly statusIndices: { revoked: number; suspended: number; outOfRange: number };
  /** Other members in the snapshot: one accredited for entitlements only, one suspended (both for both types otherwise). */
  readonly issuers: { entitlementsOnly: FixtureIssuer; suspended: FixtureIssuer };
  /** A fresh holder and a credential bound to it (default: a pools `ServiceEntitlementCredential`, `dc+sd-jwt`, a valid status index). */
  issue(args?: {
    format?: SdJwtCredentialFormat;
    type?: CredentialTypeName;
    statusIndex?: number;
    overrides?: Partial<CredentialSpec>;
  }): Promise<{ credential: string; holder: FixtureHolder }>;
  /** A printed paper pass (issue #8) of the kit's issuer for `serviceId` (default `library`): bearer, valid 90 days. */
  paper(args?: { serviceId?: string; statusIndex?: number }): Promise<string>;
  /** The wallet's answer to a request: the claims disclosed, bound to the request's nonce, this terminal and `now` (each overridable). */
  answer(args: {
    request: { link: string };
    credential: string;
    holder: FixtureHolder;
    claims?: readonly ClaimPath[];
    nonce?: string;
    audience?: string;
    iat?: number;
  }): Promise<string>;
  /** A scanner-style presentation (DESIGN §4 flow b): a nonce of the wallet's own, bound to this terminal and `now`. */
  scan(args: { credential: string; holder: FixtureHolder; claims?: readonly ClaimPath[]; nonce?: string; audience?: string; iat?: number }): Promise<string>;
  /** Flushes the counters, closes the replay journal and removes the folder. */
  close(): Promise<void>;
}

/** What an entitlement answer discloses by default: what the pools policy asks for. */
export const ENTITLEMENT_CLAIMS: readonly ClaimPath[] = [['service_id'], ['tier']];
/** The fixture terminal's id (the KB-JWT `aud`). */
export const FIXTURE_TERMINAL_ID = 'urbis:terminal:gijon-pool-1';

const FEDERATION_KID = 'federation-snapshots';
const REVOKED_INDEX = 900;
const SUSPENDED_INDEX = 901;
let counter = 0;

/**
 * Builds a real terminal (DESIGN §4) in a temporary folder: the kit's issuer
 * and two other federation members trusted through a federation-signed
 * snapshot built in-process (with the kit's status list: one index revoked,
 * one suspended), the Gijón policies, a file replay cache, file counters,
 * a request issuer, and the snapshot's network adapter replaced by one that
 * refuses every call. Nothing is mocked but the clock, which is fixed.
 * Test and benchmark support.
 *
 * @throws UrbisError as the parts it opens (never for the defaults).
 * @example
 * ```ts
 * const fixture = await createTerminalFixture();
 * const request = await fixture.terminal.newRequest({ serviceId: 'pools' });
 * const { credential, holder } = await fixture.issue();
 * const verdict = await fixture.terminal.verify({ presentation: await fixture.answer({ request, credential, holder }) });
 * await fixture.close();
 * ```
 */
export async function createTerminalFixture(options: TerminalFixtureOptions = {}): Promise<TerminalFixture> {
  const kit = createCredentialKit(options.now === undefined ? {} : { now: options.now });
  const now = kit.now;
  const clock = () => now;
  const { crypto } = kit;
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), `urbis-terminal-fixture-${process.pid}-${++counter}-`));

  const member = (name: string): FixtureIssuer & { publicJwk: ReturnType<typeof crypto.generateKeyPair>['publicJwk']; kid: string } => {
    const pair = crypto.generateKeyPair();
    const id = `did:web:${name}.urbis.example`;
    const kid = `${id}#key-1`;
    return { id, kid, publicJwk: pair.publicJwk, signingKey: crypto.signingKeyFromJwk({ privateJwk: pair.privateJwk, kid }) };
  };
  const entitlementsOnly = member('oviedo');
  const suspended = member('aviles');
  const syncedAt = now - (options.snapshotAgeSeconds ?? 60);
  const content = await kitSnapshotContent({
    kit,
    syncedAt,
    statuses: { [REVOKED_INDEX]: 1, [SUSPENDED_INDEX]: 2 },
    credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential', 'PaperServicePass'],
    otherIssuers: [
      await snapshotIssuerOf({ kit, ...entitlementsOnly, credentialTypes: ['ServiceEntitlementCredential'] }),
      await snapshotIssuerOf({ kit, ...suspended, credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'], suspended: true }),
    ],
  });
  const federation = crypto.generateKeyPair();
  const federationKey = crypto.signingKeyFromJwk({ privateJwk: federation.privateJwk, kid: FEDERATION_KID });
  const path = join(dir, 'terminal.snapshot');
  await writeFile(path, await encodeSnapshot({ content, signingKey: federationKey, iat: syncedAt }));

  const network = createOfflineNetwork();
  const snapshot = await openTerminalSnapshot({ path, trustedSigners: new Map([[FEDERATION_KID, federation.publicJwk]]), network, clock });
  const policies = parseServicePolicies(policiesFile);
  const replayCache = await openFileReplayCache({ path: join(dir, 'replay.journal'), now: clock });
  const counters = await createOutcomeCounters({ path: join(dir, 'counts.json'), services: [...policies.keys()], now: clock });
  const requests = createRequestIssuer({ terminalId: FIXTURE_TERMINAL_ID, now: clock, ...(options.requestCapacity === undefined ? {} : { capacity: options.requestCapacity }) });
  const terminal = createTerminal({
    terminalId: FIXTURE_TERMINAL_ID,
    policies,
    snapshot,
    replayCache,
    requests,
    counters,
    crypto,
    now: clock,
    ...(options.scannerServiceId === undefined ? {} : { scannerServiceId: options.scannerServiceId }),
  });

  let closed = false;
  return {
    terminal,
    terminalId: FIXTURE_TERMINAL_ID,
    kit,
    now,
    dir,
    snapshot,
    replayCache,
    counters,
    requests,
    network,
    statusIndices: { revoked: REVOKED_INDEX, suspended: SUSPENDED_INDEX, outOfRange: kit.statusListSize },
    issuers: { entitlementsOnly: { id: entitlementsOnly.id, signingKey: entitlementsOnly.signingKey }, suspended: { id: suspended.id, signingKey: suspended.signingKey } },
    async issue({ format = 'dc+sd-jwt', type = 'ServiceEntitlementCredential', statusIndex, overrides } = {}) {
      const holder = kit.newHolder();
      const credential = await kit.issue({ format, type, holder, ...(statusIndex === undefined ? {} : { statusIndex }), ...(overrides === undefined ? {} : { overrides: overrides as never }) });
      return { credential, holder };
    },
    paper({ serviceId = 'library', statusIndex = 4_343 } = {}) {
      return kit.issuePaper({ serviceId, statusIndex });
    },
    answer({ request, credential, holder, claims = ENTITLEMENT_CLAIMS, nonce, audience = FIXTURE_TERMINAL_ID, iat = now }) {
      return kit.present({ credential, holder, claims, nonce: nonce ?? requestNonceOf(request), audience, iat });
    },
    scan({ credential, holder, claims = ENTITLEMENT_CLAIMS, nonce, audience = FIXTURE_TERMINAL_ID, iat = now }) {
      return kit.present({ credential, holder, claims, nonce: nonce ?? `wallet-${base64urlEncode(crypto.randomBytes(12))}`, audience, iat });
    },
    async close() {
      if (closed) return;
      closed = true;
      await counters.close();
      await replayCache.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
