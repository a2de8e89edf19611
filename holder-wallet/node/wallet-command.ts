import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import QRCode from 'qrcode';
import { parseCliOptions } from '../../bin/parse-options.js';
import { runAction, type CliIo, type Subcommand } from '../../bin/subcommand.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { exportHistory, type HistoryExportFormat } from '../history/export-history.js';
import { inspectOffer } from '../oid4vci/offer-preview.js';
import type { FetchLike } from '../oid4vci/issuer-http.js';
import { parseDcqlQuery } from '../presentation/dcql-query.js';
import { prepareConsent, type Consent } from '../presentation/consent.js';
import { presentWithConsent } from '../presentation/present.js';
import { parsePresentationRequest, scannerBinding } from '../presentation/presentation-request.js';
import { presentationQr } from '../qr/presentation-qr.js';
import { checkCredentialStatus } from '../status/check-credential-status.js';
import { createBackup, restoreBackup } from '../store/backup.js';
import { createWalletStore, openWalletStore, type WalletStore } from '../store/wallet-store.js';
import { collectPending } from '../wallet/collect-pending.js';
import { copyInventory } from '../wallet/copy-inventory.js';
import { receiveOffer } from '../wallet/receive-offer.js';
import { refreshCopies, reissueAfterRestore, type RefreshOutcome } from '../wallet/refresh-copies.js';
import type { ReceivedConfiguration } from '../wallet/store-issued.js';
import { distrustIssuer, trustIssuer, trustListOf } from '../wallet/wallet-trust.js';
import { createFileStorage } from './file-storage.js';
import { presentationQrPng } from './qr-png.js';

/** Default wallet file, relative to the working directory. */
export const DEFAULT_WALLET_PATH = join('.urbis', 'wallet.urbw');

const USAGE = `Usage: urbis wallet <action> [--wallet <file>] [options]
  The wallet file defaults to ${DEFAULT_WALLET_PATH}. Passphrases come from URBIS_WALLET_PASSPHRASE
  (and URBIS_BACKUP_PASSPHRASE for backups), or are asked for at the terminal; never from arguments.

  init                                   Creates an empty, encrypted wallet.
  trust --issuer <url> --name <name>     Accepts credential offers from this issuer from now on.
  untrust --issuer <url>                 Stops accepting its offers (its credentials stay).
  accept --offer <link> [--tx-code <code>] [--batch <n>] [--trust] [--yes]
                                         Receives the credentials of an offer (QR text or deep link).
                                         --trust asks to add an issuer not yet trusted.
  pending                                Collects credentials the issuer deferred (after a clerk's check).
  list                                   Credentials held: copies left, status last read.
  present --request <openid4vp link> | --scanner <terminal id> --query <DCQL JSON>
          [--yes] [--png <file>] [--show-qr]
                                         Shows exactly what would be disclosed to whom, asks, then presents
                                         one one-time copy per credential and prints the QR text.
  status                                 Checks the credentials against the issuers' published status lists.
  refresh                                Asks the issuers for fresh copies of credentials that run low.
  history [--format json|csv] [--out <file>]
                                         Exports what was disclosed, to whom, when.
  backup --out <file>                    Writes an encrypted backup (its own passphrase).
  restore --from <backup> [--no-reissue] Restores a backup into a new wallet file, then asks the issuers for
                                         new copies of credentials whose keys could not move.`;

/** What the wallet CLI needs from its surroundings; tests replace each part. */
export interface WalletCliDeps {
  env: Readonly<Record<string, string | undefined>>;
  /** Asks a question at the terminal (`hidden` for passphrases). */
  prompt(question: string, options?: { hidden?: boolean }): Promise<string>;
  fetch: FetchLike;
  /** Clock, epoch milliseconds. */
  now(): number;
}

const FILE_OPTION = { wallet: { type: 'string' } } as const;

/**
 * The `urbis wallet` subcommand over injected surroundings.
 *
 * @example
 * ```ts
 * const command = createWalletCommand({ env: { URBIS_WALLET_PASSPHRASE: 'p' }, prompt: async () => 'y', fetch, now: Date.now });
 * await command.run(['list'], io);
 * ```
 */
