/**
 * Precise revert assertions for contract tests: the revert data is decoded
 * with the contract's ABI (`Interface.parseError`) and both the custom
 * error's name and its arguments are compared.
 */
import type { Interface } from 'ethers';

/** The revert data carried by an error thrown by hardhat-ethers / ethers, if any. */
export function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record.data === 'string' && /^0x[0-9a-fA-F]*$/.test(record.data)) return record.data;
    for (const key of ['error', 'info', 'cause', 'data']) {
      const found = visit(record[key]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(error);
}

function normalize(value: unknown): unknown {
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalize);
  return value;
}

/** Awaits `action`, which must revert with custom error `name` of `iface` and, when given, exactly `args`. */
export async function expectRevert(action: Promise<unknown>, iface: Interface, name: string, args?: readonly unknown[]): Promise<void> {
  let thrown: unknown;
  try {
    await action;
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected a revert with ${name}, but the call succeeded`);
  const data = revertData(thrown);
  if (data === undefined) throw new Error(`expected a revert with ${name}, got an error without revert data: ${String(thrown)}`);
  const parsed = iface.parseError(data);
  if (parsed === null) throw new Error(`expected a revert with ${name}, got undecodable revert data ${data}`);
  expect(parsed.name).toBe(name);
  if (args !== undefined) expect(normalize([...parsed.args])).toEqual(normalize([...args]));
}

/** Awaits `action`, which must revert with empty revert data (e.g. the ABI decoder refusing calldata). */
export async function expectRevertWithoutData(action: Promise<unknown>): Promise<void> {
  let thrown: unknown;
  try {
    await action;
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('expected a revert, but the call succeeded');
  // Hardhat reports a revert without reason as revert data "0x".
  expect(revertData(thrown)).toBe('0x');
}
