import { isUrbisError } from '../../errors/urbis-error.js';
import { STATUS_REVOKED, STATUS_SUSPENDED, STATUS_VALID, type StatusRef, type StatusSource } from '../../status/status-source.js';
import type { PresentationPolicy } from '../presentation-context.js';
import type { VerificationFailure } from '../verification-result.js';

/** Largest status index Urbis accepts in a credential (lists are far smaller). */
const MAX_INDEX = 2 ** 32 - 1;

/**
 * Reads the credential's status reference (IETF `status.status_list` in
 * `dc+sd-jwt`, W3C `credentialStatus` of type `BitstringStatusListEntry` in
 * `vc+sd-jwt`) and looks it up in the local status source: revoked and
 * suspended credentials fail with their own codes; a list the snapshot does
 * not have, or the reserved value 3, is `STATUS_UNKNOWN` (fail closed).
 */
export function statusPolicy({ source }: { source: StatusSource }): PresentationPolicy {
  return (context) => {
    const failures: VerificationFailure[] = [];
    const fail = (code: VerificationFailure['code'], detail: string): VerificationFailure[] => {
      failures.push({ check: 'status', code, detail });
      return failures;
    };
    const ref = readStatusRef(context.issuerJws.payload, context.format);
    if (ref === undefined) return fail('CLAIM_MISSING', 'the credential has no status reference');
    if (ref === 'invalid') return fail('CLAIM_INVALID', 'the status reference is malformed');
    context.statusRef = ref;
    const onError = (error: unknown): VerificationFailure[] => {
      if (!isUrbisError(error)) throw error;
      return fail(error.code, error.message);
    };
    const judge = (value: number): VerificationFailure[] => {
      if (value === STATUS_VALID) return failures;
      if (value === STATUS_REVOKED) return fail('STATUS_REVOKED', 'the credential is revoked');
      if (value === STATUS_SUSPENDED) return fail('STATUS_SUSPENDED', 'the credential is suspended');
      return fail('STATUS_UNKNOWN', 'the status value is reserved');
    };
    try {
      const value = source.statusOf(ref);
      return value instanceof Promise ? value.then(judge, onError) : judge(value);
    } catch (error) {
      return onError(error);
    }
  };
}

/**
 * Extracts the status reference of a credential payload.
 * @returns the reference, `undefined` when absent, `'invalid'` when malformed.
 */
export function readStatusRef(payload: Record<string, unknown>, format: string | undefined): StatusRef | 'invalid' | undefined {
  if (format === 'vc+sd-jwt') {
    const entry = payload.credentialStatus as Record<string, unknown> | undefined;
    if (entry === undefined) return undefined;
    if (typeof entry !== 'object' || entry === null || entry.type !== 'BitstringStatusListEntry') return 'invalid';
    const index = typeof entry.statusListIndex === 'string' && /^(0|[1-9]\d{0,9})$/.test(entry.statusListIndex) ? Number(entry.statusListIndex) : NaN;
    if (!Number.isInteger(index) || index > MAX_INDEX || typeof entry.statusListCredential !== 'string') return 'invalid';
    return { format: 'bitstring-status-list', uri: entry.statusListCredential, index };
  }
  const status = payload.status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined;
  if (status === undefined) return undefined;
  const list = typeof status === 'object' && status !== null ? status.status_list : undefined;
  if (typeof list !== 'object' || list === null) return 'invalid';
  const { idx, uri } = list;
  if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx > MAX_INDEX || typeof uri !== 'string') return 'invalid';
  return { format: 'token-status-list', uri, index: idx };
}
