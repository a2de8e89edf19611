import type { PublicJwk, SignatureVerifier } from '../../core/crypto/ports.js';
import { findVerificationKey, resolveDid } from '../../core/did/did-resolver.js';
import { splitDidUrl } from '../../core/did/did-syntax.js';
import { UrbisError, isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { createPakoCompression } from '../../core/status/pako-compression.js';
import { DEFAULT_MAX_STATUS_LIST_TOKEN_LENGTH, verifyStatusListToken } from '../../core/status/status-list-jwt.js';
import { statusReaderFromTokenStatusList, type StatusReader } from '../../core/status/status-reader.js';
import { createWebCryptoSuite } from '../crypto/web-crypto-suite.js';
import { issuerError } from '../oid4vci/issuer-error.js';
import { sendToIssuer, type FetchLike } from '../oid4vci/issuer-http.js';
import { checkFetchableUrl, wellKnownUrl } from '../oid4vci/issuer-url.js';
import type { CredentialStatusValue, StoredCredential, WalletDocument } from '../store/wallet-document.js';
import type { WalletStore } from '../store/wallet-store.js';
import { describeCopy } from '../wallet/copy-description.js';

/** Where a trusted issuer serves its DID document (did:web, W3C did:web method §3.2). */
const DID_DOCUMENT_PATH = '/.well-known/did.json';

/** Longest DID document read. */
const MAX_DID_DOCUMENT_BYTES = 64 * 1024;

/** The status the wallet read for one credential (copies of one issuer, type, service and format). */
export interface CredentialStatusReport {
  credentialType: string;
  serviceId?: string;
  issuerId: string;
  /** The worst status among its unspent copies (revoked > suspended > unknown > valid). */
  status: CredentialStatusValue;
  /** Unspent copies with each status. */
  copies: Partial<Record<CredentialStatusValue, number>>;
}

/** A status list the wallet could not read (the copies on it keep the status read before). */
export interface StatusListFailure {
  uri: string;
  code: UrbisErrorCode;
}

/** What {@link checkCredentialStatus} found. */
export interface StatusCheck {
  credentials: CredentialStatusReport[];
  failures: StatusListFailure[];
  /** When the lists were read, seconds since the epoch. */
  checkedAt: number;
}

const SEVERITY: Record<CredentialStatusValue, number> = { valid: 0, unknown: 1, suspended: 2, revoked: 3 };

/**
 * Checks the wallet's own unspent copies against the status lists their
 * issuers publish (IETF Token Status List, `statuslist+jwt`), when online:
 * each list referenced is fetched once, its signature verified with the
 * issuer's key, and each copy's 2-bit entry read (0 valid, 1 revoked, 2
 * suspended). The statuses are stored on the copies (`status`,
 * `statusCheckedAt`) in one write, for the wallet to show revoked or
 * suspended credentials; a list that cannot be read leaves its copies'
 * previous status and is reported in `failures`.
 *
 * Issuer key: the status list token's `kid` is looked up in the issuer's
 * DID document. For a did:web issuer the wallet reads that document from
 * the trusted issuer it got the copy from (`<credential_issuer>/.well-known/did.json`,
 * which is did:web resolution itself whenever the DID names the issuer's
 * host) and requires the document's `id` to be the copy's `iss`.
 *
 * Privacy: the wallet asks for whole lists (≥ 131,072 entries each), never
 * for its own index, so the issuer learns only that some holder of a copy
 * on that list looked.
 *
 * @throws UrbisError the store's errors only; list problems are in `failures`.
 *
 * @example
 * ```ts
 * const { credentials } = await checkCredentialStatus({ store });
 * for (const c of credentials) if (c.status !== 'valid') warn(`${c.credentialType}: ${c.status}`);
 * ```
 */
export async function checkCredentialStatus({
  store,
  fetch = globalThis.fetch,
  now = Date.now,
  verifySignature = createWebCryptoSuite().verifySignature,
}: {
  store: WalletStore;
  fetch?: FetchLike;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  verifySignature?: SignatureVerifier;
}): Promise<StatusCheck> {
  const checkedAt = Math.floor(now() / 1000);
  const document = await store.load();
  const unspent = document.credentials.filter((c) => c.spentAt === undefined && c.format !== 'jwt_vc_json');
  const references = new Map<string, { uri: string; index: number }>();
  const byUri = new Map<string, StoredCredential[]>();
  for (const copy of unspent) {
    let reference;
    try {
      reference = (await describeCopy({ credential: copy.credential, format: copy.format })).status;
    } catch {
      reference = undefined;
    }
    if (reference === undefined) continue;
    references.set(copy.id, reference);
    byUri.set(reference.uri, [...(byUri.get(reference.uri) ?? []), copy]);
  }

  const statuses = new Map<string, CredentialStatusValue>();
  const failures: StatusListFailure[] = [];
  for (const [uri, copies] of byUri) {
    let reader: StatusReader;
    try {
      reader = await readStatusList({ uri, copy: copies[0]!, document, fetch, verifySignature, now: checkedAt });
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      failures.push({ uri, code: error.code });
      continue;
    }
    for (const copy of copies) statuses.set(copy.id, statusOf(reader, references.get(copy.id)!.index));
  }

  await store.mutate((doc) => {
    for (const copy of doc.credentials) {
      const status = statuses.get(copy.id);
      if (status === undefined) continue;
      copy.status = status;
      copy.statusCheckedAt = checkedAt;
    }
  });

  const reports = new Map<string, CredentialStatusReport>();
  for (const copy of unspent) {
    const status = statuses.get(copy.id) ?? copy.status;
    if (status === undefined) continue;
    const key = JSON.stringify([copy.issuerId, copy.credentialType, copy.serviceId ?? null, copy.format]);
    const report = reports.get(key) ?? {
      credentialType: copy.credentialType,
      ...(copy.serviceId === undefined ? {} : { serviceId: copy.serviceId }),
      issuerId: copy.issuerId,
      status,
      copies: {},
    };
    report.copies[status] = (report.copies[status] ?? 0) + 1;
    if (SEVERITY[status] > SEVERITY[report.status]) report.status = status;
    reports.set(key, report);
  }
  return { credentials: [...reports.values()], failures, checkedAt };
}

function statusOf(reader: StatusReader, index: number): CredentialStatusValue {
  let value: number;
  try {
    value = reader.statusAt(index);
  } catch {
    return 'unknown'; // index out of range
  }
  return value === 0 ? 'valid' : value === 1 ? 'revoked' : value === 2 ? 'suspended' : 'unknown';
}

/** Fetches, verifies and decodes one status list token. */
async function readStatusList({
  uri,
  copy,
  document,
  fetch,
  verifySignature,
  now,
}: {
  uri: string;
  copy: StoredCredential;
  document: WalletDocument;
  fetch: FetchLike;
  verifySignature: SignatureVerifier;
  now: number;
}): Promise<StatusReader> {
  checkFetchableUrl({ value: uri, what: 'the status list uri', code: 'STATUS_LIST_MALFORMED' });
  const what = 'status list';
  const answer = await sendToIssuer({ fetch, url: uri, what, headers: { Accept: 'application/statuslist+jwt' }, maxBytes: DEFAULT_MAX_STATUS_LIST_TOKEN_LENGTH });
  if (answer.status !== 200) throw issuerError({ what, status: answer.status, body: answer.body });
  const jwt = new TextDecoder().decode(answer.bytes).trim();
  const { payload } = await verifyStatusListToken({
    jwt,
    expectedSub: uri,
    expectedIss: copy.issuerId,
    verifySignature,
    now,
    resolvePublicJwk: ({ kid }) => issuerKey({ issuerId: copy.issuerId, issuerUrl: trustedIssuerUrl(document, copy), kid, fetch }),
  });
  return statusReaderFromTokenStatusList({ statusList: payload.status_list, compression: createPakoCompression() });
}

/** The trusted issuer the copy came from (its URL), if it is still trusted. */
function trustedIssuerUrl(document: WalletDocument, copy: StoredCredential): string | undefined {
  const trusted = document.trustedIssuers.find((t) => t.issuerUrl === copy.issuerUrl || t.issuerIds?.includes(copy.issuerId));
  return trusted?.issuerUrl;
}

async function issuerKey({ issuerId, issuerUrl, kid, fetch }: { issuerId: string; issuerUrl: string | undefined; kid: string | undefined; fetch: FetchLike }): Promise<PublicJwk> {
  const did = kid === undefined ? issuerId : splitDidUrl(kid).did;
  if (did !== issuerId) throw new UrbisError('ISSUER_KEY_UNKNOWN', "the status list is signed with another DID's key than the credential's issuer");
  const document = await resolveDid({
    did,
    maxDocumentBytes: MAX_DID_DOCUMENT_BYTES,
    fetchDocument: async ({ maxBytes }) => {
      if (issuerUrl === undefined) throw new UrbisError('ISSUER_UNTRUSTED', 'the copy comes from an issuer no longer in the trust list');
      const url = wellKnownUrl({ identifier: new URL(issuerUrl).origin, wellKnownPath: DID_DOCUMENT_PATH });
      const answer = await sendToIssuer({ fetch, url, what: 'issuer DID document', maxBytes });
      if (answer.status !== 200) throw issuerError({ what: 'issuer DID document', status: answer.status, body: answer.body });
      return answer.bytes;
    },
  });
  return findVerificationKey({ document, ...(kid === undefined ? {} : { kid }) });
}
