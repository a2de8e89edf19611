import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { main } from '../bin/urbis-cli.js';
import type { CliIo } from '../bin/subcommand.js';
import { createNodeCrypto } from '../core/crypto/node-crypto.js';
import { isUrbisError } from '../core/errors/urbis-error.js';
import { decodeCompactPresentation } from '../core/presentation/compact-presentation.js';
import { createWalletCommand } from '../holder-wallet/node/wallet-command.js';
import { requestLink, residentQuery } from '../holder-wallet/testing/test-wallet.js';
import { enrolmentBody } from '../issuer/testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';

const jsQR = jsQRModule.default;

/**
 * `urbis wallet` end to end against the real city issuer over loopback
 * HTTP: init → an offer from an untrusted issuer refused → trusted after
 * the citizen agrees → list → consent refused, then given → QR PNG that
 * decodes to the presentation → history export → backup and restore.
 */
describe('urbis wallet (CLI) against the city issuer', () => {
  const crypto = createNodeCrypto();
  let city: IssuerFixture;
  let dir: string;
  const answers: string[] = [];
  const asked: string[] = [];
  const env: Record<string, string> = { URBIS_WALLET_PASSPHRASE: 'correct horse battery staple', URBIS_BACKUP_PASSPHRASE: 'backup passphrase' };
  const command = createWalletCommand({
    env,
    prompt: async (question) => {
      asked.push(question);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question: ${question}`);
      return answer;
    },
    fetch: (url, init) => fetch(url, init),
    now: () => Date.now(),
  });

  async function run(...args: string[]): Promise<{ code: number | string; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    try {
      return { code: await command.run([...args, '--wallet', join(dir, 'wallet.urbw')], io), out, err };
    } catch (error) {
      if (isUrbisError(error)) return { code: error.code, out, err };
      throw error;
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'urbis-wallet-cli-'));
    city = await startIssuerFixture();
  }, 60_000);
  afterAll(async () => {
    await city?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function offer(): Promise<{ link: string; txCode: string }> {
    const clerk = await city.staffToken({ role: 'clerk' });
    const body = enrolmentBody();
    const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
    await city.request('POST', `/back-office/applications/${enrolled.body.application.reference}/decision`, { token: clerk, json: { decision: 'validate' } });
    const made = await city.request('POST', '/front-office/me/offers', { token: enrolled.body.session.token });
    return { link: made.body.deepLink, txCode: await city.lastCodeSentTo(body['email'] as string) };
  }

  test('a citizen receives, lists, presents with consent, exports history, backs up and restores', async () => {
    expect((await run('init')).code).toBe(0);
    expect((await run('init')).code).toBe('WALLET_EXISTS');

    const { link, txCode } = await offer();
    expect((await run('accept', '--offer', link, '--tx-code', txCode)).code).toBe('ISSUER_UNTRUSTED');
    answers.push('n');
    const declined = await run('accept', '--offer', link, '--tx-code', txCode, '--trust');
    expect(declined.code).toBe(1);
    expect(declined.out).toContain('nothing accepted');
    answers.push('y');
    const accepted = await run('accept', '--offer', link, '--tx-code', txCode, '--trust', '--batch', '3');
    expect(accepted.code).toBe(0);
    expect(accepted.out.join('\n')).toMatch(/ResidentCredential: 3 one-time copies received/);

    const listed = await run('list');
    expect(listed.out.join('\n')).toMatch(/ResidentCredential {2}dc\+sd-jwt {2}3 unused \/ 0 used {2}status not checked/);

    const nonce = Buffer.from(crypto.randomBytes(16)).toString('base64url');
    const request = requestLink({ client_id: 'urbis:terminal:gijon-pool-1', nonce, response_type: 'vp_token', dcql_query: JSON.stringify({ credentials: [residentQuery()] }) });
    answers.push('n');
    const refused = await run('present', '--request', request);
    expect(refused.code).toBe(1);
    expect(refused.out).toEqual(expect.arrayContaining(['urbis:terminal:gijon-pool-1 asks for:', '    age_over_18 = true', 'nothing disclosed']));
    expect(refused.out.join('\n')).not.toMatch(/given_name|family_name|birthdate/);

    answers.push('y');
    const png = join(dir, 'presentation.png');
    const presented = await run('present', '--request', request, '--png', png);
    expect(presented.code).toBe(0);
    expect(presented.out.join('\n')).toMatch(/QR version \d+-[LMQH]/);
    const text = presented.out.find((l) => l.includes('~'))!;
    const image = PNG.sync.read(readFileSync(png));
    const scanned = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decodeCompactPresentation({ bytes: Uint8Array.from(scanned!.binaryData) })).toBe(text);

    const history = await run('history', '--format', 'csv');
    const rows = history.out.join('\n').split(/\r?\n/);
    expect(rows[0]).toBe('at,verifier,credentialType,flow,disclosed');
    expect(rows[1]).toMatch(/,urbis:terminal:gijon-pool-1,ResidentCredential,oid4vp,age_over_18$/);

    const backupFile = join(dir, 'backup.urbw');
    expect((await run('backup', '--out', backupFile)).code).toBe(0);
    expect((await run('backup', '--out', backupFile)).code).toBe('WALLET_EXISTS');
    const restored = await command.run(['restore', '--from', backupFile, '--wallet', join(dir, 'restored.urbw')], { out: () => undefined, err: () => undefined });
    expect(restored).toBe(0);

    env.URBIS_WALLET_PASSPHRASE = 'wrong';
    expect((await run('list')).code).toBe('WALLET_PASSPHRASE_WRONG');
    env.URBIS_WALLET_PASSPHRASE = 'correct horse battery staple';
    expect(asked.filter((q) => q.includes('Disclose'))).toHaveLength(2);
  }, 120_000);

  test('urbis --help lists the wallet; unknown actions and missing options are typed errors', async () => {
    const out: string[] = [];
    expect(await main(['--help'], { out: (l) => out.push(l), err: () => undefined })).toBe(0);
    expect(out.join('\n')).toMatch(/wallet +the citizen wallet/);
    expect((await run('fly')).code).toBe('INVALID_ARGUMENT');
    expect((await run('trust', '--issuer', city.url)).code).toBe('INVALID_ARGUMENT');
    expect((await run('present', '--scanner', 'urbis:terminal:x', '--query', '{not json')).code).toBe('INVALID_ARGUMENT');
  });
});
