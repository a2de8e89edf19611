import { readFileSync } from 'node:fs';
import { parseCliOptions } from '../../bin/parse-options.js';
import { runAction, type CliIo, type Subcommand } from '../../bin/subcommand.js';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import { checkedAddress } from '../chain/status-registry-client.js';
import { issuerIdOf, type ProposalRequest, type RegisteredIssuer } from '../chain/trusted-issuer-registry-client.js';
import { readFederation } from '../federation/federation-state.js';
import { approveProposal, chainThumbprints, executeProposal, proposeChange, type ProposalOutcome } from '../federation/federation-votes.js';
import { thumbprintToChain } from '../snapshot/issuer-entries.js';
import { accountKeyOf, chainIdOf, integerOption, openCliRegistries, type CliEnv, type CliRegistries } from './chain-cli-context.js';

const USAGE = `Usage: urbis federation <action> [options]
  The federation of cities in the TrustedIssuerRegistry: members admit or remove members, change the
  approval threshold, and accredit, update, suspend, unsuspend or remove issuers by M-of-N vote.
  Every action takes --rpc <url> [--chain-id 7777] [--deployments <file>] (registry address from the
  deployments file, default .urbis/deployments/<chain-id>.json). Votes are signed with the member key
  in URBIS_FEDERATION_KEY (never an argument; only the local chain 7777 has a default, Hardhat's first
  account, the sole member of a default \`urbis chain deploy\`).

  show [--all] [--json]   Members, threshold, issuers and open proposals (--all: executed ones too).
  propose --kind <kind> [kind options] [--execute]
                          Proposes a change (your approval counts); --execute executes it at once
                          when that is enough (a 1-of-1 federation). Prints the proposal id. Kinds:
      admit-member --member <address>        remove-member --member <address>
      change-threshold --threshold <n>
      accredit-issuer --did <did> --types <Type,…> (--keys <file> | --thumbprints <b64url,…>)
                      [--controller <member address, default: you>] [--valid-from <date>] --valid-until <date>
          --keys: a JSON file holding an array of public JWKs, a JWKS ({"keys": […]}) or the issuer's
          DID document (its verificationMethod keys); the registry stores their RFC 7638 thumbprints.
      update-accreditation --did <did> --types <Type,…> [--valid-from <date>] --valid-until <date>
      suspend-issuer --did <did>    unsuspend-issuer --did <did>    remove-issuer --did <did>
      Dates: YYYY-MM-DD, an ISO 8601 time, or epoch seconds; --valid-from defaults to now.
  approve --proposal <id> [--execute]
                          Approves a proposal; --execute executes it when this approval is enough.
  execute --proposal <id> Executes a proposal that has enough approvals.`;

const CONNECTION = { rpc: { type: 'string' }, 'chain-id': { type: 'string' }, deployments: { type: 'string' } } as const;

const KINDS: Readonly<Record<string, ProposalRequest['kind']>> = {
  'admit-member': 'AdmitMember',
  'remove-member': 'RemoveMember',
  'change-threshold': 'ChangeThreshold',
  'accredit-issuer': 'AccreditIssuer',
  'update-accreditation': 'UpdateAccreditation',
  'suspend-issuer': 'SuspendIssuer',
  'unsuspend-issuer': 'UnsuspendIssuer',
  'remove-issuer': 'RemoveIssuer',
};

/**
 * `urbis federation` reading `env` for the member key: show the
 * federation, propose, approve and execute changes (over
 * `registry/federation/`).
 *
 * @example
 * ```ts
 * await createFederationCommand({ env: { URBIS_FEDERATION_KEY: key } }).run(['approve', '--proposal', '3', '--rpc', url], io);
 * ```
 */
