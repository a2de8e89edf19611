import type { Base64urlHasher, Hasher, SignatureVerifier } from '../../core/crypto/ports.js';
import { UrbisError, isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { decodeCompactPresentation, isCompactPresentation } from '../../core/presentation/compact-presentation.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { layoutQr, type QrLevel } from '../../core/qr/qr-code.js';
import { splitSdJwt } from '../../core/sd-jwt/compact-sd-jwt.js';
import type { ReplayCache } from '../../core/trust/replay-cache.js';
import { createPresentationVerifier, type PresentationVerifier } from '../../core/verification/create-presentation-verifier.js';
import { DEFAULT_VERIFICATION_LIMITS } from '../../core/verification/verification-policy.js';
import type { VerificationCheck, VerificationFailure } from '../../core/verification/verification-result.js';
import type { OutcomeCounters } from '../counters/outcome-counters.js';
import { applyServicePolicy } from '../policy/apply-service-policy.js';
import type { ServicePolicies, ServicePolicy } from '../policy/service-policy.js';
import { verificationLimitsFor } from '../policy/verification-limits-for.js';
import { keyBindingNonceOf } from '../requests/key-binding-nonce.js';
import { isPaperPassText } from '../requests/paper-pass-text.js';
import type { RequestIssuer } from '../requests/request-issuer.js';
import type { TerminalSnapshot } from '../snapshot/terminal-snapshot.js';

/**
 * A service-point terminal (DESIGN §4): requests with fresh nonces, offline
 * verification from the snapshot in DESIGN order (core's verifier), the
 * service's policy, a replay cache that survives restarts, and aggregate
 * counts — nothing else is kept or logged. The HTTP API and the CLI are
 * thin layers over this.
 */

/** A request for the terminal's screen: the QR the wallet scans. */
export interface TerminalRequest {
  /** Random handle of the request (not in the QR). */
  id: string;
  serviceId: string;
  /** `openid4vp://?…` — the QR's text. */
  link: string;
  qr: { version: number; level: QrLevel; svg: string };
  /** Epoch seconds. */
  expiresAt: number;
}

/** One failed check as the terminal reports it: the check, its stable code, and a detail that names checks and claim paths, never values. */
export interface TerminalFailure {
  check: VerificationCheck;
  code: UrbisErrorCode;
  detail: string;
}

/**
 * How the presentation reached the terminal: an answer to its request, a
 * wallet's scanner-only presentation, or a printed paper pass scanned
 * (issue #8: bearer, no key binding, accepted only where the service's
 * policy has `paperAccepted`).
 */
export type TerminalFlow = 'request' | 'scanner' | 'paper';

/** The terminal's answer: accepted (with only what the policy asked for) or rejected with every failed check. */
export type TerminalVerdict =
  | {
      ok: true;
      serviceId: string;
      flow: TerminalFlow;
      /** The policy alternative satisfied (e.g. `entitlement`, `senior`). */
      accepted: string;
      credentialType: string;
      /** Only the claims the policy asked for (e.g. `{ age_over_65: true }`). */
      claims: Record<string, unknown>;
      /** Non-fatal findings (e.g. a snapshot older than the policy's limit under `staleSnapshot: 'warn'`). */
      warnings: TerminalFailure[];
    }
  | { ok: false; serviceId?: string; flow?: TerminalFlow; failures: TerminalFailure[] };

/** What the terminal reports about itself: counts and ages only. */
export interface TerminalHealth {
  terminalId: string;
  status: 'ok' | 'degraded';
  services: string[];
  snapshot: ReturnType<TerminalSnapshot['health']>;
  replay: { entries: number; capacity?: number };
  requests: ReturnType<RequestIssuer['stats']>;
  counts: ReturnType<OutcomeCounters['snapshot']>;
}

/** Everything a terminal is built from (all local: it verifies offline). */
export interface TerminalParts {
  terminalId: string;
  policies: ServicePolicies;
  snapshot: Pick<TerminalSnapshot, 'ports' | 'health'>;
  replayCache: ReplayCache & { size(): number; stats?(): { capacity: number; failing?: boolean } };
  requests: RequestIssuer;
  counters: OutcomeCounters;
  crypto: { hash: Hasher; hashBase64url?: Base64urlHasher; verifySignature: SignatureVerifier };
  /**
   * The service a presentation without a pending request is checked for
   * (DESIGN §4 flow b, scanner-only terminals); without it, only answers to
   * this terminal's requests are verified.
   */
  scannerServiceId?: string;
  /** Largest `iat` age of a scanner-only presentation, seconds (core's default: 60). */
  scannerMaxAgeSeconds?: number;
  /** Clock, epoch seconds. */
  now?: () => number;
}

/** A terminal. */
export interface Terminal {
  readonly terminalId: string;
  /** The services this terminal checks for, in policy-file order. */
  services(): ServicePolicy[];
  /**
   * A new request for a service (fresh nonce, the policy's DCQL query) and its QR.
   * @throws UrbisError `SERVICE_UNKNOWN` for a service this terminal has no policy for.
   */
  newRequest(args: { serviceId: string }): Promise<TerminalRequest>;
  /**
   * Verifies a presentation: the text (SD-JWT+KB, or a one-entry `vp_token`
   * JSON) or the wallet QR's compact bytes. An answer to a pending request is
   * checked against that request's nonce and service; a printed paper pass
   * (no key binding) against `serviceId`, else the scanner service, else the
   * terminal's only service; any other answer against the scanner service,
   * if the terminal has one. Never throws for a bad presentation: every
   * failed check is in the verdict, and counted.
   * @throws UrbisError `SERVICE_UNKNOWN` when `serviceId` names no policy.
   */
  verify(args: { presentation: string | Uint8Array; serviceId?: string }): Promise<TerminalVerdict>;
  health(): TerminalHealth;
}

/**
 * Builds a terminal from its parts (see `openTerminal` for the parts a real
 * terminal opens from its data folder).
 *
 * A pending request is used up when an answer naming its nonce arrives,
 * before that answer is verified: one answer per request, and the terminal
 * shows a new QR after any answer (someone who photographs the QR can only
 * spend the request, never pass it). So at a request-flow terminal a
 * replayed answer is `KB_NONCE_MISMATCH` (its request is gone); `KB_REPLAYED`
 * is what a scanner-only terminal's replay cache answers.
 *
 * @example
 * ```ts
 * const terminal = createTerminal({ terminalId, policies, snapshot, replayCache, requests, counters, crypto });
 * const { link, qr } = await terminal.newRequest({ serviceId: 'pools' });
 * const verdict = await terminal.verify({ presentation: scannedBytes });
 * ```
 */
export function createTerminal(parts: TerminalParts): Terminal {
  const { terminalId, policies, snapshot, replayCache, requests, counters, crypto, scannerServiceId, scannerMaxAgeSeconds } = parts;
  const now = parts.now ?? (() => Math.floor(Date.now() / 1000));
  if (scannerServiceId !== undefined && !policies.has(scannerServiceId)) {
    throw new UrbisError('CONFIG_INVALID', 'the scanner service has no policy on this terminal');
  }
  // Request flow: the request's one-time nonce is the replay guard (a nonce is taken once, and a restarted
  // terminal has no pending request left), so the replay cache is written behind the answer. Scanner flow:
  // the wallet chose the nonce, the cache is the only guard, and an acceptance waits until it is on disk.
  const writeBehind: ReplayCache = {
    has: (key, at) => replayCache.has(key, at),
    remember: (key, expiresAt) => {
      const written = replayCache.remember(key, expiresAt);
      if (written instanceof Promise) written.catch(() => undefined); // a failed write is retried by the journal's next write
    },
  };
  const verifiers = new Map<string, PresentationVerifier>();
  const verifierFor = (policy: ServicePolicy, flow: TerminalFlow): PresentationVerifier => {
    const key = `${flow}:${policy.serviceId}`;
    let verifier = verifiers.get(key);
    if (verifier === undefined) {
      verifier = createPresentationVerifier({
        crypto,
        trust: snapshot.ports.trust,
        status: snapshot.ports.status,
        replayCache: flow === 'scanner' ? replayCache : writeBehind,
        limits: verificationLimitsFor(policy),
      });
      verifiers.set(key, verifier);
    }
    return verifier;
  };
  const policyOf = (serviceId: string): ServicePolicy => {
    const policy = policies.get(serviceId);
    if (policy === undefined) throw new UrbisError('SERVICE_UNKNOWN', 'this terminal has no policy for that service');
    return policy;
  };
  const count = (verdict: TerminalVerdict): TerminalVerdict => {
    if (verdict.serviceId !== undefined) {
      counters.record(verdict.ok ? { serviceId: verdict.serviceId, outcome: 'accepted' } : { serviceId: verdict.serviceId, outcome: 'rejected', codes: [...new Set(verdict.failures.map((f) => f.code))] });
    }
    return verdict;
  };

  /** Core's verification, then the service policy; the verdict counted. */
  const verifyAndApply = async ({
    policy,
    flow,
    text,
    keyBinding,
  }: {
    policy: ServicePolicy;
    flow: TerminalFlow;
    text: string;
    keyBinding: Parameters<PresentationVerifier>[0]['keyBinding'];
  }): Promise<TerminalVerdict> => {
    let result;
    try {
      result = await verifierFor(policy, flow)({ presentation: text, keyBinding, now: now() });
    } catch (error) {
      // Only the replay journal's write can throw here: fail closed.
      if (!isUrbisError(error)) throw error;
      return count({ ok: false, serviceId: policy.serviceId, flow, failures: [{ check: 'replay', code: error.code, detail: 'the replay cache could not record the presentation' }] });
    }
    const ageSeconds = snapshot.health().ageSeconds;
    const final = applyServicePolicy({ policy, result, ...(typeof ageSeconds === 'number' ? { snapshotAgeSeconds: ageSeconds } : {}) });
    if (!final.ok) return count({ ok: false, serviceId: policy.serviceId, flow, failures: final.failures.map(terminalFailure) });
    return count({ ok: true, serviceId: policy.serviceId, flow, accepted: final.accepted, credentialType: final.type, claims: final.claims, warnings: final.warnings.map(terminalFailure) });
  };

  return {
    terminalId,
    services: () => [...policies.values()],

    async newRequest({ serviceId }) {
      const pending = requests.newRequest({ policy: policyOf(serviceId) });
      const qr = await layoutQr({ data: pending.link });
      return { id: pending.id, serviceId, link: pending.link, qr: { version: qr.version, level: qr.level, svg: qr.svg }, expiresAt: pending.expiresAt };
    },

    async verify({ presentation: input, serviceId }) {
      if (serviceId !== undefined) policyOf(serviceId);
      // A rejection is counted under the service asked for, or a scanner terminal's own service.
      const countedAs = serviceId ?? scannerServiceId;
      const text = presentationText(input);
      if (typeof text !== 'string') return count({ ...text, ...(countedAs === undefined ? {} : { serviceId: countedAs }) });
      const nonce = keyBindingNonceOf({ presentation: text });
      if (nonce === undefined && isPaperPassText({ text })) {
        const paperService = countedAs ?? (policies.size === 1 ? [...policies.keys()][0] : undefined);
        if (paperService === undefined) {
          return count({ ok: false, flow: 'paper', failures: [{ check: 'input', code: 'SERVICE_UNKNOWN', detail: 'say which service this paper pass is scanned for' }] });
        }
        return verifyAndApply({ policy: policyOf(paperService), flow: 'paper', text, keyBinding: { paper: true } });
      }
      const pending = nonce === undefined ? undefined : requests.take({ nonce });
      let policy: ServicePolicy;
      let flow: TerminalFlow;
      let keyBinding: Parameters<PresentationVerifier>[0]['keyBinding'];
      if (pending !== undefined) {
        if (serviceId !== undefined && serviceId !== pending.serviceId) {
          return count({ ok: false, serviceId, flow: 'request', failures: [{ check: 'policy', code: 'POLICY_SERVICE_MISMATCH', detail: "the answer is to another service's request" }] });
        }
        policy = pending.policy;
        flow = 'request';
        keyBinding = { nonce: pending.nonce, audience: terminalId };
      } else if (scannerServiceId !== undefined && countedAs === scannerServiceId) {
        // Scanner-only presentations (a nonce of the wallet's own) only for the service configured as scanner-only.
        policy = policyOf(scannerServiceId);
        flow = 'scanner';
        keyBinding = { scanner: true, audience: terminalId, ...(scannerMaxAgeSeconds === undefined ? {} : { maxAgeSeconds: scannerMaxAgeSeconds }) };
      } else {
        const failure: TerminalFailure =
          nonce === undefined
            ? unreadableAnswer(text)
            : { check: 'key-binding', code: 'KB_NONCE_MISMATCH', detail: 'the answer is to no pending request of this terminal (expired, used, or never made)' };
        return count({ ok: false, ...(countedAs === undefined ? {} : { serviceId: countedAs }), flow: 'request', failures: [failure] });
      }
      return verifyAndApply({ policy, flow, text, keyBinding });
    },

    health() {
      const snapshotHealth = snapshot.health();
      const replayStats = replayCache.stats?.();
      const capacity = replayStats?.capacity;
      // Degraded: no snapshot, one older than some service's limit, a replay journal that cannot be written, or counts that restarted from a damaged file.
      const maxAge = Math.min(...[...policies.values()].map((p) => p.maxSnapshotAgeSeconds ?? Number.POSITIVE_INFINITY));
      const stale = typeof snapshotHealth.ageSeconds !== 'number' || snapshotHealth.ageSeconds > maxAge;
      const degraded = !snapshotHealth.loaded || stale || replayStats?.failing === true || counters.load.outcome === 'damaged';
      return {
        terminalId,
        status: degraded ? 'degraded' : 'ok',
        services: [...policies.keys()],
        snapshot: snapshotHealth,
        replay: { entries: replayCache.size(), ...(capacity === undefined ? {} : { capacity }) },
        requests: requests.stats(),
        counts: counters.snapshot(),
      };
    },
  };
}

/**
 * Why no request nonce could be read from an answer, with the code the
 * verifier would give: not an SD-JWT (its parse code), no key-binding JWT,
 * an undecodable one, or one without a usable nonce.
 */
function unreadableAnswer(text: string): TerminalFailure {
  if (text === '') return { check: 'input', code: 'BODY_INVALID', detail: 'no presentation' };
  try {
    const { kbJwt } = splitSdJwt(text, { maxBytes: DEFAULT_VERIFICATION_LIMITS.maxPresentationBytes });
    if (kbJwt === undefined) return { check: 'key-binding', code: 'KB_MISSING', detail: 'a key-binding JWT is required' };
    decodeCompactJws(kbJwt);
  } catch (error) {
    if (!isUrbisError(error)) throw error;
    return { check: 'input', code: error.code, detail: 'the presentation does not parse' };
  }
  return { check: 'key-binding', code: 'KB_NONCE_MISMATCH', detail: 'the key-binding JWT carries no usable nonce' };
}

function terminalFailure({ check, code, detail }: VerificationFailure): TerminalFailure {
  return { check, code, detail };
}

/** The presentation text of an input, or the input failure (size checked before anything is parsed). */
function presentationText(input: unknown): string | { ok: false; failures: TerminalFailure[] } {
  const max = DEFAULT_VERIFICATION_LIMITS.maxPresentationBytes;
  const fail = (code: UrbisErrorCode, detail: string) => ({ ok: false as const, failures: [{ check: 'input' as const, code, detail }] });
  let text: string;
  if (input instanceof Uint8Array) {
    if (input.length > max) return fail('INPUT_TOO_LARGE', 'the presentation is larger than 64 KiB');
    if (isCompactPresentation(input)) {
      try {
        text = decodeCompactPresentation({ bytes: input });
      } catch (error) {
        if (!isUrbisError(error)) throw error;
        return fail(error.code, 'the compact presentation does not decode');
      }
    } else {
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(input);
      } catch {
        return fail('BODY_INVALID', 'the presentation is neither a compact form nor UTF-8 text');
      }
    }
  } else if (typeof input === 'string') {
    // UTF-8 bytes, not characters: a character may take up to 3 bytes (4 for a surrogate pair, counted as 2 characters).
    if (input.length > max || (input.length * 3 > max && new TextEncoder().encode(input).length > max)) return fail('INPUT_TOO_LARGE', 'the presentation is larger than 64 KiB');
    text = input;
  } else {
    return fail('BODY_INVALID', 'a presentation is text or bytes');
  }
  text = text.trim();
  if (text.startsWith('{')) {
    let token: unknown;
    try {
      token = JSON.parse(text);
    } catch {
      return fail('JSON_INVALID', 'the vp_token is not JSON');
    }
    const values = typeof token === 'object' && token !== null && !Array.isArray(token) ? Object.values(token) : [];
    if (values.length !== 1 || !Array.isArray(values[0]) || values[0].length !== 1 || typeof values[0][0] !== 'string') {
      return fail('BODY_INVALID', 'a terminal takes one presentation: a vp_token with one credential query and one presentation');
    }
    text = values[0][0] as string;
  }
  return text;
}
