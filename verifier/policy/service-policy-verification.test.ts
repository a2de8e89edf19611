import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { ClaimPath } from '../../core/credentials/credential-types.js';
import type { GeneratedKeyPair } from '../../core/crypto/ports.js';
import { issueCredentialBatch } from '../../core/issuance/issue-credential.js';
import { createCredentialKit, type CredentialKit } from '../../core/test-kit/credential-kit.js';
import type { SdJwtCredentialFormat } from '../../core/verification/verification-result.js';
import { applyServicePolicy } from './apply-service-policy.js';
import { parseServicePolicies } from './parse-service-policies.js';
import { requestedClaims } from './requested-claims.js';
import type { ServicePolicy } from './service-policy.js';
import { verificationLimitsFor } from './verification-limits-for.js';

/**
 * Real credentials through core's offline verifier, then the service
 * policy: what a terminal does, minus the request (see e2e/verifier-request-wallet.test.ts).
 */
const policies = parseServicePolicies(readFileSync(new URL('./fixtures/gijon-policies.json', import.meta.url), 'utf8'));
const PORTO = 'did:web:porto.urbis.example';

type TypeName = 'ResidentCredential' | 'ServiceEntitlementCredential';
type PortoIssue = (args: { type: TypeName; claims: object; holder: { keyPair: GeneratedKeyPair } }) => Promise<string>;