export function createFederationCommand({ env, now = () => Math.floor(Date.now() / 1000) }: { env: CliEnv; now?: () => number }): Subcommand {
  const open = (values: Record<string, string | undefined>, withKey: boolean): Promise<CliRegistries> => {
    const chainId = chainIdOf(values['chain-id']);
    return openCliRegistries({
      rpc: values.rpc,
      chainId,
      deploymentsPath: values.deployments,
      keyName: 'URBIS_FEDERATION_KEY',
      ...(withKey ? { key: accountKeyOf({ env, name: 'URBIS_FEDERATION_KEY', chainId }) } : {}),
    });
  };
  const vote = async (values: Record<string, string | undefined>, io: CliIo, act: (registries: CliRegistries) => Promise<ProposalOutcome>): Promise<number> => {
    const registries = await open(values, true);
    try {
      // A clear refusal before any transaction: the registry would refuse a non-member anyway.
      if (!(await registries.trust.isMember(registries.account!))) throw new UrbisError('CHAIN_NOT_AUTHORIZED', `${registries.account} (URBIS_FEDERATION_KEY) is not a federation member`);
      const outcome = await act(registries);
      io.out(`proposal ${outcome.proposalId}: ${outcome.approvals} of ${outcome.threshold} approval(s), ${outcome.executed ? 'executed' : 'not executed yet'}`);
      return 0;
    } finally {
      registries.close();
    }
  };

  const actions = {
    show: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...CONNECTION, all: { type: 'boolean' }, json: { type: 'boolean' } });
      const registries = await open(values, false);
      try {
        const state = await readFederation({ trust: registries.trust, includeExecuted: (values.all as unknown) === true });
        if ((values.json as unknown) === true) {
          io.out(JSON.stringify(state, null, 2));
          return 0;
        }
        io.out(`members (${state.threshold} of ${state.members.length} approve a change)`);
        for (const member of state.members) io.out(`  ${member}`);
        io.out(`issuers (${state.issuers.length})`);
        for (const issuer of state.issuers) io.out(`  ${describeIssuer(issuer)}`);
        io.out(`${(values.all as unknown) === true ? 'proposals' : 'open proposals'} (${state.proposals.length})`);
        const dids = new Map(state.issuers.map((i) => [i.issuerId, i.did]));
        for (const p of state.proposals) {
          io.out(`  #${p.proposalId} ${describeRequest(p.request, dids)} — by ${p.proposer}, ${p.approvals} of ${state.threshold} approval(s)${p.executed ? ', executed' : ''}`);
        }
        return 0;
      } finally {
        registries.close();
      }
    },

    propose: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, {
        ...CONNECTION,
        kind: { type: 'string' },
        execute: { type: 'boolean' },
        member: { type: 'string' },
        threshold: { type: 'string' },
        did: { type: 'string' },
        types: { type: 'string' },
        keys: { type: 'string' },
        thumbprints: { type: 'string' },
        controller: { type: 'string' },
        'valid-from': { type: 'string' },
        'valid-until': { type: 'string' },
      });
      const kind = values.kind === undefined ? undefined : KINDS[values.kind];
      if (kind === undefined) throw new UrbisError('INVALID_ARGUMENT', `--kind must be one of ${Object.keys(KINDS).join(', ')}`);
      // Everything the options say is checked before connecting; the controller default needs the signer.
      const build = await proposalBuilder({ kind, values, now: now() });
      return vote(values, io, async (registries) => proposeChange({ trust: registries.trust, request: build(registries.account!), execute: (values.execute as unknown) === true }));
    },

    approve: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...CONNECTION, proposal: { type: 'string' }, execute: { type: 'boolean' } });
      const proposalId = integerOption(values.proposal, 'proposal');
      return vote(values, io, (registries) => approveProposal({ trust: registries.trust, proposalId, execute: (values.execute as unknown) === true }));
    },

    execute: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...CONNECTION, proposal: { type: 'string' } });
      const proposalId = integerOption(values.proposal, 'proposal');
      return vote(values, io, (registries) => executeProposal({ trust: registries.trust, proposalId }));
    },
  };

  return {
    name: 'federation',
    summary: 'the federation registry: show members and issuers, propose, approve, execute changes',
    usage: USAGE,
    run: (args, io) => runAction({ command: 'federation', usage: USAGE, actions, args, io }),
  };
}

/** `urbis federation` in this process (member key from `process.env`). */
export const federationCommand: Subcommand = createFederationCommand({ env: process.env });

/**
 * Checks a proposal's options and returns the request, given the signer's
 * address (the default controller of an accreditation).
 * @throws UrbisError `INVALID_ARGUMENT`, `KEY_INVALID` (a --keys entry that is not a public P-256 JWK).
 */
async function proposalBuilder({ kind, values, now }: { kind: ProposalRequest['kind']; values: Record<string, string | undefined>; now: number }): Promise<(signer: string) => ProposalRequest> {
  const required = (name: string): string => {
    const value = values[name];
    if (value === undefined || value === '') throw new UrbisError('INVALID_ARGUMENT', `--${name} is required for --kind ${values.kind}`);
    return value;
  };
  switch (kind) {
    case 'AdmitMember':
    case 'RemoveMember': {
      const member = checkedAddress(required('member'));
      return () => ({ kind, member });
    }
    case 'ChangeThreshold': {
      const threshold = integerOption(required('threshold'), 'threshold', { min: 1, max: 128 });
      return () => ({ kind, threshold });
    }
    case 'SuspendIssuer':
    case 'UnsuspendIssuer':
    case 'RemoveIssuer': {
      const issuerId = issuerIdOf(didOf(required('did')));
      return () => ({ kind, issuerId });
    }
    case 'UpdateAccreditation': {
      const issuerId = issuerIdOf(didOf(required('did')));
      const credentialTypes = typesOf(required('types'));
      const { validFrom, validUntil } = validityOf(values, now);
      return () => ({ kind, issuerId, credentialTypes, validFrom, validUntil });
    }
    case 'AccreditIssuer': {
      const did = didOf(required('did'));
      const credentialTypes = typesOf(required('types'));
      const { validFrom, validUntil } = validityOf(values, now);
      if ((values.keys === undefined) === (values.thumbprints === undefined)) throw new UrbisError('INVALID_ARGUMENT', 'give the issuer keys as exactly one of --keys <file> or --thumbprints <b64url,…>');
      const keyThumbprints =
        values.keys !== undefined
          ? await chainThumbprints(readPublicKeys(values.keys), createNodeCrypto().hash)
          : values.thumbprints!.split(',').map((t) => thumbprintToChain(t.trim()));
      const controller = values.controller === undefined ? undefined : checkedAddress(values.controller);
      return (signer) => ({ kind, did, controller: controller ?? signer, keyThumbprints, credentialTypes, validFrom, validUntil });
    }
    default:
      throw new UrbisError('INVALID_ARGUMENT', `unsupported proposal kind ${String(kind)}`);
  }
}