export function createWalletCommand(deps: WalletCliDeps): Subcommand {
  const passphrase = async (variable: 'URBIS_WALLET_PASSPHRASE' | 'URBIS_BACKUP_PASSPHRASE', question: string): Promise<string> => {
    const value = deps.env[variable] ?? (await deps.prompt(question, { hidden: true }));
    if (value === '') throw new UrbisError('INVALID_ARGUMENT', `an empty passphrase (${variable})`);
    return value;
  };
  const pathOf = (values: Record<string, unknown>): string => (typeof values.wallet === 'string' ? values.wallet : DEFAULT_WALLET_PATH);
  const open = async (values: Record<string, unknown>): Promise<WalletStore> =>
    openWalletStore({ storage: createFileStorage({ path: pathOf(values) }), passphrase: await passphrase('URBIS_WALLET_PASSPHRASE', 'Wallet passphrase: ') });
  const nowSeconds = () => Math.floor(deps.now() / 1000);
  const confirm = async (question: string, yes: boolean): Promise<boolean> => yes || /^(y|yes|s|sí|si|o|oui)$/i.test((await deps.prompt(`${question} [y/N] `)).trim());

  const actions = {
    init: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, FILE_OPTION);
      await createWalletStore({ storage: createFileStorage({ path: pathOf(values) }), passphrase: await passphrase('URBIS_WALLET_PASSPHRASE', 'New wallet passphrase: ') });
      io.out(`wallet created: ${pathOf(values)}`);
      return 0;
    },

    trust: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...FILE_OPTION, issuer: { type: 'string' }, name: { type: 'string' } });
      const entry = await trustIssuer({ store: await open(values), issuerUrl: required(values, 'issuer'), name: required(values, 'name'), now: nowSeconds() });
      io.out(`trusted: ${entry.name} (${entry.issuerUrl})`);
      return 0;
    },

    untrust: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...FILE_OPTION, issuer: { type: 'string' } });
      const removed = await distrustIssuer({ store: await open(values), issuerUrl: required(values, 'issuer') });
      io.out(removed ? 'removed from the trust list (its credentials stay in the wallet)' : 'that issuer was not in the trust list');
      return 0;
    },

    accept: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...FILE_OPTION, offer: { type: 'string' }, 'tx-code': { type: 'string' }, batch: { type: 'string' }, trust: { type: 'boolean' }, yes: { type: 'boolean' } });
      const store = await open(values);
      const preview = await inspectOffer({ offer: required(values, 'offer'), trustList: trustListOf(await store.load()), fetch: deps.fetch });
      if (preview.trusted === undefined) {
        const declared = preview.issuerDisplay[0]?.name;
        if (values.trust !== (true as unknown)) {
          throw new UrbisError('ISSUER_UNTRUSTED', `${preview.issuerUrl} is not in the wallet's trust list: check it is your city's, then run again with --trust (or \`urbis wallet trust\`)`);
        }
        io.out(`This offer comes from ${preview.issuerUrl}${declared === undefined ? '' : `, which calls itself "${declared}" (self-declared, not vouched for)`}.`);
        if (!(await confirm('Trust this issuer from now on?', values.yes === (true as unknown)))) {
          io.out('nothing accepted');
          return 1;
        }
        await trustIssuer({ store, issuerUrl: preview.issuerUrl, name: declared ?? preview.issuerUrl, now: nowSeconds() });
      }
      let txCode = values['tx-code'];
      if (preview.txCode !== undefined && txCode === undefined) {
        txCode = (await deps.prompt(`${preview.txCode.description ?? 'Transaction code sent to you'}: `)).trim();
      }
      const received = await receiveOffer({
        store,
        offer: preview.offer,
        fetch: deps.fetch,
        now: deps.now,
        ...(txCode === undefined ? {} : { txCode }),
        ...(values.batch === undefined ? {} : { batchSize: positiveInteger(values.batch, 'batch') }),
      });
      io.out(`from ${received.issuerName} (${received.issuerUrl}):`);
      printReceived(io, received.configurations);
      return received.configurations.some((c) => c.outcome === 'failed') ? 1 : 0;
    },

    pending: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, FILE_OPTION);
      const outcomes = await collectPending({ store: await open(values), fetch: deps.fetch, now: deps.now });
      if (outcomes.length === 0) io.out('nothing pending');
      printReceived(io, outcomes);
      return outcomes.some((c) => c.outcome === 'failed') ? 1 : 0;
    },

    list: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, FILE_OPTION);
      const document = await (await open(values)).load();
      const stocks = copyInventory(document);
      if (stocks.length === 0) io.out('no credentials yet');
      for (const s of stocks) {
        const status = s.status === undefined ? 'status not checked' : s.status.toUpperCase();
        io.out(`${label(s)}  ${s.format}  ${s.unspent} unused / ${s.spent} used  ${status}${s.low ? '  (few copies left: urbis wallet refresh)' : ''}`);
      }
      for (const p of document.pendingIssuances ?? []) io.out(`${p.configurationId}: waiting for the issuer (urbis wallet pending)`);
      io.out(`trusted issuers: ${document.trustedIssuers.map((t) => `${t.name} (${t.issuerUrl})`).join(', ') || 'none'}`);
      return 0;
    },

    present: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, {
        ...FILE_OPTION,
        request: { type: 'string' },
        scanner: { type: 'string' },
        query: { type: 'string' },
        yes: { type: 'boolean' },
        png: { type: 'string' },
        'show-qr': { type: 'boolean' },
      });
      const store = await open(values);
      const document = await store.load();
      let consent: Consent;
      if (values.request !== undefined) {
        if (values.scanner !== undefined) throw new UrbisError('INVALID_ARGUMENT', 'give either --request or --scanner');
        consent = await prepareConsent({ request: parsePresentationRequest(values.request), document });
      } else {
        const query = parseDcqlQuery(parseJson(required(values, 'query'), 'query'));
        consent = await prepareConsent({ scanner: scannerBinding({ terminalId: required(values, 'scanner'), dcqlQuery: query }), document });
      }
      printConsent(io, consent);
      if (!(await confirm('Disclose exactly this?', values.yes === (true as unknown)))) {
        io.out('nothing disclosed');
        return 1;
      }
      const result = await presentWithConsent({ consent, store, now: nowSeconds() });
      const qr = await presentationQr({ text: result.text });
      io.out(`presentation: ${new TextEncoder().encode(result.text).length} bytes as text, ${qr.data.length} in the QR (compact), QR version ${qr.version}-${qr.level} (${qr.size}×${qr.size} modules)`);
      if (values['show-qr'] === (true as unknown)) io.out(await QRCode.toString([{ data: qr.data, mode: 'byte' }], { type: 'terminal', small: true, errorCorrectionLevel: qr.level, version: qr.version }));
      if (values.png !== undefined) {
        await writeFile(values.png, await presentationQrPng({ qr }));
        io.out(`QR written to ${values.png}`);
      }
      io.out(result.text);
      const low = consent.items.filter((i) => i.lowOnCopies);
      if (low.length > 0) {
        for (const item of low) io.out(`only ${item.remainingCopies} ${item.remainingCopies === 1 ? 'copy' : 'copies'} of ${label(item)} left: asking the issuer for more`);
        printRefreshed(io, await refreshCopies({ store, fetch: deps.fetch, now: deps.now }));
      }
      return 0;
    },

    status: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, FILE_OPTION);
      const check = await checkCredentialStatus({ store: await open(values), fetch: deps.fetch, now: deps.now });
      for (const c of check.credentials) {
        const counts = Object.entries(c.copies).map(([status, n]) => `${n} ${status}`).join(', ');
        io.out(`${label(c)}: ${c.status.toUpperCase()} (${counts})`);
      }
      for (const f of check.failures) io.err(`could not read ${f.uri}: ${f.code} (the status shown is the last one read)`);
      if (check.credentials.length === 0 && check.failures.length === 0) io.out('no credential to check');
      return check.failures.length > 0 ? 1 : 0;
    },

    refresh: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...FILE_OPTION, batch: { type: 'string' } });
      const outcomes = await refreshCopies({ store: await open(values), fetch: deps.fetch, now: deps.now, ...(values.batch === undefined ? {} : { batchSize: positiveInteger(values.batch, 'batch') }) });
      if (outcomes.length === 0) io.out('every credential has copies enough');
      printRefreshed(io, outcomes);
      return outcomes.some((o) => o.outcome === 'failed') ? 1 : 0;
    },

    history: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...FILE_OPTION, format: { type: 'string' }, out: { type: 'string' } });
      const text = exportHistory({ document: await (await open(values)).load(), format: (values.format ?? 'json') as HistoryExportFormat });
      if (values.out === undefined) io.out(text.trimEnd());
      else {
        await writeFile(values.out, text, { mode: 0o600 });
        io.out(`history written to ${values.out}`);
      }
      return 0;
    },

    backup: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...FILE_OPTION, out: { type: 'string' } });
      const out = required(values, 'out');
      if (existsSync(out)) throw new UrbisError('WALLET_EXISTS', `${out} exists: choose another file`);
      const store = await open(values);
      const backup = await createBackup({ store, passphrase: await passphrase('URBIS_BACKUP_PASSPHRASE', 'Backup passphrase: ') });
      await writeFile(out, backup, { mode: 0o600, flag: 'wx' });
      io.out(`backup written to ${out} (${backup.length} bytes)`);
      return 0;
    },

    restore: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { ...FILE_OPTION, from: { type: 'string' }, 'no-reissue': { type: 'boolean' } });
      const backup = await readFile(required(values, 'from'));
      const { store, restoredCredentialIds, needReissuance } = await restoreBackup({
        backup,
        passphrase: await passphrase('URBIS_BACKUP_PASSPHRASE', 'Backup passphrase: '),
        targetStorage: createFileStorage({ path: pathOf(values) }),
        targetPassphrase: await passphrase('URBIS_WALLET_PASSPHRASE', 'New wallet passphrase: '),
      });
      io.out(`restored ${restoredCredentialIds.length} copies into ${pathOf(values)}; ${needReissuance.length} need re-issuance`);
      if (needReissuance.length === 0 || values['no-reissue'] === (true as unknown)) return 0;
      const outcomes = await reissueAfterRestore({ store, needs: needReissuance, fetch: deps.fetch, now: deps.now });
      printRefreshed(io, outcomes);
      return outcomes.some((o) => o.outcome === 'failed') ? 1 : 0;
    },
  };

  return {
    name: 'wallet',
    summary: 'the citizen wallet: receive, hold and present credentials',
    usage: USAGE,
    run: (args, io) => runAction({ command: 'wallet', usage: USAGE, actions, args, io }),
  };
}

