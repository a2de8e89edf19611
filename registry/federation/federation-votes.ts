import type { Hasher, PublicJwk } from '../../core/crypto/ports.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import type { ProposalRequest, TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';
import { thumbprintToChain } from '../snapshot/issuer-entries.js';

/**
 * Federation votes (DESIGN §3) through a `TrustedIssuerRegistryClient`
 * connected to a member's signer: propose a change (the proposer's
 * approval counts), approve it, execute it once `threshold()` current
 * members approve. With `execute: true` a proposal or approval that reaches
 * the threshold is executed in the same call, which makes a 1-of-1
 * federation (a single city, the demo) one step.
 */

/** Where a proposal stands after a vote. */
export interface ProposalOutcome {
  proposalId: number;
  /** Approvals of current members that count now. */
  approvals: number;
  threshold: number;
  executed: boolean;
}

/**
 * Proposes a change; with `execute`, executes it at once when the proposer's
 * approval is enough.
 *
 * @throws UrbisError `CHAIN_NOT_AUTHORIZED` (the signer is not a member),
 *   `INVALID_ARGUMENT` (refused by the registry's checks: zero address, bad
 *   DID, keys, types or validity), `STATE_CONFLICT` (execution refused:
 *   already a member, issuer already accredited or not suspended),
 *   `ISSUER_UNTRUSTED` (unknown issuer), `ISSUER_SUSPENDED`, `CHAIN_UNREACHABLE`.
 *
 * @example
 * ```ts
 * const { proposalId, executed } = await proposeChange({ trust: trust.connect(member), request: { kind: 'SuspendIssuer', issuerId: issuerIdOf(did) }, execute: true });
 * ```
 */
export async function proposeChange({ trust, request, execute = false }: { trust: TrustedIssuerRegistryClient; request: ProposalRequest; execute?: boolean }): Promise<ProposalOutcome> {
  const proposalId = await trust.propose(request);
  return settle({ trust, proposalId, execute });
}

/**
 * Approves proposal `proposalId`; with `execute`, executes it when this
 * approval reaches the threshold.
 *
 * @throws UrbisError `RESOURCE_NOT_FOUND` (no such proposal),
 *   `STATE_CONFLICT` (executed already, approved already by this member),
 *   `CHAIN_NOT_AUTHORIZED`, `CHAIN_UNREACHABLE`, and the execution errors
 *   of `proposeChange`.
 */
export async function approveProposal({ trust, proposalId, execute = false }: { trust: TrustedIssuerRegistryClient; proposalId: number; execute?: boolean }): Promise<ProposalOutcome> {
  await trust.approve(proposalId);
  return settle({ trust, proposalId, execute });
}

/**
 * Executes proposal `proposalId`.
 * @throws UrbisError `STATE_CONFLICT` (not enough approvals, executed
 *   already, or the change no longer applies), `RESOURCE_NOT_FOUND`,
 *   `CHAIN_NOT_AUTHORIZED`, `CHAIN_UNREACHABLE`.
 */
export async function executeProposal({ trust, proposalId }: { trust: TrustedIssuerRegistryClient; proposalId: number }): Promise<ProposalOutcome> {
  await trust.execute(proposalId);
  return { proposalId, approvals: await trust.approvals(proposalId), threshold: await trust.threshold(), executed: true };
}

async function settle({ trust, proposalId, execute }: { trust: TrustedIssuerRegistryClient; proposalId: number; execute: boolean }): Promise<ProposalOutcome> {
  const approvals = await trust.approvals(proposalId);
  const threshold = await trust.threshold();
  if (!execute || approvals < threshold) return { proposalId, approvals, threshold, executed: false };
  await trust.execute(proposalId);
  return { proposalId, approvals, threshold, executed: true };
}

/** RFC 7638 thumbprints of public keys, in the registry's bytes32 form. */
export async function chainThumbprints(keys: readonly PublicJwk[], hash: Hasher): Promise<string[]> {
  return Promise.all(keys.map(async (publicJwk) => thumbprintToChain(await calculateJwkThumbprint({ publicJwk, hash }))));
}

/**
 * Proposes to accredit an issuer with the RFC 7638 thumbprints of `keys`
 * (its DID document's keys), for `credentialTypes`, controlled by the
 * member `controller`; executed at once when the proposer's approval
 * reaches the threshold (see `proposeChange`).
 *
 * @throws UrbisError as `proposeChange`; `KEY_INVALID` for a key that is not a public P-256 JWK.
 *
 * @example
 * ```ts
 * await accreditIssuer({ trust: trust.connect(member), did, controller: await member.getAddress(), keys, credentialTypes: ['ResidentCredential'], hash });
 * ```
 */
export async function accreditIssuer({
  trust,
  did,
  controller,
  keys,
  credentialTypes,
  hash,
  validFrom = 1_700_000_000,
  validUntil = 2_100_000_000,
}: {
  trust: TrustedIssuerRegistryClient;
  did: string;
  controller: string;
  keys: readonly PublicJwk[];
  credentialTypes: string[];
  hash: Hasher;
  /** Epoch seconds (inclusive). */
  validFrom?: number;
  /** Epoch seconds (exclusive). */
  validUntil?: number;
}): Promise<ProposalOutcome> {
  const keyThumbprints = await chainThumbprints(keys, hash);
  return proposeChange({ trust, request: { kind: 'AccreditIssuer', did, controller, keyThumbprints, credentialTypes, validFrom, validUntil }, execute: true });
}