function setup(): { kit: CredentialKit; portoIssue: PortoIssue } {
  const kit = createCredentialKit();
  // A second federation member, accredited for both types (the trust snapshot says so; core checks it).
  const keyPair = kit.crypto.generateKeyPair();
  const kid = `${PORTO}#key-1`;
  const signingKey = kit.crypto.signingKeyFromJwk({ privateJwk: keyPair.privateJwk, kid });
  kit.trustedIssuers.push({ id: PORTO, keys: [{ kid, publicJwk: keyPair.publicJwk }], credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'] });
  let index = 9_000;
  const portoIssue: PortoIssue = async ({ type, claims, holder }) =>
    (
      await issueCredentialBatch({
        format: 'dc+sd-jwt',
        type,
        claims: claims as never,
        issuer: { id: PORTO, signingKey },
        statusListUri: kit.statusListUri,
        validFrom: kit.now - 86_400,
        validUntil: kit.now + 86_400,
        issuedAt: kit.now - 3_600,
        crypto: kit.crypto,
        copies: [{ holderPublicJwk: holder.keyPair.publicJwk, statusIndex: index++ }],
      })
    )[0]!;
  return { kit, portoIssue };
}

let statusIndex = 100;
async function verifyAt({
  kit,
  policy,
  credential,
  holder,
  disclose,
  at = kit.now,
  snapshotAgeSeconds,
}: {
  kit: CredentialKit;
  policy: ServicePolicy;
  credential: string;
  holder: ReturnType<CredentialKit['newHolder']>;
  disclose?: readonly ClaimPath[];
  at?: number;
  snapshotAgeSeconds?: number;
}) {
  // By default the wallet discloses exactly what the first alternative of this type asks for.
  const claims = disclose ?? requestedClaims({ policy, accepted: policy.accepts[0]! }).map((c) => c.path);
  const presentation = await kit.present({ credential, holder, claims, iat: at });
  const result = await kit.verify({ presentation, limits: verificationLimitsFor(policy), now: at });
  return applyServicePolicy({ policy, result, ...(snapshotAgeSeconds === undefined ? {} : { snapshotAgeSeconds }) });
}

async function issue(kit: CredentialKit, { type, format = 'dc+sd-jwt', claims }: { type: TypeName; format?: SdJwtCredentialFormat; claims?: object }) {
  const holder = kit.newHolder();
  const base = type === 'ResidentCredential' ? kit.residentClaims : kit.entitlementClaims;
  const credential = await kit.issue({ format, type, holder, statusIndex: statusIndex++, overrides: { claims: { ...base, ...claims } as never } });
  return { credential, holder };
}

describe('service policies over real presentations', () => {
  it.each<SdJwtCredentialFormat>(['dc+sd-jwt', 'vc+sd-jwt'])('a pools entitlement (%s) is accepted at the pool, with only the claims asked for', async (format) => {
    const { kit } = setup();
    const pools = policies.get('pools')!;
    const { credential, holder } = await issue(kit, { type: 'ServiceEntitlementCredential', format });
    const accepted = await verifyAt({ kit, policy: pools, credential, holder });
    expect(accepted).toEqual(expect.objectContaining({ ok: true, serviceId: 'pools', accepted: 'entitlement', format, claims: { service_id: 'pools', tier: 'standard' } }));

    // A wallet that discloses more: still accepted, the extra claims dropped.
    const more = await issue(kit, { type: 'ServiceEntitlementCredential', format });
    const overshared = await verifyAt({ kit, policy: pools, ...more, disclose: [['service_id'], ['tier'], ['pseudonym'], ['municipality']] });
    expect(overshared).toMatchObject({ ok: true, claims: { service_id: 'pools', tier: 'standard' } });
    expect(Object.keys((overshared as { claims: object }).claims)).toEqual(['service_id', 'tier']);
  });

  it('a library entitlement at the pool: POLICY_SERVICE_MISMATCH; a resident under 65: POLICY_PREDICATE_FAILED', async () => {
    const { kit } = setup();
    const pools = policies.get('pools')!;
    const library = await issue(kit, { type: 'ServiceEntitlementCredential', claims: { service_id: 'library' } });
    expect(await verifyAt({ kit, policy: pools, ...library })).toEqual({ ok: false, failures: [expect.objectContaining({ code: 'POLICY_SERVICE_MISMATCH' })] });
    const adult = await issue(kit, { type: 'ResidentCredential', format: 'vc+sd-jwt' });
    expect(await verifyAt({ kit, policy: pools, ...adult, disclose: [['age_over_65']] })).toEqual({
      ok: false,
      failures: [expect.objectContaining({ check: 'policy', code: 'POLICY_PREDICATE_FAILED' })],
    });
    const senior = await issue(kit, { type: 'ResidentCredential', claims: { age_over_65: true } });
    expect(await verifyAt({ kit, policy: pools, ...senior, disclose: [['age_over_65']] })).toMatchObject({ ok: true, accepted: 'senior', claims: { age_over_65: true } });
  });

  it("another federation city: its senior resident enters the pool ('federation'); its entitlement is refused on the bus (Gijón only)", async () => {
    const { kit, portoIssue } = setup();
    const holder = kit.newHolder();
    const senior = await portoIssue({ type: 'ResidentCredential', claims: { ...kit.residentClaims, age_over_65: true, municipality: 'Porto' }, holder });
    expect(await verifyAt({ kit, policy: policies.get('pools')!, credential: senior, holder, disclose: [['age_over_65']] })).toMatchObject({
      ok: true,
      issuer: PORTO,
      accepted: 'senior',
    });
    const other = kit.newHolder();
    const bus = await portoIssue({ type: 'ServiceEntitlementCredential', claims: { ...kit.entitlementClaims, service_id: 'transport', tier: 'youth' }, holder: other });
    expect(await verifyAt({ kit, policy: policies.get('transport')!, credential: bus, holder: other })).toEqual({
      ok: false,
      failures: [expect.objectContaining({ check: 'policy', code: 'POLICY_ISSUER_NOT_ACCEPTED' })],
    });
  });

  it("a stale snapshot through core's own policy: refused at the pool (fail closed), a warning at the parking (warn)", async () => {
    const { kit } = setup();
    const at = kit.now + 86_400; // the kit's snapshot was synced 60 s before kit.now
    const pool = await issue(kit, { type: 'ServiceEntitlementCredential' });
    const refused = await verifyAt({ kit, policy: policies.get('pools')!, ...pool, at });
    expect(refused).toEqual({ ok: false, failures: [expect.objectContaining({ check: 'snapshot', code: 'SNAPSHOT_STALE' })] });

    const parkingPolicy = policies.get('parking')!;
    const parking = await issue(kit, { type: 'ServiceEntitlementCredential', claims: { service_id: 'parking' } });
    const later = kit.now + 259_200 + 120;
    const warned = await verifyAt({ kit, policy: parkingPolicy, ...parking, at: later, snapshotAgeSeconds: later - kit.status.syncedAt });
    expect(warned).toMatchObject({ ok: true, accepted: 'entitlement', warnings: [{ code: 'SNAPSHOT_STALE' }] });
    // Reported once, even when the terminal also passes the snapshot age.
    expect((warned as { warnings: unknown[] }).warnings).toHaveLength(1);
  });
});