/** `urbis wallet` with the process's environment, terminal and network. */
export const walletCommand: Subcommand = createWalletCommand({
  env: process.env,
  prompt: askAtTerminal,
  fetch: (url, init) => globalThis.fetch(url, init),
  now: () => Date.now(),
});

/** Asks on stderr/stdin; a hidden question does not echo what is typed. */
async function askAtTerminal(question: string, { hidden = false }: { hidden?: boolean } = {}): Promise<string> {
  if (!process.stdin.isTTY && hidden) throw new UrbisError('INVALID_ARGUMENT', 'no terminal to ask a passphrase at: set URBIS_WALLET_PASSPHRASE / URBIS_BACKUP_PASSPHRASE');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
  if (hidden) {
    const output = rl as unknown as { _writeToOutput?: (s: string) => void };
    let asked = false;
    output._writeToOutput = (s: string) => {
      if (!asked) {
        process.stderr.write(s);
        asked = true;
      }
    };
  }
  try {
    return await rl.question(question);
  } finally {
    if (hidden) process.stderr.write('\n');
    rl.close();
  }
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UrbisError('INVALID_ARGUMENT', `--${name} is required`);
  return value;
}

function positiveInteger(value: string, name: string): number {
  const n = Number(value);
  if (!/^\d{1,3}$/.test(value) || n < 1) throw new UrbisError('INVALID_ARGUMENT', `--${name} is a positive integer`);
  return n;
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', `--${name} is not JSON`, { cause });
  }
}

