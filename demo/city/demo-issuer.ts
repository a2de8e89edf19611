import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { loadIssuerConfig, type IssuerConfig } from '../../issuer/config/issuer-config.js';
import { createIssuer, type IssuerLog } from '../../issuer/create-issuer.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { accreditIssuer } from '../../registry/federation/index.js';
import { HARDHAT_TEST_KEYS } from '../../registry/testing/hardhat-node.js';
import { DEMO_CREDENTIAL_TYPES, demoIssuerDid, type DemoCitySpec } from './demo-cities.js';
import type { DemoChain } from './demo-chain.js';

/** The minimum status list size the StatusRegistry accepts. */
export const DEMO_STATUS_LIST_SIZE = 131_072;

/** A staff account the demo created (printed so the back office can be tried). */
export interface DemoStaffAccount {
  username: string;
  password: string;
  role: 'admin' | 'clerk';
}

/** A running demo city issuer. */
export interface DemoIssuer {
  city: DemoCitySpec;
  url: string;
  did: string;
  config: IssuerConfig;
  /** The status list the chain operator created for the city's writer account. */
  listId: number;
  /** `${url}/status/${listId}`: the URI its credentials' status entries carry. */
  statusListUri: string;
  /** Its signing keys as its DID document lists them (kid = verification method id). */
  keys: { kid: string; publicJwk: PublicJwk }[];
  staff: DemoStaffAccount[];
  stop(): Promise<void>;
}

/**
 * Starts one city's issuer in this process on `127.0.0.1:port`, with its
 * own SQLite file and data folder `dataDir` (master key generated there),
 * publishing status to the demo chain through a list created for the
 * city's writer account, and makes it a federation member's accredited
 * issuer: its DID and the key thumbprints of its DID document, for
 * ResidentCredential and ServiceEntitlementCredential, proposed and
 * executed by the city's own member account (threshold 1).
 *
 * The publisher talks to the chain at `rpcUrl` (default: the node's own
 * URL; the soak gives a proxy's, to take the chain away and back).
 */
export async function startDemoIssuer({
  city,
  port,
  dataDir,
  chain,
  rpcUrl = chain.node.url,
  terminalKeys = {},
  log = () => undefined,
}: {
  city: DemoCitySpec;
  port: number;
  dataDir: string;
  chain: DemoChain;
  rpcUrl?: string;
  /** Terminals whose count reports this issuer accepts: terminal id → public JWK. */
  terminalKeys?: Record<string, PublicJwk>;
  log?: IssuerLog;
}): Promise<DemoIssuer> {
  const writerKey = HARDHAT_TEST_KEYS[city.writerAccount]!;
  const memberKey = HARDHAT_TEST_KEYS[city.memberAccount]!;
  const listId = await chain.status.createList({ owner: new Wallet(writerKey).address, size: DEMO_STATUS_LIST_SIZE });
  const url = `http://127.0.0.1:${port}`;
  const did = demoIssuerDid(port);
  const config = loadIssuerConfig({
    // The demo's own settings only: a DATABASE_URL or URBIS_* variable of the shell must not redirect a demo city.
    env: {},
    overrides: {
      cityId: city.cityId,
      cityName: city.cityName,
      municipality: city.municipality,
      referencePrefix: city.referencePrefix,
      host: '127.0.0.1',
      port,
      issuerUrl: url,
      did,
      dataDir,
      database: { engine: 'sqlite', path: join(dataDir, 'issuer.sqlite') },
      terminalKeys,
      chain: {
        rpcUrl,
        chainId: chain.connection.chainId,
        statusRegistry: chain.deployment.statusRegistry,
        writerKey,
        statusListIds: [listId],
        statusListSize: DEMO_STATUS_LIST_SIZE,
        federation: { trustedIssuerRegistry: chain.deployment.trustedIssuerRegistry, controllerKey: memberKey },
      },
    },
  });
  const issuer = await createIssuer({ config, log });
  try {
    const staff: DemoStaffAccount[] = [];
    for (const role of ['admin', 'clerk'] as const) {
      const account = { username: `${role}-${city.cityId}`, password: randomBytes(12).toString('base64url'), role };
      await issuer.staff.create(account);
      staff.push(account);
    }
    await issuer.start();
    const document = (await (await fetch(`${url}/.well-known/did.json`)).json()) as { verificationMethod: { id: string; publicKeyJwk: PublicJwk }[] };
    const keys = document.verificationMethod.map((m) => ({ kid: m.id, publicJwk: m.publicKeyJwk }));
    const member = chain.signers[city.memberAccount]!;
    // The federation's threshold is 1 in the demo: the city's own proposal is executed at once.
    const accredited = await accreditIssuer({
      trust: chain.trust.connect(member),
      did,
      controller: await member.getAddress(),
      keys: keys.map((k) => k.publicJwk),
      credentialTypes: DEMO_CREDENTIAL_TYPES,
      hash: createNodeCrypto().hash,
    });
    if (!accredited.executed) throw new UrbisError('STATE_CONFLICT', 'the demo federation did not execute the accreditation (threshold above 1?)');
    return { city, url, did, config, listId, statusListUri: `${url}/status/${listId}`, keys, staff, stop: () => issuer.stop() };
  } catch (error) {
    await issuer.stop().catch(() => undefined);
    throw error;
  }
}
