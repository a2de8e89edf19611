import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';

/**
 * A tiny assertion helper for the portable suite, which runs where Jest's
 * `expect` does not (inside a browser page). Failures throw
 * {@link PortableAssertionError} with what was expected and what came.
 * Browser-safe. Tests only.
 */

/** A failed portable assertion. */
export class PortableAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortableAssertionError';
  }
}

/**
 * Throws unless `condition` holds.
 *
 * @throws PortableAssertionError
 * @example
 * ```ts
 * check(record.exportable === false, 'the record keeps no private key');
 * ```
 */
export function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new PortableAssertionError(`expected: ${what}`);
}

/**
 * Throws unless `actual` deeply equals `expected` (plain objects, arrays,
 * typed arrays, primitives; `undefined` members count as absent).
 *
 * @throws PortableAssertionError
 * @example
 * ```ts
 * checkEqual(consent.items[0]?.disclosed, [['age_over_18']], 'disclosed claims');
 * ```
 */
export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  if (!deepEqual(actual, expected)) {
    throw new PortableAssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/**
 * Awaits `promise` and throws unless it rejects with an error whose `code`
 * is `code` (a `UrbisError`; the message is never looked at).
 *
 * @throws PortableAssertionError
 * @example
 * ```ts
 * await checkRejects(openWalletStore({ storage, passphrase: 'wrong' }), 'WALLET_PASSPHRASE_WRONG', 'wrong passphrase');
 * ```
 */
export async function checkRejects(promise: Promise<unknown>, code: UrbisErrorCode, what: string): Promise<void> {
  let outcome: { resolved: unknown } | { rejected: unknown };
  try {
    outcome = { resolved: await promise };
  } catch (error) {
    outcome = { rejected: error };
  }
  if ('resolved' in outcome) throw new PortableAssertionError(`${what}: expected a rejection with ${code}, but it resolved`);
  expectCode(outcome.rejected, code, what);
}

/**
 * Calls `action` and throws unless it throws, synchronously, an error whose
 * `code` is `code` (a `UrbisError`).
 *
 * @throws PortableAssertionError
 * @example
 * ```ts
 * checkThrows(() => createIndexedDbStorage({ key: '' }), 'INVALID_ARGUMENT', 'an empty key');
 * ```
 */
export function checkThrows(action: () => unknown, code: UrbisErrorCode, what: string): void {
  let error: unknown;
  try {
    action();
  } catch (caught) {
    error = caught ?? new Error('undefined thrown');
  }
  if (error === undefined) throw new PortableAssertionError(`${what}: expected UrbisError ${code} to be thrown, but nothing was`);
  expectCode(error, code, what);
}

function expectCode(error: unknown, code: UrbisErrorCode, what: string): void {
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  if (e?.name !== 'UrbisError' || e.code !== code) {
    throw new PortableAssertionError(`${what}: expected UrbisError ${code}, got ${String(e?.name)} ${String(e?.code)}: ${String(e?.message)}`);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.length === y.length && x.every((byte, i) => byte === y[i]);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${Object.prototype.toString.call(value).slice(8, -1)}(${value.byteLength} bytes)`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
