import { isUrbisError } from '../../core/errors/urbis-error.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import { pollDeferred } from '../oid4vci/deferred-issuance.js';
import type { PendingIssuance } from '../oid4vci/issuance-result.js';
import type { FetchLike } from '../oid4vci/issuer-http.js';
import { holderKeyForRecord } from '../store/holder-key-record.js';
import type { StoredHolderKey, StoredPendingIssuance } from '../store/wallet-document.js';
import type { WalletStore } from '../store/wallet-store.js';
import { storedCopies, type ReceivedConfiguration } from './store-issued.js';

/** Issuer answers after which a pending issuance is dropped: it will never be collected. */
const DEAD_PENDING_CODES: readonly string[] = ['TRANSACTION_ID_INVALID', 'ACCESS_TOKEN_INVALID'];

/**
 * Polls every deferred issuance whose time has come (OID4VCI 1.0 §9), once
 * each, and stores what arrived. A still-pending one gets its new
 * `notBefore`; one the issuer no longer knows (`TRANSACTION_ID_INVALID`,
 * `ACCESS_TOKEN_INVALID`) is dropped with its unused keys and reported as
 * failed; an unreachable issuer leaves it as it was (reported failed too).
 * Issuances whose `notBefore` is not reached are reported pending, untouched.
 *
 * @throws UrbisError the store's errors only.
 *
 * @example
 * ```ts
 * const outcomes = await collectPending({ store });
 * ```
 */
export async function collectPending({
  store,
  handles,
  fetch = globalThis.fetch,
  now = Date.now,
}: {
  store: WalletStore;
  handles?: HolderKeyHandles;
  fetch?: FetchLike;
  /** Clock, epoch milliseconds. */
  now?: () => number;
}): Promise<ReceivedConfiguration[]> {
  const document = await store.load();
  const outcomes: ReceivedConfiguration[] = [];
  for (const stored of document.pendingIssuances ?? []) {
    const records = stored.keyIds.map((id) => document.keys.find((k) => k.id === id)!);
    let polled;
    try {
      const pending = await pendingIssuance({ stored, records, ...(handles === undefined ? {} : { handles }) });
      polled = await pollDeferred({ pending, fetch, now, wait: false });
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      if (DEAD_PENDING_CODES.includes(error.code)) await dropPending({ store, stored, handles });
      outcomes.push({ configurationId: stored.configurationId, outcome: 'failed', copies: 0, code: error.code });
      continue;
    }
    if (polled.pending !== undefined) {
      const { notBefore, interval } = polled.pending;
      await store.mutate((doc) => {
        const entry = doc.pendingIssuances?.find((p) => p.id === stored.id);
        if (entry !== undefined) Object.assign(entry, { notBefore, interval });
      });
      outcomes.push({ configurationId: stored.configurationId, outcome: 'pending', copies: stored.keyIds.length });
      continue;
    }
    const receivedAt = Math.floor(now() / 1000);
    const byId = new Map(records.map((r) => [r.id, r]));
    const { credentials } = await storedCopies({ copies: polled.copies, format: stored.format, issuerUrl: stored.issuerUrl, configurationId: stored.configurationId, keys: byId, receivedAt });
    await store.mutate((doc) => {
      doc.pendingIssuances = (doc.pendingIssuances ?? []).filter((p) => p.id !== stored.id);
      doc.credentials.push(...credentials);
    });
    const first = credentials[0];
    outcomes.push({
      configurationId: stored.configurationId,
      outcome: 'received',
      copies: credentials.length,
      ...(first === undefined ? {} : { credentialType: first.credentialType }),
      ...(first?.serviceId === undefined ? {} : { serviceId: first.serviceId }),
    });
  }
  return outcomes;
}

async function pendingIssuance({ stored, records, handles }: { stored: StoredPendingIssuance; records: StoredHolderKey[]; handles?: HolderKeyHandles }): Promise<PendingIssuance> {
  const keys = [];
  for (const record of records) {
    const key = await holderKeyForRecord({ record, ...(handles === undefined ? {} : { handles }) });
    keys.push({ publicJwk: record.publicJwk, signingKey: key.signingKey });
  }
  return {
    issuerUrl: stored.issuerUrl,
    configurationId: stored.configurationId,
    format: stored.format,
    deferredCredentialEndpoint: stored.deferredCredentialEndpoint,
    transactionId: stored.transactionId,
    interval: stored.interval,
    notBefore: stored.notBefore,
    accessToken: stored.accessToken,
    keys,
    ...(stored.issuerIds === undefined ? {} : { issuerIds: [...stored.issuerIds] }),
  };
}

async function dropPending({ store, stored, handles }: { store: WalletStore; stored: StoredPendingIssuance; handles?: HolderKeyHandles | undefined }): Promise<void> {
  await store.mutate((doc) => {
    doc.pendingIssuances = (doc.pendingIssuances ?? []).filter((p) => p.id !== stored.id);
    const inUse = new Set([...doc.credentials.map((c) => c.holderKeyId), ...(doc.pendingIssuances ?? []).flatMap((p) => p.keyIds)]);
    doc.keys = doc.keys.filter((k) => !stored.keyIds.includes(k.id) || inUse.has(k.id));
  });
  for (const id of stored.keyIds) await handles?.delete(id);
}
