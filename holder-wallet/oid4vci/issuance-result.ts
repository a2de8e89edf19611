import type { PublicJwk, SigningKey } from '../../core/crypto/ports.js';
import type { UrbisError } from '../../core/errors/urbis-error.js';
import type { HolderKey } from './holder-key.js';
import type { CredentialFormat } from './issuer-metadata.js';

/**
 * What issuance gives the wallet, per Credential Configuration: one-time
 * copies now, a deferred transaction to poll, or (when other
 * configurations of the same offer succeeded) the error of this one.
 */

/** One one-time copy: the credential and the holder key it is bound to. */
export interface IssuedCopy {
  credential: string;
  publicJwk: PublicJwk;
  signingKey: SigningKey;
}

/**
 * A deferred issuance (OID4VCI 1.0 §9): everything {@link pollDeferred}
 * needs, including the keys the copies will be bound to. Holds an access
 * token and signers: the wallet keeps it in its encrypted store only.
 */
export interface PendingIssuance {
  issuerUrl: string;
  configurationId: string;
  format: CredentialFormat;
  deferredCredentialEndpoint: string;
  transactionId: string;
  /** Seconds the issuer asked the wallet to wait between polls. */
  interval: number;
  /** Epoch milliseconds before which the wallet does not poll. */
  notBefore: number;
  accessToken: string;
  /** The holder keys of the copies, in key-proof order. */
  keys: HolderKey[];
  /** The `iss` values the trust list allowed when the offer was accepted (absent: any, consistent). */
  issuerIds?: string[];
}

/** Copies issued for one configuration. */
export interface IssuedConfiguration {
  configurationId: string;
  format: CredentialFormat;
  /** The `iss` of every copy. */
  issuerId: string;
  copies: IssuedCopy[];
  pending?: undefined;
  error?: undefined;
}

/** A configuration whose issuance was deferred. */
export interface PendingConfiguration {
  configurationId: string;
  format: CredentialFormat;
  pending: PendingIssuance;
  copies?: undefined;
  error?: undefined;
}

/** A configuration that failed while others of the same offer were issued (its copies can be asked for again with a new offer). */
export interface FailedConfiguration {
  configurationId: string;
  error: UrbisError;
  copies?: undefined;
  pending?: undefined;
}

/** The outcome of one configuration of an offer. */
export type ConfigurationIssuance = IssuedConfiguration | PendingConfiguration | FailedConfiguration;