function didOf(value: string): string {
  if (!/^did:[a-z0-9]+:\S+$/.test(value)) throw new UrbisError('INVALID_ARGUMENT', '--did must be a DID (did:<method>:<id>)');
  return value;
}

function typesOf(value: string): string[] {
  const types = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (types.length === 0) throw new UrbisError('INVALID_ARGUMENT', '--types names no credential type');
  return types;
}

/** Epoch seconds of a date option: epoch seconds, YYYY-MM-DD (UTC midnight) or an ISO 8601 time. */
function timeOf(value: string, name: string): number {
  if (/^\d{1,12}$/.test(value)) return Number(value);
  const ms = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) throw new UrbisError('INVALID_ARGUMENT', `--${name} must be YYYY-MM-DD, an ISO 8601 time or epoch seconds`);
  return Math.floor(ms / 1000);
}

function validityOf(values: Record<string, string | undefined>, now: number): { validFrom: number; validUntil: number } {
  if (values['valid-until'] === undefined) throw new UrbisError('INVALID_ARGUMENT', '--valid-until <date> is required (the accreditation ends then; it is exclusive)');
  const validFrom = values['valid-from'] === undefined ? now : timeOf(values['valid-from'], 'valid-from');
  const validUntil = timeOf(values['valid-until'], 'valid-until');
  if (validFrom >= validUntil) throw new UrbisError('INVALID_ARGUMENT', '--valid-until must be after --valid-from');
  return { validFrom, validUntil };
}

/** Public keys from a JSON file: an array of JWKs, a JWKS, or a DID document's verification methods. */
function readPublicKeys(path: string): PublicJwk[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', '--keys: no readable JSON file at that path', { cause });
  }
  const doc = (typeof value === 'object' && value !== null ? value : {}) as { keys?: unknown; verificationMethod?: unknown };
  const list: unknown[] = Array.isArray(value)
    ? value
    : Array.isArray(doc.keys)
      ? doc.keys
      : Array.isArray(doc.verificationMethod)
        ? doc.verificationMethod.map((m) => (m as { publicKeyJwk?: unknown } | null)?.publicKeyJwk)
        : [];
  if (list.length === 0) throw new UrbisError('INVALID_ARGUMENT', '--keys holds no key (an array of public JWKs, a JWKS or a DID document)');
  return list.map((jwk) => toPublicP256Jwk(jwk));
}

function dateOf(seconds: number): string {
  return seconds >= 8_000_000_000_000 ? 'no end' : new Date(seconds * 1000).toISOString().slice(0, 10);
}

function describeIssuer(issuer: RegisteredIssuer): string {
  return `${issuer.did}${issuer.suspended ? ' [SUSPENDED]' : ''} — ${issuer.credentialTypes.join(', ')}; ${dateOf(issuer.validFrom)} → ${dateOf(issuer.validUntil)}; ${issuer.keyThumbprints.length} key(s); controller ${issuer.controller}`;
}

function describeRequest(request: ProposalRequest, dids: ReadonlyMap<string, string>): string {
  switch (request.kind) {
    case 'AdmitMember':
    case 'RemoveMember':
      return `${request.kind} ${request.member}`;
    case 'ChangeThreshold':
      return `ChangeThreshold ${request.threshold}`;
    case 'AccreditIssuer':
      return `AccreditIssuer ${request.did} (${request.credentialTypes.join(', ')}; ${dateOf(request.validFrom)} → ${dateOf(request.validUntil)}; ${request.keyThumbprints.length} key(s); controller ${request.controller})`;
    case 'UpdateAccreditation':
      return `UpdateAccreditation ${dids.get(request.issuerId) ?? request.issuerId} (${request.credentialTypes.join(', ')}; ${dateOf(request.validFrom)} → ${dateOf(request.validUntil)})`;
    default:
      return `${request.kind} ${dids.get(request.issuerId) ?? request.issuerId}`;
  }
}
