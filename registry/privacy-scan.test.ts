/**
 * What reaches the chain (issue #3): after a full run — federation set up,
 * issuers accredited, keys rotated, an issuer suspended, credentials issued to
 * citizens, their statuses published — every transaction's calldata, every
 * event and every storage slot written holds only list ids, indices, status
 * bits, addresses, issuer DIDs, key thumbprints and credential type names.
 * Personal data of the citizens (names, birthdates, streets, pseudonyms,
 * holder keys) appears nowhere, in any encoding tried.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Contract, getBytes, hexlify, id, Interface, toUtf8Bytes, type Log } from 'ethers';
import citizens from '../core/credentials/fixtures/citizens.json' with { type: 'json' };
import { calculateJwkThumbprint } from '../core/keys/jwk-thumbprint.js';
import { decodeSdJwt } from '../core/sd-jwt/decode-sd-jwt.js';
import { createCredentialKit } from '../core/test-kit/credential-kit.js';
import { STATUS_REGISTRY_ABI, TRUSTED_ISSUER_REGISTRY_ABI } from './chain/contract-abis.js';
import { issuerIdOf } from './chain/trusted-issuer-registry-client.js';
import { startDeployedRegistries, type DeployedRegistries } from './testing/deployed-registries.js';

interface ChainWrite {
  where: string;
  bytes: Uint8Array;
}

const ALLOWED_TEXT = new Set<string>();
/** 32-byte values known to be hashes, thumbprints or addresses: random-looking, never text. */
const KNOWN_WORDS = new Set<string>();
const word = (hex: string): string => hex.toLowerCase().replace(/^0x/, '').padStart(64, '0');

