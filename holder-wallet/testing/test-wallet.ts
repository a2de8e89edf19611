import { createCredentialKit, type CredentialKit } from '../../core/test-kit/credential-kit.js';
import type { SdJwtCredentialFormat } from '../../core/verification/verification-result.js';
import { generateHolderKey } from '../keys/web-crypto-holder-keys.js';
import { createHolderKeyRecord } from '../store/holder-key-record.js';
import { createMemoryStorage } from '../store/memory-storage.js';
import { emptyWalletDocument, type StoredCredential, type WalletDocument } from '../store/wallet-document.js';
import { createWalletStore, type WalletStore } from '../store/wallet-store.js';
import { TEST_KDF } from './wallet-fixtures.js';

/**
 * Test helper: a wallet holding REAL one-time copies issued in-process by
 * core's test-kit issuer (issueCredentialBatch), each bound to its own Web
 * Crypto holder key (extractable, so the record carries it, as in Node).
 * Tests only.
 */
export const RESIDENT_VCT = 'urn:urbis:vct:resident:1';
export const ENTITLEMENT_VCT = 'urn:urbis:vct:service-entitlement:1';

export interface CopySpec {
  type: 'ResidentCredential' | 'ServiceEntitlementCredential';
  format?: SdJwtCredentialFormat;
  serviceId?: string;
  count: number;
  spent?: number;
}

let nextStatusIndex = 1_000;

export async function walletWithCopies(specs: CopySpec[]): Promise<{ kit: CredentialKit; document: WalletDocument; store: WalletStore }> {
  const kit = createCredentialKit();
  const document = emptyWalletDocument();
  let n = 0;
  for (const spec of specs) {
    const format = spec.format ?? 'dc+sd-jwt';
    const serviceId = spec.type === 'ServiceEntitlementCredential' ? (spec.serviceId ?? 'pools') : undefined;
    for (let i = 0; i < spec.count; i++) {
      const holderKey = await generateHolderKey({ extractable: true });
      const key = await createHolderKeyRecord({ holderKey, createdAt: kit.now });
      const credential = await kit.issue({
        format,
        type: spec.type,
        holder: { keyPair: { publicJwk: holderKey.publicJwk, privateJwk: undefined as never } },
        statusIndex: nextStatusIndex++,
        ...(serviceId === undefined ? {} : { overrides: { claims: { ...kit.entitlementClaims, service_id: serviceId } } }),
      });
      const copy: StoredCredential = {
        id: `copy-${++n}`,
        credential,
        format,
        credentialType: spec.type,
        issuerId: kit.issuer.id,
        ...(serviceId === undefined ? {} : { serviceId }),
        holderKeyId: key.id,
        batchId: `${spec.type}-${serviceId ?? ''}-${format}`,
        receivedAt: kit.now - 1_000 + n,
        ...(i < (spec.spent ?? 0) ? { spentAt: kit.now - 10 } : {}),
      };
      document.credentials.push(copy);
      document.keys.push(key);
    }
  }
  const store = await createWalletStore({ storage: createMemoryStorage(), passphrase: 'correct horse battery staple', kdf: TEST_KDF, document });
  return { kit, document, store };
}

export function residentQuery(claims: string[][] = [['age_over_18']], id = 'resident'): Record<string, unknown> {
  return { id, format: 'dc+sd-jwt', meta: { vct_values: [RESIDENT_VCT] }, ...(claims.length === 0 ? {} : { claims: claims.map((path) => ({ path })) }) };
}

export function requestLink(params: Record<string, string>): string {
  return `openid4vp://?${new URLSearchParams(params).toString()}`;
}
