import { UrbisError } from '../../core/errors/urbis-error.js';
import { checkCredentialIssuerId } from './issuer-url.js';

/**
 * The issuers the citizen's wallet accepts credentials from, by Credential
 * Issuer Identifier (compared as exact strings, like OID4VCI does), each
 * with the name the wallet shows. An offer from any other issuer is refused
 * with `ISSUER_UNTRUSTED` before a single request reaches that issuer's
 * token endpoint; the UI or CLI then shows who is asking and, if the citizen
 * agrees, calls {@link TrustList.addTrustedIssuer} and accepts the offer again.
 *
 * The list is plain data ({@link TrustList.entries}) for the wallet's store
 * to persist.
 */

/** A trusted Credential Issuer. */
export interface TrustedCredentialIssuer {
  /** The Credential Issuer Identifier (`credential_issuer` of its offers). */
  issuerUrl: string;
  /** The name the wallet shows (chosen or confirmed by the citizen). */
  name: string;
  /**
   * The `iss` values its credentials may carry besides `issuerUrl` (its
   * `did:web`, its JWT VC `did:key`). When set, a credential with any other
   * `iss` is refused; when absent, `iss` is only required to be consistent
   * within a batch.
   */
  issuerIds?: string[];
}

/** The wallet's list of trusted issuers. */
export interface TrustList {
  /** The entry for an issuer, or `undefined`. */
  find(args: { issuerUrl: string }): TrustedCredentialIssuer | undefined;
  /**
   * The entry for an issuer.
   * @throws UrbisError `ISSUER_UNTRUSTED` when the issuer is not in the list.
   */
  requireTrusted(args: { issuerUrl: string }): TrustedCredentialIssuer;
  /**
   * Adds an issuer (or replaces its entry), after the citizen agreed.
   * @throws UrbisError `INVALID_ARGUMENT` for an identifier that is not an
   *   https (or loopback http) URL without query or fragment, an empty or
   *   over-long name, or empty `issuerIds` values.
   */
  addTrustedIssuer(args: { issuerUrl: string; name: string; issuerIds?: readonly string[] }): TrustedCredentialIssuer;
  /** Removes an issuer; `true` when it was in the list. */
  removeTrustedIssuer(args: { issuerUrl: string }): boolean;
  /** Copies of every entry, in the order they were added. */
  entries(): TrustedCredentialIssuer[];
}

/** Longest display name of a trusted issuer. */
export const MAX_TRUSTED_ISSUER_NAME_LENGTH = 200;

/**
 * Creates a trust list, optionally from persisted entries (each checked
 * like {@link TrustList.addTrustedIssuer} checks it).
 *
 * @throws UrbisError `INVALID_ARGUMENT` for a bad persisted entry.
 *
 * @example
 * ```ts
 * const trustList = createTrustList({ issuers: [{ issuerUrl: 'https://sede.gijon.es', name: 'Ayuntamiento de Gijón' }] });
 * trustList.requireTrusted({ issuerUrl: 'https://evil.example' }); // UrbisError ISSUER_UNTRUSTED
 * ```
 */
export function createTrustList({ issuers = [] }: { issuers?: readonly TrustedCredentialIssuer[] } = {}): TrustList {
  const byUrl = new Map<string, TrustedCredentialIssuer>();
  const copy = (entry: TrustedCredentialIssuer): TrustedCredentialIssuer =>
    entry.issuerIds === undefined ? { issuerUrl: entry.issuerUrl, name: entry.name } : { issuerUrl: entry.issuerUrl, name: entry.name, issuerIds: [...entry.issuerIds] };

  const list: TrustList = {
    find: ({ issuerUrl }) => {
      const entry = byUrl.get(issuerUrl);
      return entry === undefined ? undefined : copy(entry);
    },
    requireTrusted: ({ issuerUrl }) => {
      const entry = byUrl.get(issuerUrl);
      if (entry === undefined) throw new UrbisError('ISSUER_UNTRUSTED', 'the credential issuer is not in the wallet\'s trust list');
      return copy(entry);
    },
    addTrustedIssuer: ({ issuerUrl, name, issuerIds }) => {
      const url = checkCredentialIssuerId({ value: issuerUrl, code: 'INVALID_ARGUMENT' });
      if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_TRUSTED_ISSUER_NAME_LENGTH) {
        throw new UrbisError('INVALID_ARGUMENT', `a trusted issuer has a name of 1 to ${MAX_TRUSTED_ISSUER_NAME_LENGTH} characters`);
      }
      const entry: TrustedCredentialIssuer = { issuerUrl: url, name: name.trim() };
      if (issuerIds !== undefined) {
        if (!Array.isArray(issuerIds) || !issuerIds.every((id) => typeof id === 'string' && id !== '')) {
          throw new UrbisError('INVALID_ARGUMENT', 'issuerIds are non-empty strings');
        }
        entry.issuerIds = [...new Set(issuerIds)];
      }
      byUrl.delete(url); // re-adding moves the entry to the end
      byUrl.set(url, entry);
      return copy(entry);
    },
    removeTrustedIssuer: ({ issuerUrl }) => byUrl.delete(issuerUrl),
    entries: () => [...byUrl.values()].map(copy),
  };
  for (const issuer of issuers) list.addTrustedIssuer(issuer);
  return list;
}
