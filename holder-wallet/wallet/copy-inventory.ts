import { LOW_ON_COPIES } from '../presentation/consent.js';
import type { CredentialStatusValue, StoredCredential, StoredCredentialFormat, WalletDocument } from '../store/wallet-document.js';

/** The copies of one credential (one issuer, type, service and format), as the wallet's home screen lists them. */
export interface CredentialStock {
  credentialType: string;
  serviceId?: string;
  issuerId: string;
  format: StoredCredentialFormat;
  /** Where more copies come from (absent for copies the wallet did not get by OID4VCI). */
  issuerUrl?: string;
  configurationId?: string;
  unspent: number;
  spent: number;
  /** `unspent <= LOW_ON_COPIES`: offer to refresh from the issuer. */
  low: boolean;
  /** The worst status last read for an unspent copy (revoked > suspended > unknown > valid), if any was read. */
  status?: CredentialStatusValue;
  /** When a status was last read for an unspent copy. */
  statusCheckedAt?: number;
}

const SEVERITY: Record<CredentialStatusValue, number> = { valid: 0, unknown: 1, suspended: 2, revoked: 3 };

/** The grouping key: copies of one credential refresh one another. */
export function stockKey(copy: Pick<StoredCredential, 'issuerId' | 'credentialType' | 'serviceId' | 'format'>): string {
  return JSON.stringify([copy.issuerId, copy.credentialType, copy.serviceId ?? null, copy.format]);
}

/**
 * Counts the wallet's copies per credential: unspent and spent, whether it
 * runs low, and the status last read. Pure; reads `document` only.
 *
 * @example
 * ```ts
 * for (const stock of copyInventory(await store.load())) if (stock.low) offerRefresh(stock);
 * ```
 */
export function copyInventory(document: WalletDocument): CredentialStock[] {
  const stocks = new Map<string, CredentialStock>();
  for (const copy of document.credentials) {
    const key = stockKey(copy);
    let stock = stocks.get(key);
    if (stock === undefined) {
      stock = {
        credentialType: copy.credentialType,
        ...(copy.serviceId === undefined ? {} : { serviceId: copy.serviceId }),
        issuerId: copy.issuerId,
        format: copy.format,
        unspent: 0,
        spent: 0,
        low: true,
      };
      stocks.set(key, stock);
    }
    if (copy.issuerUrl !== undefined) stock.issuerUrl = copy.issuerUrl;
    if (copy.configurationId !== undefined) stock.configurationId = copy.configurationId;
    if (copy.spentAt !== undefined) {
      stock.spent++;
      continue;
    }
    stock.unspent++;
    if (copy.status !== undefined && (stock.status === undefined || SEVERITY[copy.status] > SEVERITY[stock.status])) stock.status = copy.status;
    if (copy.statusCheckedAt !== undefined) stock.statusCheckedAt = Math.max(stock.statusCheckedAt ?? 0, copy.statusCheckedAt);
  }
  for (const stock of stocks.values()) stock.low = stock.unspent <= LOW_ON_COPIES;
  return [...stocks.values()];
}
