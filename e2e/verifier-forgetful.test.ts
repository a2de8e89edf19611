import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { CliIo } from '../bin/subcommand.js';
import type { ClaimPath, CredentialTypeName } from '../core/credentials/credential-types.js';
import { base64urlDecode, base64urlDecodeString, base64urlEncode } from '../core/encoding/base64url.js';
import { calculateJwkThumbprint } from '../core/keys/jwk-thumbprint.js';
import { encodeCompactPresentation } from '../core/presentation/compact-presentation.js';
import { createCredentialKit, type CredentialKit } from '../core/test-kit/credential-kit.js';
import type { StatusRegistryClient } from '../registry/chain/status-registry-client.js';
import { writeDeploymentsFile } from '../registry/chain/deployments-file.js';
import { buildSnapshot } from '../registry/snapshot/build-snapshot.js';
import { accreditIssuer, applyStatusBatch, comparableState } from '../registry/snapshot/chain-fixtures.js';
import { decodeSnapshot } from '../registry/snapshot/snapshot-codec.js';
import { startDeployedRegistries, type DeployedRegistries } from '../registry/testing/deployed-registries.js';
import { processTerminalCliDeps } from '../verifier/cli/process-cli-deps.js';
import type { TerminalCliDeps } from '../verifier/cli/terminal-cli-deps.js';
import { createTerminalCommand } from '../verifier/cli/terminal-command.js';
import { createVerifyCommand } from '../verifier/cli/verify-command.js';
import { startTerminalServer } from '../verifier/http/start-terminal-server.js';
import type { TerminalVerdict } from '../verifier/terminal/terminal.js';

/**
 * Issue 6, point 5: "the terminal logs and stores only aggregate counts
 * per service and outcome — never claims, pseudonyms, keys, indices or
 * presentations". A full session on a real chain, through the real CLI
 * and HTTP API: bootstrap from the chain, a revocation and a sync, then
 * `urbis terminal serve` with requests answered, scanner presentations,
 * compact QR bytes, a replay, a revoked credential, a revocation picked up
 * by the server's own sync, a presentation for another terminal, garbage;
 * then `urbis verify` and `urbis terminal health`. Every log line (the
 * CLI's stdout and stderr, the server's log, anything written to the
 * console or the process's stdout/stderr) and every byte of every file in
 * the data folder (the snapshot also decoded and its lists inflated) is
 * then searched for the distinctive values of the session.
 *
 * What is NOT a log: the verdicts the API and `urbis verify` hand back to
 * the operator's screen, which carry the claims the service's policy asked
 * for by design (`TerminalVerdict.claims`). Even so, the pools service
 * asks only for `service_id` and `tier`, so the CLI output is searched too.
 */
