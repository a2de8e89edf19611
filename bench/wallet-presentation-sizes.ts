import QRCode from 'qrcode';
import type { NodeCryptoSuite } from '../core/crypto/node-crypto.js';
import type { PublicJwk } from '../core/crypto/ports.js';
import { base64urlDecode, base64urlEncode } from '../core/encoding/base64url.js';
import { presentCredential } from '../core/presentation/present-credential.js';
import { StatusList } from '../core/status/status-list.js';
import { createStatusReader } from '../core/status/status-reader.js';
import { createSnapshotStatusSource } from '../core/status/status-source.js';
import { createTrustedIssuerLookup } from '../core/trust/trusted-issuer.js';
import { createPresentationVerifier } from '../core/verification/create-presentation-verifier.js';
import type { SdJwtCredentialFormat } from '../core/verification/verification-result.js';
import type { QrLevel } from '../core/qr/qr-code.js';
import { presentationQr } from '../holder-wallet/qr/presentation-qr.js';
import { CITY, DISCLOSED_CLAIM_SETS, issueResidentCopies, randomStatusIndices, type CityIssuer } from './city-issuer-copies.js';
import { issueVariant, SIZE_STEPS, type IssuanceVariant } from './presentation-size-steps.js';

/** Copies issued per format and step (sizes vary with random decoy counts and status index digits). */
export const SIZE_SAMPLES = 12;
/** Highest QR version the 2-claim goal allows, at level L. */
export const QR_GOAL_VERSION = 25;
/** The terminal the presentations are bound to, and a 128-bit nonce as a terminal (or the scanner flow) makes one. */
export const AUDIENCE = 'urn:urbis:terminal:gijon-pool-1';

/** Bytes of the presentations of one claim set, and the QR code of the largest. */
export interface SizeFigure {
  bytes: { min: number; median: number; max: number };
  /**
   * QR code of the largest sample: the version at level L; for the last
   * applied step, the wallet's `presentationQr` choice (smallest version,
   * most redundant level at it). Other steps report level L. Version 41
   * stands for "does not fit a version-40 code".
   */
  qr: { version: number; level: QrLevel; versionAtL: number };
  /**
   * Last applied step only: what the wallet's QR carries, core's compact
   * form (base64url pieces as raw bytes, deflated; Urbis terminals read it):
   * its bytes, the version and level `presentationQr` chose, the version at L.
   */
  compactQr?: { bytes: number; version: number; level: QrLevel; versionAtL: number };
}

/** One issuance step: its change, copy size, and presentation sizes per claim set. */
export interface SizeStepReport {
  change: string;
  kind: IssuanceVariant['kind'];
  copyBytesMedian: number;
  presentations: Record<string, SizeFigure>;
  /** Median bytes saved per claim set: against the step before (applied steps) or the last applied step (what-ifs). */
  savedBytes?: Record<string, number>;
}

/** Other ways to lay the same (applied) presentation out in a QR code (the wallet uses core's compact form: see `compactQr`). */
export interface QrEncodingWhatIf {
  encoding: string;
  /** Version at level L per claim set (largest sample). */
  versionAtL: Record<string, number | undefined>;
}

/** Everything part (c) of the wallet benchmark reports for one format. */
export interface FormatSizeReport {
  format: SdJwtCredentialFormat;
  /** Per claim set: the first step (before the size work) and the last applied one (now). */
  beforeAfter: Record<string, { before: SizeFigure; after: SizeFigure; savedBytes: number }>;
  steps: SizeStepReport[];
  qrEncodingWhatIfs: QrEncodingWhatIf[];
}

/**
 * Presentation sizes of a ResidentCredential as the city issuer issues it,
 * per issuance step (see {@link SIZE_STEPS}), for each claim set of
 * {@link DISCLOSED_CLAIM_SETS}: {@link SIZE_SAMPLES} copies, each presented
 * with core's `presentCredential` (what the wallet's `presentWithConsent`
 * calls) to {@link AUDIENCE} with a fresh 128-bit nonce, and laid out with
 * the wallet's `presentationQr`.
 *
 * Checks, and throws if they fail: the last applied step gives exactly the
 * sizes of core's `issueCredentialBatch` (the real issuance), and its
 * presentations verify with core's verifier.
 */
