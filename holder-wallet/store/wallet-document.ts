import type { ClaimPath } from '../../core/credentials/credential-types.js';
import type { PrivateJwk, PublicJwk } from '../../core/crypto/ports.js';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { toPrivateP256Jwk, toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import { WALLET_STORE_ERROR_CODES } from './wallet-store-errors.js';

/**
 * The wallet document: everything the citizen's wallet keeps, as one JSON
 * document sealed by the store (see `sealed-wallet-file.ts`). Times are
 * seconds since the epoch, as in JWTs.
 */

/** The document version this code writes and reads. A higher one is refused as newer. */
export const WALLET_DOCUMENT_VERSION = 1;

/** Credential formats the wallet stores (OID4VCI format identifiers; the same names as `oid4vci/`'s `CredentialFormat`). */
export type StoredCredentialFormat = 'vc+sd-jwt' | 'dc+sd-jwt' | 'jwt_vc_json';

const FORMATS: readonly string[] = ['vc+sd-jwt', 'dc+sd-jwt', 'jwt_vc_json'] satisfies StoredCredentialFormat[];

/**
 * One one-time copy of a credential (DESIGN §2): bound to its own holder
 * key, presented once, then marked spent.
 */
export interface StoredCredential {
  /** Wallet-local id (random; never sent anywhere). */
  id: string;
  /** The issued credential: a compact SD-JWT with all its disclosures (`<JWT>~<D1>~...~`), or a compact JWT for `jwt_vc_json`. */
  credential: string;
  format: StoredCredentialFormat;
  /** e.g. `ResidentCredential`, `ServiceEntitlementCredential`. */
  credentialType: string;
  /** The issuer id in the credential (`iss` / `issuer`, a DID). */
  issuerId: string;
  /** The service a `ServiceEntitlementCredential` entitles to. */
  serviceId?: string;
  /** {@link StoredHolderKey.id} of the key in this copy's `cnf.jwk`. */
  holderKeyId: string;
  /** Copies issued together (one OID4VCI batch): the unit that is counted and refreshed. */
  batchId?: string;
  /** OID4VCI Credential Issuer Identifier (`credential_issuer`) the copy came from, to ask for more or for re-issuance. */
  issuerUrl?: string;
  /** OID4VCI `credential_configuration_id` the copy was issued under. */
  configurationId?: string;
  receivedAt: number;
  /** When the copy was presented; a spent copy is never presented again. */
  spentAt?: number;
  /** The status the wallet last read from the issuer's published status list (see `status/`). */
  status?: CredentialStatusValue;
  /** When `status` was read. */
  statusCheckedAt?: number;
}

/** A copy's status as published: valid, revoked, suspended, or unknown (the list could not be read or does not cover it). */
export type CredentialStatusValue = 'valid' | 'revoked' | 'suspended' | 'unknown';

const STATUS_VALUES: readonly string[] = ['valid', 'revoked', 'suspended', 'unknown'] satisfies CredentialStatusValue[];

/**
 * A refresh token from an issuer (RFC 6749 §6 at its OID4VCI token
 * endpoint): the wallet's way back for fresh copies of the same
 * configurations, without a new offer. Single-use: each use stores the
 * rotated token in its place. A secret, like the keys: only ever in the
 * sealed document.
 */
export interface RefreshGrant {
  /** Wallet-local id. */
  id: string;
  issuerUrl: string;
  refreshToken: string;
  /** The configurations it was given for (those of the offer). */
  configurationIds: string[];
  obtainedAt: number;
}

/**
 * A deferred issuance (OID4VCI 1.0 §9) waiting for the issuer: what
 * polling needs, with the holder keys by record id (the records are in
 * `keys`, so a non-extractable key stays a handle).
 */
export interface StoredPendingIssuance {
  id: string;
  issuerUrl: string;
  configurationId: string;
  format: StoredCredentialFormat;
  deferredCredentialEndpoint: string;
  transactionId: string;
  /** Seconds between polls the issuer asked for. */
  interval: number;
  /** Epoch milliseconds before which the wallet does not poll. */
  notBefore: number;
  accessToken: string;
  /** {@link StoredHolderKey.id} of each key, in key-proof order. */
  keyIds: string[];
  issuerIds?: string[];
  createdAt: number;
}

/**
 * A holder key record. The same record fits both platforms:
 * - file store (Node): `exportable: true` and `privateJwk` present; the key
 *   lives only inside the sealed file;
 * - browser: `exportable: false` and no `privateJwk`; the non-extractable
 *   `CryptoKey` is kept by the platform (IndexedDB) under `id`.
 *
 * A backup carries exportable keys; copies bound to a non-exportable key
 * need re-issuance on the new device.
 */
export interface StoredHolderKey {
  /** RFC 7638 JWK thumbprint of `publicJwk` (see `createHolderKeyRecord`). */
  id: string;
  publicJwk: PublicJwk;
  /** Whether the private key can leave the device (backup, migration). */
  exportable: boolean;
  /** Present exactly when `exportable`. */
  privateJwk?: PrivateJwk;
  createdAt: number;
}

/** How a presentation was asked for (DESIGN §4). */
export type PresentationFlow = 'oid4vp' | 'scanner';

/** One disclosure the citizen consented to: kept on the device only, exportable by the citizen. */
export interface HistoryEntry {
  id: string;
  /** When the presentation was made. */
  at: number;
  /** To whom: the verifier / terminal id the presentation was bound to (`aud`). */
  verifier: string;
  /** The copy that was presented. */
  credentialId: string;
  credentialType: string;
  /** The disclosed claims, as paths relative to the subject (e.g. `['age_over_18']`). */
  disclosed: ClaimPath[];
  flow?: PresentationFlow;
}

/**
 * An issuer the citizen accepts credential offers from. Structurally the
 * `TrustedCredentialIssuer` of `oid4vci/trust-list.ts` (whose `entries()`
 * the wallet persists here as they are), plus optional bookkeeping.
 */
export interface TrustedIssuerEntry {
  /** OID4VCI Credential Issuer Identifier (`credential_issuer`, an https URL). */
  issuerUrl: string;
  /** The name the wallet shows. */
  name: string;
  /** The `iss` values its credentials may carry besides `issuerUrl` (its `did:web`, ...). */
  issuerIds?: string[];
  addedAt?: number;
  /** Shipped with the wallet, or added by the citizen ("add this issuer"). */
  addedBy?: 'preset' | 'user';
}

/** The whole wallet. */
export interface WalletDocument {
  version: typeof WALLET_DOCUMENT_VERSION;
  credentials: StoredCredential[];
  keys: StoredHolderKey[];
  history: HistoryEntry[];
  trustedIssuers: TrustedIssuerEntry[];
  /** Refresh tokens per issuer (absent in wallets written before refresh existed). */
  refreshGrants?: RefreshGrant[];
  /** Deferred issuances to poll. */
  pendingIssuances?: StoredPendingIssuance[];
}

/** A new, empty wallet document. */
export function emptyWalletDocument(): WalletDocument {
  return { version: WALLET_DOCUMENT_VERSION, credentials: [], keys: [], history: [], trustedIssuers: [] };
}

/**
 * Checks that a value is a wallet document this code can read, and returns
 * it typed. Unknown extra members are kept (a later minor change may add
 * optional ones).
 *
 * @param value The parsed JSON.
 * @param args.errorCode The code for a value that breaks the schema:
 *   `WALLET_STORE_CORRUPTED` when reading a file, `INVALID_ARGUMENT` when saving.
 * @throws UrbisError `WALLET_FORMAT_NEWER` (a document version newer
 *   than {@link WALLET_DOCUMENT_VERSION}), or `errorCode` naming the broken
 *   member (never its value).
 */
export function checkWalletDocument(value: unknown, { errorCode }: { errorCode: UrbisErrorCode }): WalletDocument {
  const fail = (detail: string): never => {
    throw new UrbisError(errorCode, `the wallet document is invalid: ${detail}`);
  };
  if (!isRecord(value)) return fail('not an object');
  const { version } = value;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return fail('version');
  if (version > WALLET_DOCUMENT_VERSION) {
    throw new UrbisError(
      WALLET_STORE_ERROR_CODES.newerVersion,
      `the wallet document has version ${version}, newer than this wallet reads (${WALLET_DOCUMENT_VERSION}): update the wallet`,
    );
  }
  for (const list of ['credentials', 'keys', 'history', 'trustedIssuers'] as const) {
    if (!Array.isArray(value[list])) fail(`${list} is not an array`);
  }
  const credentialIds = new Set<string>();
  (value.credentials as unknown[]).forEach((c, i) => {
    const at = `credentials[${i}]`;
    if (!isRecord(c)) return fail(`${at} is not an object`);
    requireString(c, 'id', at, fail);
    requireString(c, 'credential', at, fail);
    if (typeof c.format !== 'string' || !FORMATS.includes(c.format)) fail(`${at}.format`);
    requireString(c, 'credentialType', at, fail);
    requireString(c, 'issuerId', at, fail);
    requireString(c, 'holderKeyId', at, fail);
    for (const name of ['serviceId', 'batchId', 'issuerUrl', 'configurationId']) optionalString(c, name, at, fail);
    requireTime(c, 'receivedAt', at, fail);
    if (c.spentAt !== undefined) requireTime(c, 'spentAt', at, fail);
    if (c.status !== undefined && (typeof c.status !== 'string' || !STATUS_VALUES.includes(c.status))) fail(`${at}.status`);
    if (c.statusCheckedAt !== undefined) requireTime(c, 'statusCheckedAt', at, fail);
    if (credentialIds.has(c.id as string)) fail(`${at}.id is a duplicate`);
    credentialIds.add(c.id as string);
  });
  const keyIds = new Set<string>();
  (value.keys as unknown[]).forEach((k, i) => {
    const at = `keys[${i}]`;
    if (!isRecord(k)) return fail(`${at} is not an object`);
    requireString(k, 'id', at, fail);
    let publicJwk: PublicJwk | undefined;
    try {
      publicJwk = toPublicP256Jwk(k.publicJwk);
    } catch {
      fail(`${at}.publicJwk`);
    }
    if (typeof k.exportable !== 'boolean') fail(`${at}.exportable`);
    if (k.exportable) {
      let privateJwk: PrivateJwk | undefined;
      try {
        privateJwk = toPrivateP256Jwk(k.privateJwk);
      } catch {
        fail(`${at}.privateJwk`);
      }
      if (privateJwk!.x !== publicJwk!.x || privateJwk!.y !== publicJwk!.y) fail(`${at}.privateJwk does not match publicJwk`);
    } else if (k.privateJwk !== undefined) {
      fail(`${at}.privateJwk is present on a key that is not exportable`);
    }
    requireTime(k, 'createdAt', at, fail);
    if (keyIds.has(k.id as string)) fail(`${at}.id is a duplicate`);
    keyIds.add(k.id as string);
  });
  (value.history as unknown[]).forEach((h, i) => {
    const at = `history[${i}]`;
    if (!isRecord(h)) return fail(`${at} is not an object`);
    for (const name of ['id', 'verifier', 'credentialId', 'credentialType']) requireString(h, name, at, fail);
    requireTime(h, 'at', at, fail);
    if (!Array.isArray(h.disclosed) || !h.disclosed.every((p) => Array.isArray(p) && p.every((s) => typeof s === 'string'))) {
      fail(`${at}.disclosed is not a list of claim paths`);
    }
    if (h.flow !== undefined && h.flow !== 'oid4vp' && h.flow !== 'scanner') fail(`${at}.flow`);
  });
  const issuers = new Set<string>();
  (value.trustedIssuers as unknown[]).forEach((t, i) => {
    const at = `trustedIssuers[${i}]`;
    if (!isRecord(t)) return fail(`${at} is not an object`);
    requireString(t, 'issuerUrl', at, fail);
    requireString(t, 'name', at, fail);
    if (t.issuerIds !== undefined && !(Array.isArray(t.issuerIds) && t.issuerIds.every((id) => typeof id === 'string' && id.length > 0))) {
      fail(`${at}.issuerIds is not a list of non-empty strings`);
    }
    if (t.addedAt !== undefined) requireTime(t, 'addedAt', at, fail);
    if (t.addedBy !== undefined && t.addedBy !== 'preset' && t.addedBy !== 'user') fail(`${at}.addedBy`);
    if (issuers.has(t.issuerUrl as string)) fail(`${at}.issuerUrl is a duplicate`);
    issuers.add(t.issuerUrl as string);
  });
  for (const list of ['refreshGrants', 'pendingIssuances'] as const) {
    if (value[list] !== undefined && !Array.isArray(value[list])) fail(`${list} is not an array`);
  }
  const grantIds = new Set<string>();
  ((value.refreshGrants as unknown[] | undefined) ?? []).forEach((g, i) => {
    const at = `refreshGrants[${i}]`;
    if (!isRecord(g)) return fail(`${at} is not an object`);
    for (const name of ['id', 'issuerUrl', 'refreshToken']) requireString(g, name, at, fail);
    requireStringList(g, 'configurationIds', at, fail);
    requireTime(g, 'obtainedAt', at, fail);
    if (grantIds.has(g.id as string)) fail(`${at}.id is a duplicate`);
    grantIds.add(g.id as string);
  });
  const pendingIds = new Set<string>();
  ((value.pendingIssuances as unknown[] | undefined) ?? []).forEach((p, i) => {
    const at = `pendingIssuances[${i}]`;
    if (!isRecord(p)) return fail(`${at} is not an object`);
    for (const name of ['id', 'issuerUrl', 'configurationId', 'deferredCredentialEndpoint', 'transactionId', 'accessToken']) requireString(p, name, at, fail);
    if (typeof p.format !== 'string' || !FORMATS.includes(p.format)) fail(`${at}.format`);
    requireTime(p, 'interval', at, fail);
    requireTime(p, 'notBefore', at, fail);
    requireTime(p, 'createdAt', at, fail);
    requireStringList(p, 'keyIds', at, fail);
    if ((p.keyIds as string[]).some((id) => !keyIds.has(id))) fail(`${at}.keyIds names a key that is not in keys`);
    if (p.issuerIds !== undefined) requireStringList(p, 'issuerIds', at, fail);
    if (pendingIds.has(p.id as string)) fail(`${at}.id is a duplicate`);
    pendingIds.add(p.id as string);
  });
  return value as unknown as WalletDocument;
}

function requireStringList(record: Record<string, unknown>, name: string, at: string, fail: Fail): void {
  const value = record[name];
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) fail(`${at}.${name} is not a list of non-empty strings`);
}

type Fail = (detail: string) => never;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(record: Record<string, unknown>, name: string, at: string, fail: Fail): void {
  const value = record[name];
  if (typeof value !== 'string' || value.length === 0) fail(`${at}.${name} is not a non-empty string`);
}

function optionalString(record: Record<string, unknown>, name: string, at: string, fail: Fail): void {
  if (record[name] !== undefined) requireString(record, name, at, fail);
}

function requireTime(record: Record<string, unknown>, name: string, at: string, fail: Fail): void {
  const value = record[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${at}.${name} is not a time in seconds`);
}