describe('forgetful terminal: a whole session leaves no claim, pseudonym, key, index, nonce or presentation in logs or files', () => {
  const TERMINAL_ID = 'urbis:terminal:gijon-pool-1';
  let r: DeployedRegistries;
  let writer: StatusRegistryClient;
  let listId: number;
  let root: string;
  let dataDir: string;
  let env: Record<string, string>;
  let kit: CredentialKit;

  /** Everything a log could hold. */
  const logs: string[] = [];
  /** Values the terminal must forget: [label, value]. */
  const secrets: [string, string][] = [];
  /** Status indices, matched as whole decimal numbers in text; `revoked` ones are public chain data the snapshot holds by design. */
  const indices: { index: number; revoked: boolean }[] = [];
  /** Every presentation made (text, and compact bytes as latin1). */
  const presentations: string[] = [];
  /**
   * Presentations of the same issuer and types the terminal never saw: a
   * fragment they share with the session's (JOSE headers, the issuer's
   * metadata, the KB-JWT header) says nothing about a holder, so only the
   * other fragments count as distinctive.
   */
  const controls: string[] = [];
  const verdicts: TerminalVerdict[] = [];

  const deps = (overrides: Partial<TerminalCliDeps> = {}): TerminalCliDeps => ({ ...processTerminalCliDeps(), env, log: (line) => logs.push(line), ...overrides });
  const logIo: CliIo = { out: (l) => logs.push(l), err: (l) => logs.push(l) };
  const now = () => Math.floor(Date.now() / 1000);

  /** Distinct random indices from 100,000 up (six digits: no port, count or block number of the session has as many). */
  const usedIndices = new Set<number>();
  function freshIndex(): number {
    for (;;) {
      const index = randomInt(100_000, 131_072);
      if (!usedIndices.has(index)) {
        usedIndices.add(index);
        indices.push({ index, revoked: false });
        return index;
      }
    }
  }

  /** A credential for a fresh holder, its claims, keys and index registered as secrets. */
  async function issue({ type, claims }: { type: CredentialTypeName; claims?: Record<string, unknown> }) {
    const holder = kit.newHolder();
    const statusIndex = freshIndex();
    const credential = await kit.issue({ format: 'dc+sd-jwt', type, holder, statusIndex, ...(claims === undefined ? {} : { overrides: { claims } as never }) });
    const { x, y } = holder.keyPair.publicJwk;
    const thumbprint = await calculateJwkThumbprint({ publicJwk: holder.keyPair.publicJwk, hash: kit.crypto.hash });
    secrets.push(['holder x', x], ['holder y', y], ['holder thumbprint', thumbprint]);
    secrets.push(['holder x bytes', latin1(base64urlDecode(x))], ['holder y bytes', latin1(base64urlDecode(y))], ['holder thumbprint bytes', latin1(base64urlDecode(thumbprint))]);
    for (const disclosure of credential.split('~').slice(1).filter((d) => d !== '')) {
      const [salt] = JSON.parse(base64urlDecodeString(disclosure)) as [string, ...unknown[]];
      secrets.push(['disclosure salt', salt], ['disclosure', disclosure]);
    }
    return { credential, holder, statusIndex };
  }

  function present(args: { credential: string; holder: ReturnType<CredentialKit['newHolder']>; claims: readonly ClaimPath[]; nonce?: string; audience?: string }): Promise<string> {
    const nonce = args.nonce ?? `wallet-${base64urlEncode(kit.crypto.randomBytes(12))}`;
    secrets.push(['nonce', nonce]);
    return kit.present({ credential: args.credential, holder: args.holder, claims: args.claims, nonce, audience: args.audience ?? TERMINAL_ID, iat: now() }).then((text) => {
      presentations.push(text);
      return text;
    });
  }

  beforeAll(async () => {
    r = await startDeployedRegistries();
    root = await mkdtemp(join(tmpdir(), 'urbis-forgetful-'));
    dataDir = join(root, 'terminal');
    kit = createCredentialKit({ now: now() });
    const listOwner = r.signers[3]!;
    listId = await r.status.createList({ owner: await listOwner.getAddress(), size: kit.statusListSize });
    writer = r.status.connect(listOwner);
    await accreditIssuer({ trust: r.trust, did: kit.issuer.id, controller: await r.signers[1]!.getAddress(), keys: [kit.issuer.keyPair.publicJwk], credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'], hash: kit.crypto.hash });
    const deployments = join(root, 'deployments.json');
    writeDeploymentsFile({ path: deployments, deployment: r.deployment });
    env = {
      URBIS_TERMINAL_ID: TERMINAL_ID,
      URBIS_TERMINAL_DIR: dataDir,
      URBIS_TERMINAL_SCANNER_SERVICE: 'pools',
      URBIS_SNAPSHOT_ISSUER_KEYS: JSON.stringify({ [kit.issuer.id]: [{ publicJwk: kit.issuer.keyPair.publicJwk, kid: kit.issuer.kid }] }),
      URBIS_CHAIN_RPC: r.node.url,
      URBIS_CHAIN_ID: '7777',
      URBIS_TERMINAL_PORT: '0',
      URBIS_TERMINAL_SYNC_SECONDS: '1',
    };
    const bootstrapped = await createTerminalCommand(deps()).run(['sync', '--bootstrap', '--lists', `${listId}=${kit.statusListUri}`, '--deployments', deployments], logIo);
    expect(bootstrapped).toBe(0);
  }, 120_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await r?.stop();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it('runs a full session: sync, serve (requests, scans, compact QR, replay, revocations, live sync, wrong terminal, garbage), verify, health', async () => {
    // Anything written to the console or to the process's own streams is a log line too.
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
    }
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        logs.push(typeof chunk === 'string' ? chunk : latin1(chunk as Uint8Array));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    }

    const resident = kit.residentClaims;
    const pools = await Promise.all([1, 2, 3, 4].map(() => issue({ type: 'ServiceEntitlementCredential' })));
    const libraryPseudonym = base64urlEncode(kit.crypto.randomBytes(32));
    const library = await issue({ type: 'ServiceEntitlementCredential', claims: { ...kit.entitlementClaims, service_id: 'library', pseudonym: libraryPseudonym } });
    const residentCopy = await issue({ type: 'ResidentCredential' });
    const revokedBefore = await issue({ type: 'ServiceEntitlementCredential' });
    const revokedLive = await issue({ type: 'ServiceEntitlementCredential' });
    secrets.push(['library pseudonym', libraryPseudonym], ['pools pseudonym', kit.entitlementClaims.pseudonym]);
    for (const [name, value] of [
      ['given_name', resident.given_name],
      ['family_name', resident.family_name],
      ['birthdate', resident.birthdate],
      ['street_address', resident.address.street_address],
      ['resident_since', resident.resident_since],
    ] as const) {
      secrets.push([name, String(value)]);
    }

    for (const type of ['ServiceEntitlementCredential', 'ResidentCredential'] as const) {
      const holder = kit.newHolder();
      const credential = await kit.issue({ format: 'dc+sd-jwt', type, holder, statusIndex: 7 });
      const text = await kit.present({ credential, holder, claims: type === 'ResidentCredential' ? [['address', 'locality']] : [['service_id'], ['tier']], nonce: 'control-nonce-0123456789', audience: TERMINAL_ID, iat: now() });
      controls.push(text, latin1(encodeCompactPresentation({ text })));
    }
    const revoke = async (index: number) => {
      indices.find((i) => i.index === index)!.revoked = true;
      await applyStatusBatch({ writer, provider: r.chain.provider, listId, deltas: [{ index, value: 1 }] });
    };

    // A revocation on chain, picked up by `urbis terminal sync`.
    await revoke(revokedBefore.statusIndex);
    expect(await createTerminalCommand(deps()).run(['sync'], logIo)).toBe(0);

    // `urbis terminal serve`, in this process, with the real HTTP API.
    let url: string | undefined;
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const serving = createTerminalCommand(
      deps({
        startServer: async (args) => {
          const server = await startTerminalServer(args);
          url = server.url;
          return server;
        },
        untilStopped: () => stopped,
      }),
    ).run(['serve'], logIo);
    for (let i = 0; i < 500 && url === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(url).toBeDefined();
    const post = async (body: string | Uint8Array, { type = 'text/plain', service }: { type?: string; service?: string } = {}) => {
      const response = await fetch(`${url}/presentations/verify${service === undefined ? '' : `?service=${service}`}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : Buffer.from(body) });
      const verdict = (await response.json()) as TerminalVerdict;
      verdicts.push(verdict);
      return verdict;
    };
    const request = async (service: string) => {
      const answer = (await (await fetch(`${url}/request?service=${service}`)).json()) as { link: string };
      const nonce = new URLSearchParams(answer.link.slice(answer.link.indexOf('?') + 1)).get('nonce')!;
      return nonce;
    };

    // Flow (a): requests answered by the wallet.
    expect(await post(await present({ ...library, claims: [['service_id'], ['pseudonym']], nonce: await request('library') }))).toMatchObject({ ok: true, serviceId: 'library', flow: 'request' });
    const overDisclosed = await present({ ...residentCopy, claims: [['address', 'locality'], ['given_name'], ['family_name'], ['birthdate'], ['address', 'street_address']], nonce: await request('waste-centre') });
    expect(await post(JSON.stringify({ presentation: overDisclosed }), { type: 'application/json' })).toMatchObject({ ok: true, serviceId: 'waste-centre', claims: { address: { locality: 'Gijón' } } });
    expect(await post(await present({ ...pools[0]!, claims: [['service_id'], ['tier']], nonce: await request('pools') }))).toMatchObject({ ok: true, flow: 'request' });
    await request('transport'); // shown, never answered

    // Flow (b): scanner-only, as text and as the QR's compact bytes.
    const scanned = await present({ ...pools[1]!, claims: [['service_id'], ['tier']] });
    expect(await post(scanned)).toMatchObject({ ok: true, flow: 'scanner' });
    const compactText = await present({ ...pools[2]!, claims: [['service_id'], ['tier']] });
    const compact = encodeCompactPresentation({ text: compactText });
    presentations.push(latin1(compact));
    expect(await post(compact, { type: 'application/octet-stream' })).toMatchObject({ ok: true, flow: 'scanner' });

    // Rejections: a replay, a revoked credential, another terminal's presentation, garbage.
    expect(await post(scanned)).toMatchObject({ ok: false, failures: [{ code: 'KB_REPLAYED' }] });
    expect(await post(await present({ ...revokedBefore, claims: [['service_id'], ['tier']] }))).toMatchObject({ ok: false, failures: [{ code: 'STATUS_REVOKED' }] });
    expect(await post(await present({ ...pools[3]!, claims: [['service_id'], ['tier']], audience: 'urbis:terminal:gijon-library-2' }))).toMatchObject({ ok: false, failures: [{ code: 'KB_AUD_MISMATCH' }] });
    expect((await post('not a presentation at all~')).ok).toBe(false);

    // A revocation while serving: accepted before, refused after the server's own sync.
    expect(await post(await present({ ...revokedLive, claims: [['service_id'], ['tier']] }))).toMatchObject({ ok: true });
    const logsBefore = logs.length;
    await revoke(revokedLive.statusIndex);
    const syncedSince = () => logs.slice(logsBefore).some((l) => l.includes('"event":"sync"') && l.includes('"ok":true') && !l.includes('"changes":0'));
    for (let i = 0; i < 200 && !syncedSince(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(syncedSince()).toBe(true);
    expect(await post(await present({ ...revokedLive, claims: [['service_id'], ['tier']] }))).toMatchObject({ ok: false, failures: [{ code: 'STATUS_REVOKED' }] });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    stop();
    expect(await serving).toBe(0);

    // The command line, after the server stopped (one process per data folder).
    const cliScan = await present({ ...(await issue({ type: 'ServiceEntitlementCredential' })), claims: [['service_id'], ['tier']] });
    expect(await createVerifyCommand(deps()).run([cliScan], logIo)).toBe(0);
    expect(await createVerifyCommand(deps()).run(['--json', cliScan], logIo)).toBe(1);
    expect(await createTerminalCommand(deps()).run(['health'], logIo)).toBe(0);
    jest.restoreAllMocks();

    // The counts: services and codes only.
    const counts = JSON.parse(await readFile(join(dataDir, 'counts.json'), 'utf8'));
    expect(counts.services).toEqual({
      library: { accepted: 1, rejected: 0, rejectedByCode: {} },
      'waste-centre': { accepted: 1, rejected: 0, rejectedByCode: {} },
      pools: { accepted: 5, rejected: 6, rejectedByCode: { JWS_MALFORMED: 1, KB_REPLAYED: 2, STATUS_REVOKED: 2, KB_AUD_MISMATCH: 1 } },
    });
  }, 120_000);

  it('the data folder holds exactly its four files, and neither they nor any log line contain a secret of the session', async () => {
    const files = await listFiles(dataDir);
    expect(files.map((f) => relative(dataDir, f)).sort()).toEqual(['counts.json', 'replay.journal', 'snapshot-key.json', 'terminal.snapshot']);
    expect(logs.length).toBeGreaterThan(20);
    expect(secrets.length).toBeGreaterThan(50);

    const haystacks: { where: string; text: string; binary: boolean }[] = logs.map((line, i) => ({ where: `log line ${i}`, text: line, binary: false }));
    for (const file of files) {
      const bytes = await readFile(file);
      const binary = file.endsWith('.snapshot') || file.endsWith('.journal');
      haystacks.push({ where: relative(dataDir, file), text: latin1(bytes), binary });
      if (file.endsWith('.snapshot')) {
        // Decoded: its JSON parts and every list inflated.
        const { content } = decodeSnapshot({ bytes });
        haystacks.push({ where: 'snapshot content', text: JSON.stringify({ ...content, lists: content.lists.map((l) => ({ listId: l.listId, uri: l.uri, sequence: l.sequence })) }), binary: false });
        for (const list of content.lists) haystacks.push({ where: `snapshot list ${list.listId} (inflated)`, text: latin1(list.list.asBytes()), binary: true });
      }
    }

    const common = new Set(controls.flatMap((control) => windowsOf(control, true)));
    const distinctive = presentations.map((presentation) => windowsOf(presentation, true).filter((w) => !common.has(w)));
    expect(distinctive.every((windows) => windows.length > 500)).toBe(true);
    const leaksIn = (places: typeof haystacks): string[] => {
      const found: string[] = [];
      for (const { where, text, binary } of places) {
        const windows = windowsOf(text);
        for (const [label, value] of secrets) {
          const needle = latin1(new TextEncoder().encode(value));
          const hit = needle.length >= WINDOW ? windowsOf(needle, true).some((w) => windows.has(w)) : needle.length >= (binary ? 6 : 1) && text.includes(needle);
          if (hit) found.push(`${label} in ${where}`);
        }
        for (const [i, fragments] of distinctive.entries()) {
          if (fragments.some((w) => windows.has(w))) found.push(`a 16-character fragment of presentation ${i} in ${where}`);
        }
        if (!binary) {
          for (const { index, revoked } of indices) {
            // A revoked index is public chain data: the snapshot holds it (its status bits, its reorg journal) whether or not it was ever presented.
            if (revoked && where.startsWith('snapshot')) continue;
            if (new RegExp(`(^|[^0-9])${index}([^0-9]|$)`).test(text)) found.push(`status index ${index} in ${where}`);
          }
        }
      }
      return found;
    };

    // The search finds what it looks for: planted values are reported.
    const valid = indices.find((i) => !i.revoked)!.index;
    expect(
      leaksIn([
        { where: 'planted 1', text: `{"served":${valid}}`, binary: false },
        { where: 'planted 2', text: `x${presentations[4]!.slice(300, 317)}x`, binary: true },
        { where: 'planted 3', text: `${kit.residentClaims.given_name}!`, binary: false },
      ]),
    ).toEqual([`status index ${valid} in planted 1`, 'a 16-character fragment of presentation 4 in planted 2', 'given_name in planted 3']);

    const found = leaksIn(haystacks);
    expect(found).toEqual([]);
  });

  it('the snapshot file holds chain state only: what a fresh read of the chain at its block gives', async () => {
    const { content } = decodeSnapshot({ bytes: await readFile(join(dataDir, 'terminal.snapshot')) });
    const fromChain = await buildSnapshot({
      chain: r.chain,
      statusClient: r.status,
      trustClient: r.trust,
      lists: [{ listId, uri: kit.statusListUri }],
      issuerKeys: { [kit.issuer.id]: [{ publicJwk: kit.issuer.keyPair.publicJwk, kid: kit.issuer.kid }] },
      signingKey: kit.issuer.signingKey,
      at: content.sync.blockNumber,
    });
    expect(comparableState(content)).toEqual(comparableState(fromChain.content));
    const journaled = content.journal.flatMap((checkpoint) => checkpoint.undo.flatMap((undo) => undo.entries.filter((_, i) => i % 2 === 0)));
    expect(journaled.every((index) => indices.some((i) => i.index === index && i.revoked))).toBe(true);
  });

  it('the operator’s screen got what the policies asked for: the verdicts of this session hold no name, birth date or street', () => {
    const screens = JSON.stringify(verdicts);
    expect(screens).toContain('Gijón'); // the waste centre asks for the locality
    for (const value of [kit.residentClaims.given_name, kit.residentClaims.family_name, kit.residentClaims.birthdate, kit.residentClaims.address.street_address]) {
      expect(screens).not.toContain(value);
    }
  });
});

const WINDOW = 16;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Every substring of `WINDOW` characters (a Set for a haystack, a list for a needle). */
function windowsOf(text: string): Set<string>;
function windowsOf(text: string, asList: true): string[];
function windowsOf(text: string, asList = false): Set<string> | string[] {
  const out: string[] = [];
  for (let i = 0; i + WINDOW <= text.length; i++) out.push(text.slice(i, i + WINDOW));
  return asList ? out : new Set(out);
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}
