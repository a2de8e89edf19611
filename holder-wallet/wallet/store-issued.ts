import { base64urlEncode } from '../../core/encoding/base64url.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { webRandomBytes } from '../crypto/web-crypto.js';
import type { ConfigurationIssuance, IssuedCopy, PendingIssuance } from '../oid4vci/issuance-result.js';
import type { StoredCredential, StoredCredentialFormat, StoredHolderKey, WalletDocument } from '../store/wallet-document.js';
import { describeCopy } from './copy-description.js';
import type { WalletKeyFactory } from './wallet-key-factory.js';

/** What the wallet kept of one configuration. */
export interface ReceivedConfiguration {
  configurationId: string;
  /** `received`: copies stored; `pending`: the issuer will answer later (poll with `collectPending`); `failed`: see `code`. */
  outcome: 'received' | 'pending' | 'failed';
  credentialType?: string;
  serviceId?: string;
  copies: number;
  /** The UrbisError code of a failed configuration. */
  code?: string;
}

/** A random wallet-local id (never sent anywhere). */
export function walletLocalId(): string {
  return base64urlEncode(webRandomBytes(16));
}

/**
 * Turns issued copies into stored copies with their key records (one
 * batch id for the lot). Reads each copy for its type, service and issuer.
 *
 * @throws UrbisError `INVALID_ARGUMENT` (a copy bound to a key the factory
 *   did not make), and `describeCopy`'s errors for a copy the wallet cannot read.
 */
export async function storedCopies({
  copies,
  format,
  issuerUrl,
  configurationId,
  keys,
  receivedAt,
}: {
  copies: readonly IssuedCopy[];
  format: StoredCredentialFormat;
  issuerUrl: string;
  configurationId: string;
  keys: Pick<WalletKeyFactory, 'recordFor'> | ReadonlyMap<string, StoredHolderKey>;
  receivedAt: number;
}): Promise<{ credentials: StoredCredential[]; keys: StoredHolderKey[] }> {
  const batchId = walletLocalId();
  const credentials: StoredCredential[] = [];
  const records: StoredHolderKey[] = [];
  for (const copy of copies) {
    const record = 'recordFor' in keys ? keys.recordFor(copy.publicJwk) : findByJwk(keys, copy);
    const described = await describeCopy({ credential: copy.credential, format });
    credentials.push({
      id: walletLocalId(),
      credential: copy.credential,
      format,
      credentialType: described.credentialType,
      issuerId: described.issuerId,
      ...(described.serviceId === undefined ? {} : { serviceId: described.serviceId }),
      holderKeyId: record.id,
      batchId,
      issuerUrl,
      configurationId,
      receivedAt,
    });
    records.push(record);
  }
  return { credentials, keys: records };
}

function findByJwk(keys: ReadonlyMap<string, StoredHolderKey>, copy: IssuedCopy): StoredHolderKey {
  for (const record of keys.values()) {
    if (record.publicJwk.x === copy.publicJwk.x && record.publicJwk.y === copy.publicJwk.y) return record;
  }
  throw new UrbisError('INVALID_ARGUMENT', 'a copy is bound to a key that is not in the wallet');
}

/**
 * Adds what one round of issuance gave to the document, in place: copies
 * and their key records, pending issuances (with their key records, so a
 * later poll finds them), and a summary per configuration. Keys of copies
 * that never came are not stored.
 */
export async function keepIssued({
  document,
  results,
  issuerUrl,
  keys,
  receivedAt,
}: {
  document: WalletDocument;
  results: readonly ConfigurationIssuance[];
  issuerUrl: string;
  keys: WalletKeyFactory;
  receivedAt: number;
}): Promise<{ summary: ReceivedConfiguration[]; keptKeyIds: Set<string> }> {
  const summary: ReceivedConfiguration[] = [];
  const keptKeyIds = new Set<string>();
  const addKey = (record: StoredHolderKey): void => {
    if (keptKeyIds.has(record.id) || document.keys.some((k) => k.id === record.id)) return;
    keptKeyIds.add(record.id);
    document.keys.push(record);
  };
  for (const result of results) {
    if (result.error !== undefined) {
      summary.push({ configurationId: result.configurationId, outcome: 'failed', copies: 0, code: result.error.code });
    } else if (result.pending !== undefined) {
      const records = result.pending.keys.map((key) => keys.recordFor(key.publicJwk));
      records.forEach(addKey);
      (document.pendingIssuances ??= []).push(pendingRecord({ pending: result.pending, keyIds: records.map((r) => r.id), createdAt: receivedAt }));
      summary.push({ configurationId: result.configurationId, outcome: 'pending', copies: result.pending.keys.length });
    } else {
      const stored = await storedCopies({ copies: result.copies, format: result.format, issuerUrl, configurationId: result.configurationId, keys, receivedAt });
      stored.keys.forEach(addKey);
      document.credentials.push(...stored.credentials);
      const first = stored.credentials[0];
      summary.push({
        configurationId: result.configurationId,
        outcome: 'received',
        copies: stored.credentials.length,
        ...(first === undefined ? {} : { credentialType: first.credentialType }),
        ...(first?.serviceId === undefined ? {} : { serviceId: first.serviceId }),
      });
    }
  }
  return { summary, keptKeyIds };
}

function pendingRecord({ pending, keyIds, createdAt }: { pending: PendingIssuance; keyIds: string[]; createdAt: number }) {
  return {
    id: walletLocalId(),
    issuerUrl: pending.issuerUrl,
    configurationId: pending.configurationId,
    format: pending.format,
    deferredCredentialEndpoint: pending.deferredCredentialEndpoint,
    transactionId: pending.transactionId,
    interval: pending.interval,
    notBefore: pending.notBefore,
    accessToken: pending.accessToken,
    keyIds,
    ...(pending.issuerIds === undefined ? {} : { issuerIds: [...pending.issuerIds] }),
    createdAt,
  };
}
