import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import type { FetchLike } from '../oid4vci/issuer-http.js';
import { refreshIssuance } from '../oid4vci/refresh-issuance.js';
import type { ReissuanceNeed } from '../store/backup.js';
import type { RefreshGrant, WalletDocument } from '../store/wallet-document.js';
import type { WalletStore } from '../store/wallet-store.js';
import { copyInventory } from './copy-inventory.js';
import { keepIssued, type ReceivedConfiguration } from './store-issued.js';
import { walletKeyFactory, type HolderKeyStorage } from './wallet-key-factory.js';
import { trustListOf } from './wallet-trust.js';

/** One configuration the wallet wants fresh copies of. */
export interface RefreshTarget {
  issuerUrl: string;
  configurationId: string;
}

/** What a refresh did, per configuration asked. */
export interface RefreshOutcome extends ReceivedConfiguration {
  issuerUrl: string;
}

/** Shared options of {@link refreshCopies} and {@link reissueAfterRestore}. */
export interface RefreshOptions {
  store: WalletStore;
  keyStorage?: HolderKeyStorage;
  handles?: HolderKeyHandles;
  batchSize?: number;
  fetch?: FetchLike;
  /** Clock, epoch milliseconds. */
  now?: () => number;
}

/**
 * The configurations that run low (`copyInventory`'s `low`: at most
 * `LOW_ON_COPIES` unspent copies) and came from an issuer by OID4VCI.
 * Revoked credentials are not refreshed (the issuer would refuse them).
 */
export function lowRefreshTargets(document: WalletDocument): RefreshTarget[] {
  return copyInventory(document)
    .filter((s) => s.low && s.issuerUrl !== undefined && s.configurationId !== undefined && s.status !== 'revoked')
    .map((s) => ({ issuerUrl: s.issuerUrl!, configurationId: s.configurationId! }));
}

/**
 * Asks issuers for fresh one-time copies with the refresh tokens the
 * wallet holds (RFC 6749 §6; see `refreshIssuance`): by default for every
 * credential that runs low. Each issuer is asked once, for all its
 * configurations that one refresh token covers; the rotated token is stored
 * the moment the issuer gives it, the copies in one write afterwards.
 *
 * A target with no refresh token is reported failed with
 * `REFRESH_NOT_AVAILABLE` (ask the issuer for a new offer in its front
 * office); a token the issuer refuses (`REFRESH_TOKEN_INVALID`: expired,
 * or used elsewhere, e.g. by a restored copy of this wallet) is forgotten
 * and reported.
 *
 * @throws UrbisError the store's errors only; issuer errors are reported per target.
 *
 * @example
 * ```ts
 * const outcomes = await refreshCopies({ store }); // everything that runs low
 * ```
 */
export async function refreshCopies({ targets, ...options }: RefreshOptions & { targets?: readonly RefreshTarget[] }): Promise<RefreshOutcome[]> {
  const { store } = options;
  const document = await store.load();
  const wanted = firstPerConfiguration(targets ?? lowRefreshTargets(document));
  const outcomes: RefreshOutcome[] = [];
  // Group by the grant that covers each target: one token exchange per grant.
  const byGrant = new Map<string, { grant: RefreshGrant; configurationIds: string[] }>();
  for (const target of wanted) {
    const grant = grantFor(document, target);
    if (grant === undefined) {
      outcomes.push({ ...target, outcome: 'failed', copies: 0, code: 'REFRESH_NOT_AVAILABLE' });
      continue;
    }
    const group = byGrant.get(grant.id) ?? { grant, configurationIds: [] };
    group.configurationIds.push(target.configurationId);
    byGrant.set(grant.id, group);
  }
  for (const { grant, configurationIds } of byGrant.values()) {
    outcomes.push(...(await refreshWithGrant({ ...options, grant, configurationIds })));
  }
  return outcomes;
}

/**
 * After a restore on a new device (`restoreBackup`), asks the issuers for
 * new copies of the credentials whose holder keys could not move
 * (`needReissuance`), with the refresh tokens the backup carried. Each
 * new copy gets a new key on this device.
 *
 * @throws UrbisError the store's errors only; issuer errors are reported per configuration.
 *
 * @example
 * ```ts
 * const { store, needReissuance } = await restoreBackup({ backup, passphrase, targetStorage, targetPassphrase });
 * const outcomes = await reissueAfterRestore({ store, needs: needReissuance, keyStorage: 'device', handles });
 * ```
 */
