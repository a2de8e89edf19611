import type { OrPromise } from '../crypto/ports.js';

/**
 * Applies `next` to a value that may or may not be a promise, staying
 * synchronous when it is not. Policies use it so that with synchronous
 * ports (node:crypto) a verification runs without a microtask per step,
 * while asynchronous ports (Web Crypto in the browser) still work.
 */
export function settle<T, R>(value: OrPromise<T>, next: (resolved: T) => R): OrPromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** {@link settle} over several values at once. */
export function settleAll<T extends readonly unknown[], R>(
  values: { [K in keyof T]: OrPromise<T[K]> },
  next: (resolved: T) => R,
): OrPromise<R> {
  return values.some((v) => v instanceof Promise)
    ? Promise.all(values).then((resolved) => next(resolved as unknown as T))
    : next(values as unknown as T);
}