export async function measurePresentationSizes({ crypto, issuer, nowMs }: { crypto: NodeCryptoSuite; issuer: CityIssuer; nowMs: number }): Promise<FormatSizeReport[]> {
  const now = Math.floor(nowMs / 1000);
  const verify = createPresentationVerifier({
    crypto,
    trust: createTrustedIssuerLookup([issuer.trustedIssuer]),
    status: createSnapshotStatusSource({
      syncedAt: now - 60,
      lists: new Map([[issuer.statusListUri, createStatusReader({ list: StatusList.create({ size: CITY.statusListSize, bits: 2 }) })]]),
    }),
  });
  const lastApplied = SIZE_STEPS.reduce((last, step, i) => (step.kind === 'applied' ? i : last), 0);
  const reports: FormatSizeReport[] = [];
  for (const format of ['dc+sd-jwt', 'vc+sd-jwt'] as const) {
    const holders = Array.from({ length: SIZE_SAMPLES }, () => crypto.generateKeyPair());
    const indices = randomStatusIndices({ count: SIZE_SAMPLES, crypto });
    const steps: SizeStepReport[] = [];
    let appliedTexts: Record<string, string> = {};
    for (let s = 0; s < SIZE_STEPS.length; s++) {
      const variant = SIZE_STEPS[s]!;
      const copies: string[] = [];
      for (let i = 0; i < SIZE_SAMPLES; i++) {
        copies.push(await issueVariant({ variant, issuer, format, holderPublicJwk: holders[i]!.publicJwk, statusIndex: indices[i]!, nowMs, crypto }));
      }
      if (s === lastApplied) await checkSameAsIssuance({ copies, issuer, format, holderKeys: holders.map((h) => h.publicJwk), statusIndices: indices, nowMs, crypto });
      const presentations: Record<string, SizeFigure> = {};
      const largest: Record<string, string> = {};
      for (const { name, claims } of DISCLOSED_CLAIM_SETS) {
        const texts: string[] = [];
        for (let i = 0; i < SIZE_SAMPLES; i++) {
          const nonce = base64urlEncode(crypto.randomBytes(16));
          const holderKey = crypto.signingKeyFromJwk({ privateJwk: holders[i]!.privateJwk });
          const text = await presentCredential({ credential: copies[i]!, claims, nonce, audience: AUDIENCE, holderKey, hash: crypto.hash, now });
          if (s === lastApplied && i === 0) {
            const result = await verify({ presentation: text, keyBinding: { nonce, audience: AUDIENCE }, now });
            if (!result.ok) throw new Error(`an applied-step presentation does not verify: ${result.failures.map((f) => f.code).join(', ')}`);
          }
          texts.push(text);
        }
        const lengths = texts.map((t) => t.length).sort((a, b) => a - b);
        largest[name] = texts.reduce((a, b) => (b.length > a.length ? b : a));
        presentations[name] = {
          bytes: { min: lengths[0]!, median: medianOf(lengths), max: lengths[lengths.length - 1]! },
          qr: await qrOf(largest[name], { full: s === lastApplied }),
          ...(s === lastApplied ? { compactQr: await compactQrOf(largest[name]) } : {}),
        };
      }
      if (s === lastApplied) appliedTexts = largest;
      const step: SizeStepReport = { change: variant.change, kind: variant.kind, copyBytesMedian: medianOf(copies.map((c) => c.length)), presentations };
      const reference = variant.kind === 'what-if' ? steps[lastApplied] : steps[s - 1];
      if (reference !== undefined) {
        step.savedBytes = Object.fromEntries(DISCLOSED_CLAIM_SETS.map(({ name }) => [name, reference.presentations[name]!.bytes.median - presentations[name]!.bytes.median]));
      }
      steps.push(step);
    }
    const beforeAfter = Object.fromEntries(
      DISCLOSED_CLAIM_SETS.map(({ name }) => {
        const before = steps[0]!.presentations[name]!;
        const after = steps[lastApplied]!.presentations[name]!;
        return [name, { before, after, savedBytes: before.bytes.median - after.bytes.median }];
      }),
    );
    reports.push({ format, beforeAfter, steps, qrEncodingWhatIfs: qrWhatIfs(appliedTexts) });
  }
  return reports;
}

