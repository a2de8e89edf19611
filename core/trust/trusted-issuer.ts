import type { PublicJwk } from '../crypto/ports.js';

/**
 * An issuer the verifier trusts, as a terminal's snapshot of the federation
 * registry lists it (DESIGN §3): its identifier as used in `iss`/`issuer`,
 * its signing keys (by the `kid` it writes in JWS headers), the credential
 * types it is accredited for, the window in which the accreditation holds,
 * and whether the federation suspended it.
 */
export interface TrustedIssuer {
  /** Issuer identifier (`did:web:...`, `did:ethr:...` or an https URL). */
  id: string;
  keys: ReadonlyArray<{ kid: string; publicJwk: PublicJwk }>;
  /** Credential type names the issuer is accredited for (e.g. `ResidentCredential`). */
  credentialTypes: readonly string[];
  /** Accreditation start, epoch seconds. */
  validFrom?: number;
  /** Accreditation end, epoch seconds. */
  validUntil?: number;
  suspended?: boolean;
}

/** Finds a trusted issuer by identifier (the port a snapshot implements). */
export type TrustedIssuerLookup = (issuerId: string) => TrustedIssuer | undefined;

/**
 * A lookup over a fixed list of trusted issuers (a Map: O(1) per presentation).
 *
 * @example
 * ```ts
 * const lookup = createTrustedIssuerLookup([{ id: 'did:web:gijon.example', keys: [{ kid, publicJwk }], credentialTypes: ['ResidentCredential'] }]);
 * ```
 */
export function createTrustedIssuerLookup(issuers: readonly TrustedIssuer[]): TrustedIssuerLookup {
  const byId = new Map<string, TrustedIssuer>();
  for (const issuer of issuers) byId.set(issuer.id, issuer);
  return (issuerId) => byId.get(issuerId);
}
