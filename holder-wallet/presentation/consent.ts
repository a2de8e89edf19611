import type { ClaimPath } from '../../core/credentials/credential-types.js';
import type { Hasher } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { webSha256 } from '../crypto/web-crypto.js';
import type { PresentationFlow, StoredCredential, WalletDocument } from '../store/wallet-document.js';
import { matchCredentialQuery, selectCredentialQueries, type DcqlCredentialQuery } from './dcql-query.js';
import type { PresentationRequest, ScannerBinding } from './presentation-request.js';

/** At or below this many unspent copies left after a presentation, the UI asks to refresh from the issuer. */
export const LOW_ON_COPIES = 2;

/** One credential the wallet will present, as the consent screen shows it. */
export interface ConsentItem {
  /** The DCQL credential query id this answers (the key in `vp_token`). */
  queryId: string;
  /** The one-time copy chosen: unspent, matching, the oldest received first. */
  copyId: string;
  credentialType: string;
  serviceId?: string;
  issuerId: string;
  /** Exactly the claims that will be disclosed selectively (paths relative to the subject). */
  disclosed: ClaimPath[];
  /** Their values, in the same order, for the UI. */
  values: unknown[];
  /** Unspent copies of the same credential (issuer, type, service, format) left once this one is spent. */
  remainingCopies: number;
  /** `remainingCopies <= LOW_ON_COPIES`: say so, and offer to refresh from the issuer. */
  lowOnCopies: boolean;
}

/** What the citizen is asked to agree to. Nothing is spent until `presentWithConsent`. */
export interface Consent {
  flow: PresentationFlow;
  /** To whom: the KB-JWT `aud` (the request's `client_id`, or the terminal id). */
  verifier: string;
  nonce: string;
  /** The request's `state`, to echo in the response. */
  state?: string;
  items: ConsentItem[];
}

/** Web Crypto SHA-256 as core's `Hasher`. */
export const webHasher: Hasher = async (data, alg) => {
  if (alg !== 'sha-256') throw new UrbisError('INVALID_ARGUMENT', 'unsupported hash algorithm');
  return webSha256(data);
};

/**
 * Prepares the consent step for a request (OpenID4VP) or a scanner
 * binding: for each credential query to answer, the copy the wallet will
 * spend (an unspent copy that matches; never a spent one), the verifier,
 * and exactly the claims disclosed. Reads `document` only.
 *
 * @throws UrbisError `RESOURCE_NOT_FOUND` when a required credential query
 *   has no unspent matching copy (the message says whether matching copies
 *   exist but are all spent: then refresh from the issuer);
 *   `INVALID_ARGUMENT` without exactly one of `request` / `scanner`.
 *
 * @example
 * ```ts
 * const consent = await prepareConsent({ request: parsePresentationRequest(qrText), document: await store.load() });
 * showConsent(consent); // then presentWithConsent({ consent, store, now })
 * ```
 */
export async function prepareConsent({
  request,
  scanner,
  document,
  hash = webHasher,
}: {
  request?: PresentationRequest;
  scanner?: ScannerBinding;
  document: WalletDocument;
  hash?: Hasher;
}): Promise<Consent> {
  if ((request === undefined) === (scanner === undefined)) throw new UrbisError('INVALID_ARGUMENT', 'give either a request or a scanner binding');
  const query = request?.dcqlQuery ?? scanner!.dcqlQuery;
  const sdJwtCopies = document.credentials.filter((c) => c.format === 'dc+sd-jwt' || c.format === 'vc+sd-jwt');

  const matches = new Map<string, { copy: StoredCredential; disclosed: ClaimPath[]; values: unknown[] }[]>();
  const spentOnly = new Set<string>();
  for (const credentialQuery of query.credentials) {
    const found: { copy: StoredCredential; disclosed: ClaimPath[]; values: unknown[] }[] = [];
    for (const copy of sdJwtCopies) {
      const match = await matchOrSkip(credentialQuery, copy, hash);
      if (match === undefined) continue;
      if (copy.spentAt !== undefined) {
        spentOnly.add(credentialQuery.id);
        continue;
      }
      found.push({ copy, ...match });
    }
    found.sort((a, b) => a.copy.receivedAt - b.copy.receivedAt || (a.copy.id < b.copy.id ? -1 : 1));
    matches.set(credentialQuery.id, found);
  }

  const used = new Set<string>();
  const pick = (queryId: string): { copy: StoredCredential; disclosed: ClaimPath[]; values: unknown[] } | undefined =>
    matches.get(queryId)!.find((m) => !used.has(m.copy.id));
  const selected = selectCredentialQueries({ query, canAnswer: (queryId) => (matches.get(queryId)?.length ?? 0) > 0 });
  if (selected === undefined) {
    const missing = query.credentials.map((c) => c.id).filter((queryId) => matches.get(queryId)!.length === 0);
    const spent = missing.filter((queryId) => spentOnly.has(queryId));
    throw new UrbisError(
      'RESOURCE_NOT_FOUND',
      spent.length > 0
        ? `every matching copy is spent (${spent.join(', ')}): refresh from the issuer`
        : `no credential in the wallet answers ${missing.join(', ')}`,
    );
  }

  const items: ConsentItem[] = [];
  for (const queryId of selected) {
    const chosen = pick(queryId);
    if (chosen === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', `not enough unspent copies to answer ${queryId} as well`);
    used.add(chosen.copy.id);
    const { copy } = chosen;
    items.push({
      queryId,
      copyId: copy.id,
      credentialType: copy.credentialType,
      ...(copy.serviceId === undefined ? {} : { serviceId: copy.serviceId }),
      issuerId: copy.issuerId,
      disclosed: chosen.disclosed,
      values: chosen.values,
      remainingCopies: 0,
      lowOnCopies: true,
    });
  }
  // Counted once every copy is chosen: those chosen for other queries are spent by this presentation too.
  for (const item of items) {
    const copy = document.credentials.find((c) => c.id === item.copyId)!;
    item.remainingCopies = document.credentials.filter((c) => c.spentAt === undefined && !used.has(c.id) && sameCredential(c, copy)).length;
    item.lowOnCopies = item.remainingCopies <= LOW_ON_COPIES;
  }

  if (request !== undefined) {
    return { flow: 'oid4vp', verifier: request.clientId, nonce: request.nonce, ...(request.state === undefined ? {} : { state: request.state }), items };
  }
  return { flow: 'scanner', verifier: scanner!.audience, nonce: scanner!.nonce, items };
}

async function matchOrSkip(
  query: DcqlCredentialQuery,
  copy: StoredCredential,
  hash: Hasher,
): Promise<{ disclosed: ClaimPath[]; values: unknown[] } | undefined> {
  let match;
  try {
    match = await matchCredentialQuery({ query, copy, hash });
  } catch {
    return undefined; // a damaged copy answers nothing
  }
  if (match === undefined) return undefined;
  const root = match.decoded.processed.claims as Record<string, unknown>;
  const prefix = query.format === 'vc+sd-jwt' ? ['credentialSubject'] : [];
  const values = match.disclose.map((path) => [...prefix, ...path].reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], root));
  return { disclosed: match.disclose, values };
}

/** Copies of the same credential: one issuer, type, service and format (batches refresh one another). */
function sameCredential(a: StoredCredential, b: StoredCredential): boolean {
  return a.issuerId === b.issuerId && a.credentialType === b.credentialType && a.serviceId === b.serviceId && a.format === b.format;
}