export async function reissueAfterRestore({ needs, ...options }: RefreshOptions & { needs: readonly ReissuanceNeed[] }): Promise<RefreshOutcome[]> {
  const targets: RefreshTarget[] = [];
  const outcomes: RefreshOutcome[] = [];
  for (const need of needs) {
    if (need.issuerUrl === undefined || need.configurationId === undefined) {
      outcomes.push({ issuerUrl: need.issuerUrl ?? need.issuerId, configurationId: need.configurationId ?? need.credentialType, outcome: 'failed', copies: 0, code: 'REFRESH_NOT_AVAILABLE' });
      continue;
    }
    targets.push({ issuerUrl: need.issuerUrl, configurationId: need.configurationId });
  }
  return [...firstPerConfiguration(outcomes), ...(targets.length === 0 ? [] : await refreshCopies({ ...options, targets }))];
}

async function refreshWithGrant({
  store,
  grant,
  configurationIds,
  keyStorage = 'exportable',
  handles,
  batchSize,
  fetch = globalThis.fetch,
  now = Date.now,
}: RefreshOptions & { grant: RefreshGrant; configurationIds: string[] }): Promise<RefreshOutcome[]> {
  const receivedAt = Math.floor(now() / 1000);
  const keys = walletKeyFactory({ keyStorage, createdAt: receivedAt, ...(handles === undefined ? {} : { handles }) });
  const failAll = (code: string): RefreshOutcome[] => configurationIds.map((configurationId) => ({ issuerUrl: grant.issuerUrl, configurationId, outcome: 'failed', copies: 0, code }));
  let kept = new Set<string>();
  try {
    let refreshed;
    try {
      refreshed = await refreshIssuance({
        issuerUrl: grant.issuerUrl,
        refreshToken: grant.refreshToken,
        configurationIds,
        trustList: trustListOf(await store.load()),
        newHolderKey: keys.newHolderKey,
        fetch,
        now,
        ...(batchSize === undefined ? {} : { batchSize }),
        onTokenRotated: (refreshToken) => replaceGrantToken({ store, grantId: grant.id, refreshToken, at: receivedAt }),
      });
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      if (error.code === 'REFRESH_TOKEN_INVALID') await replaceGrantToken({ store, grantId: grant.id, refreshToken: undefined, at: receivedAt });
      return failAll(error.code);
    }
    // `kept` is set only once the write succeeded: keys of copies that were not stored are discarded.
    const { summary, keptKeyIds } = await store.mutate((document) => keepIssued({ document, results: refreshed.results, issuerUrl: grant.issuerUrl, keys, receivedAt }));
    kept = keptKeyIds;
    return summary.map((s) => ({ ...s, issuerUrl: grant.issuerUrl }));
  } finally {
    await keys.discardUnused(kept);
  }
}

/** Stores the rotated token in place of the spent one, or forgets the grant when there is none. */
async function replaceGrantToken({ store, grantId, refreshToken, at }: { store: WalletStore; grantId: string; refreshToken: string | undefined; at: number }): Promise<void> {
  await store.mutate((document) => {
    const grants = document.refreshGrants ?? [];
    const grant = grants.find((g) => g.id === grantId);
    if (grant === undefined) throw new UrbisError('STATE_CONFLICT', 'the refresh token was removed from the wallet meanwhile');
    if (refreshToken === undefined) document.refreshGrants = grants.filter((g) => g.id !== grantId);
    else Object.assign(grant, { refreshToken, obtainedAt: at });
  });
}

/** The newest grant of that issuer covering the configuration. */
function grantFor(document: WalletDocument, target: RefreshTarget): RefreshGrant | undefined {
  return [...(document.refreshGrants ?? [])]
    .filter((g) => g.issuerUrl === target.issuerUrl && g.configurationIds.includes(target.configurationId))
    .sort((a, b) => b.obtainedAt - a.obtainedAt)[0];
}

/** The first of each (issuer, configuration). */
function firstPerConfiguration<T extends RefreshTarget>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify([item.issuerUrl, item.configurationId]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