/** The last applied step must be what core's issuance gives: the same lengths for the same holder keys and status indices. */
async function checkSameAsIssuance({
  copies,
  issuer,
  format,
  holderKeys,
  statusIndices,
  nowMs,
  crypto,
}: {
  copies: readonly string[];
  issuer: CityIssuer;
  format: SdJwtCredentialFormat;
  holderKeys: readonly PublicJwk[];
  statusIndices: readonly number[];
  nowMs: number;
  crypto: NodeCryptoSuite;
}): Promise<void> {
  const real = await issueResidentCopies({ issuer, format, holderKeys, statusIndices, nowMs, crypto });
  const mismatch = real.findIndex((c, i) => c.length !== copies[i]!.length);
  if (mismatch >= 0) throw new Error(`the size steps do not reproduce issueCredentialBatch (${format}, copy ${mismatch})`);
}

/**
 * The QR code of `text`: with `full`, the wallet's own `presentationQr`
 * (version, most redundant level at it, version at L); otherwise only the
 * version at level L (what the goal is about, without drawing the SVG).
 * Version 41 stands for "does not fit version 40".
 */
async function qrOf(text: string, { full }: { full: boolean }): Promise<SizeFigure['qr']> {
  if (full) {
    const qr = await presentationQr({ text, encoding: 'text' }).catch(() => undefined);
    return qr === undefined ? { version: 41, level: 'L', versionAtL: 41 } : { version: qr.version, level: qr.level, versionAtL: qr.versionByLevel.L ?? 41 };
  }
  const versionAtL = versionAtLevelL([{ data: new TextEncoder().encode(text), mode: 'byte' }]) ?? 41;
  return { version: versionAtL, level: 'L', versionAtL };
}

/** The wallet's own QR of a presentation: the compact form (the default encoding). */
async function compactQrOf(text: string): Promise<NonNullable<SizeFigure['compactQr']>> {
  const qr = await presentationQr({ text });
  return { bytes: qr.data.length, version: qr.version, level: qr.level, versionAtL: qr.versionByLevel.L ?? 41 };
}

/** The smallest version holding `segments` at level L, or undefined past version 40. */
function versionAtLevelL(segments: QRCode.QRCodeSegment[]): number | undefined {
  try {
    return QRCode.create(segments, { errorCorrectionLevel: 'L' }).version;
  } catch {
    return undefined;
  }
}

/**
 * What-ifs for the QR layout of the same text: numeric mode with two digits
 * per character (as SMART Health Cards lay out a JWS), and the base64url
 * segments sent as raw bytes (one separator byte each). Both need a terminal
 * that decodes them.
 */
function qrWhatIfs(texts: Record<string, string>): QrEncodingWhatIf[] {
  const at = versionAtLevelL;
  const numeric = (text: string): string => Array.from(text, (c) => String(c.charCodeAt(0) - 45).padStart(2, '0')).join('');
  const binaryBytes = (text: string): number => text.split(/[.~]/).reduce((n, part) => n + base64urlDecode(part).length + 1, 0);
  return [
    { encoding: 'numeric mode, 2 digits per character (SMART Health Cards style)', versionAtL: mapValues(texts, (t) => at([{ data: numeric(t), mode: 'numeric' }])) },
    { encoding: 'byte mode, base64url segments decoded to raw bytes (1 separator byte each)', versionAtL: mapValues(texts, (t) => at([{ data: new Uint8Array(binaryBytes(t)), mode: 'byte' }])) },
  ];
}

function mapValues<T>(record: Record<string, string>, f: (value: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

function medianOf(sorted: readonly number[]): number {
  const s = [...sorted].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}