function label(item: { credentialType: string; serviceId?: string }): string {
  return item.serviceId === undefined ? item.credentialType : `${item.credentialType} (${item.serviceId})`;
}

function printConsent(io: CliIo, consent: Consent): void {
  io.out(`${consent.verifier} asks for:`);
  for (const item of consent.items) {
    io.out(`  ${label(item)} from ${item.issuerId}`);
    if (item.disclosed.length === 0) io.out('    no claim beyond the credential itself (type, issuer, validity, status)');
    item.disclosed.forEach((path, i) => io.out(`    ${path.join('.')} = ${JSON.stringify(item.values[i])}`));
    io.out(`    ${item.remainingCopies} unused ${item.remainingCopies === 1 ? 'copy' : 'copies'} left after this one`);
  }
  io.out('Nothing else is disclosed; this one-time copy is never shown again.');
}

function printReceived(io: CliIo, configurations: readonly ReceivedConfiguration[]): void {
  for (const c of configurations) {
    const what = c.credentialType === undefined ? c.configurationId : label({ credentialType: c.credentialType, ...(c.serviceId === undefined ? {} : { serviceId: c.serviceId }) });
    if (c.outcome === 'received') io.out(`  ${what}: ${c.copies} one-time copies received`);
    else if (c.outcome === 'pending') io.out(`  ${what}: the issuer will answer later (urbis wallet pending)`);
    else io.out(`  ${what}: failed (${c.code})`);
  }
}

function printRefreshed(io: CliIo, outcomes: readonly RefreshOutcome[]): void {
  for (const o of outcomes) {
    if (o.outcome === 'received') io.out(`  ${o.configurationId}: ${o.copies} fresh copies`);
    else if (o.code === 'REFRESH_NOT_AVAILABLE') io.out(`  ${o.configurationId}: no way back to ${o.issuerUrl}: ask the city for a new offer`);
    else io.out(`  ${o.configurationId}: ${o.outcome === 'pending' ? 'pending' : `failed (${o.code})`}`);
  }
}