describe('privacy of what Urbis writes on chain', () => {
  let chain: DeployedRegistries;
  const writes: ChainWrite[] = [];
  const logs: Log[] = [];
  const canaries: { label: string; bytes: Uint8Array }[] = [];
  const dids = ['did:web:gijon.urbis.example', 'did:web:oviedo.urbis.example'];
  const types = ['ResidentCredential', 'ServiceEntitlementCredential'];

  beforeAll(async () => {
    let step = 'start';
    try {
      await fullRun((s) => (step = s));
    } catch (error) {
      throw new Error(`full run failed at ${step}: ${(error as Error).message}`, { cause: error });
    }
  }, 180_000);

  async function fullRun(at: (step: string) => void): Promise<void> {
    chain = await startDeployedRegistries();
    at('kit');
    const kit = createCredentialKit({ now: Math.floor(Date.now() / 1000) });
    const cityA = await chain.signers[1]!.getAddress();
    const cityB = await chain.signers[2]!.getAddress();
    for (const text of [...dids, ...types]) ALLOWED_TEXT.add(text);

    at('federation');
    // Federation: accredit two issuers (threshold 1), rotate a key, suspend and lift the suspension.
    const thumbprint = async (): Promise<string> => {
      const value = hexlify(Buffer.from(await calculateJwkThumbprint({ publicJwk: kit.crypto.generateKeyPair().publicJwk, hash: kit.crypto.hash }), 'base64url'));
      KNOWN_WORDS.add(word(value));
      return value;
    };
    for (const did of dids) KNOWN_WORDS.add(word(issuerIdOf(did)));
    for (const signer of chain.signers) KNOWN_WORDS.add(word(await signer.getAddress()));
    KNOWN_WORDS.add(word(chain.deployment.statusRegistry));
    KNOWN_WORDS.add(word(chain.deployment.trustedIssuerRegistry));
    const trustA = chain.trust.connect(chain.signers[1]!);
    const trustB = chain.trust.connect(chain.signers[2]!);
    const now = Math.floor(Date.now() / 1000);
    for (const [did, controller, client] of [[dids[0]!, cityA, trustA], [dids[1]!, cityB, trustB]] as const) {
      const id = await client.propose({ kind: 'AccreditIssuer', did, controller, keyThumbprints: [await thumbprint()], credentialTypes: types, validFrom: now - 60, validUntil: now + 86_400 * 365 });
      await client.execute(id);
    }
    await trustA.rotateIssuerKeys({ issuerId: issuerIdOf(dids[0]!), keyThumbprints: [await thumbprint(), await thumbprint()] });
    await trustB.suspendOwnIssuer(issuerIdOf(dids[1]!));
    await trustA.execute(await trustA.propose({ kind: 'UnsuspendIssuer', issuerId: issuerIdOf(dids[1]!) }));

    at('lists');
    // Two status lists, owned by the cities' publisher accounts.
    const listA = await chain.status.createList({ owner: cityA, size: 131_072 });
    const listB = await chain.status.createList({ owner: cityB, size: 262_144 });
    const roles = new Contract(chain.deployment.statusRegistry, ['function writerRole(uint256) pure returns (bytes32)', 'function LIST_CREATOR_ROLE() view returns (bytes32)'], chain.chain.provider);
    for (const role of [await roles.getFunction('writerRole')(listA), await roles.getFunction('writerRole')(listB), await roles.getFunction('LIST_CREATOR_ROLE')()]) {
      KNOWN_WORDS.add(word(role as string));
    }
    for (const abi of [STATUS_REGISTRY_ABI, TRUSTED_ISSUER_REGISTRY_ABI]) new Interface(abi as never).forEachEvent((e) => void KNOWN_WORDS.add(word(e.topicHash)));
    for (const e of ['RoleGranted(bytes32,address,address)', 'RoleRevoked(bytes32,address,address)', 'RoleAdminChanged(bytes32,bytes32,bytes32)']) KNOWN_WORDS.add(word(id(e)));

    at('credentials');
    // Citizens get credentials (real ones, with personal data); only their random status indices go on chain.
    const indices: number[] = [];
    for (const [n, citizen] of citizens.citizens.entries()) {
      const holder = kit.newHolder();
      const index = 1_000 + n * 9_973;
      indices.push(index);
      const credential = await kit.issue({ format: 'dc+sd-jwt', holder, statusIndex: index });
      const decoded = await decodeSdJwt({ compact: credential, hash: kit.crypto.hash });
      for (const { disclosure } of decoded.disclosures) canaries.push({ label: 'disclosure salt', bytes: toUtf8Bytes(disclosure.salt) });
      canaries.push({ label: 'holder key x', bytes: Buffer.from(holder.keyPair.publicJwk.x, 'base64url') });
      canaries.push({ label: 'holder key y', bytes: Buffer.from(holder.keyPair.publicJwk.y, 'base64url') });
      const r = citizen.resident;
      for (const text of [r.given_name, r.family_name, r.birthdate, r.address.street_address, r.address.postal_code, ...citizen.entitlements.map((e) => e.pseudonym)]) {
        canaries.push({ label: 'claim text', bytes: toUtf8Bytes(text) });
      }
      const birth = Date.parse(`${r.birthdate}T00:00:00Z`) / 1000;
      const asWord = (n: bigint): Uint8Array => getBytes(`0x${BigInt.asUintN(256, n).toString(16).padStart(64, '0')}`);
      canaries.push({ label: 'birthdate as epoch seconds', bytes: asWord(BigInt(birth)) });
      canaries.push({ label: 'birthdate as epoch days', bytes: asWord(BigInt(Math.floor(birth / 86_400))) });
      canaries.push({ label: 'birthdate as yyyymmdd', bytes: asWord(BigInt(r.birthdate.replaceAll('-', ''))) });
      canaries.push({ label: 'pseudonym bytes', bytes: Buffer.from(citizen.entitlements[0]!.pseudonym, 'base64url') });
    }
    at('status updates');
    const statusA = chain.status.connect(chain.signers[1]!);
    await statusA.sendUpdate({ listId: listA, expectedSequence: 0, deltas: indices.map((index) => ({ index, value: 2 as const })) });
    await statusA.sendUpdate({ listId: listA, expectedSequence: 1, deltas: [{ index: indices[0]!, value: 1 }, { index: indices[1]!, value: 0 }] });
    await chain.status.connect(chain.signers[2]!).sendUpdate({ listId: listB, expectedSequence: 0, deltas: [{ index: 200_000, value: 1 }] });

    at('collect');
    // Collect every write: calldata, events, and storage slots written (from execution traces).
    const provider = chain.chain.provider;
    const latest = await provider.getBlockNumber();
    for (let number = 0; number <= latest; number++) {
      const block = await provider.getBlock(number, true);
      for (const tx of block?.prefetchedTransactions ?? []) {
        // Contract creation carries the registries' own bytecode: searched for citizen data, not read as text.
        writes.push({ where: tx.to === null ? `creation code ${tx.hash}` : `calldata of ${tx.hash}`, bytes: getBytes(tx.data) });
        const trace = (await provider.send('debug_traceTransaction', [tx.hash, { disableMemory: true, disableStorage: true }])) as {
          structLogs: { op: string; stack?: string[] }[];
        };
        for (const step of trace.structLogs) {
          if (step.op !== 'SSTORE' || step.stack === undefined) continue;
          const value = step.stack[step.stack.length - 2]!;
          writes.push({ where: `storage written by ${tx.hash}`, bytes: getBytes(`0x${value.replace(/^0x/, '').padStart(64, '0')}`) });
        }
      }
    }
    for (const address of [chain.deployment.statusRegistry, chain.deployment.trustedIssuerRegistry]) {
      for (const log of await provider.getLogs({ address, fromBlock: 0, toBlock: latest })) {
        logs.push(log);
        writes.push({ where: `event data ${log.transactionHash}`, bytes: getBytes(log.data) });
        for (const topic of log.topics) writes.push({ where: `event topic ${log.transactionHash}`, bytes: getBytes(topic) });
      }
    }
  }

  afterAll(async () => {
    await chain?.stop();
  });

  it('saw a full run: storage writes, events and transactions', () => {
    expect(writes.filter((w) => w.where.startsWith('storage')).length).toBeGreaterThan(50);
    expect(logs.length).toBeGreaterThan(10);
    expect(canaries.length).toBeGreaterThan(40);
  });

  it('no citizen data appears anywhere on chain, in any encoding tried', () => {
    for (const canary of canaries) {
      const needle = Buffer.from(canary.bytes);
      for (const write of writes) {
        if (Buffer.from(write.bytes).includes(needle)) throw new Error(`${canary.label} found in ${write.where}`);
      }
    }
  });

  it('every readable text on chain is an issuer DID or a credential type name', () => {
    // Read word by word (calldata after its 4-byte selector); words that are known hashes,
    // thumbprints or addresses are random bytes and may look like text by chance.
    let checked = 0;
    for (const write of writes.filter((w) => !w.where.startsWith('creation code'))) {
      const body = Buffer.from(write.bytes.subarray(write.where.startsWith('calldata') ? 4 : 0));
      for (let offset = 0; offset < body.length; offset += 32) {
        const chunk = body.subarray(offset, offset + 32);
        if (KNOWN_WORDS.has(chunk.toString('hex').padStart(64, '0'))) continue;
        checked++;
        for (const run of chunk.toString('latin1').match(/[\x20-\x7e]{6,}/g) ?? []) {
          const allowed = [...ALLOWED_TEXT].some((value) => value.includes(run));
          if (!allowed) throw new Error(`unexpected text "${run}" in ${write.where}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('every event is a registry event whose arguments are list ids, indices, status bits, addresses, DIDs, thumbprints or types', () => {
    const status = new Interface(STATUS_REGISTRY_ABI as never);
    const trust = new Interface(TRUSTED_ISSUER_REGISTRY_ABI as never);
    const accessControl = new Interface([
      'event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)',
      'event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)',
      'event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)',
    ]);
    for (const log of logs) {
      const parsed = status.parseLog(log) ?? trust.parseLog(log) ?? accessControl.parseLog(log);
      expect(parsed).not.toBeNull();
      if (parsed!.name === 'StatusesUpdated') {
        const bytes = getBytes(parsed!.args.packedDeltas as string);
        for (let i = 0; i < bytes.length; i += 4) expect(bytes[i + 3]! & 3).toBeLessThan(3);
      }
      if (parsed!.name === 'IssuerAccredited') expect(dids).toContain(parsed!.args.did);
    }
  });
});
