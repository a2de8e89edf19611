import { H, L, M, Q } from 'qrcode/lib/core/error-correction-level.js';
import { getCapacity } from 'qrcode/lib/core/version.js';
import type { QrLevel } from './qr-code.js';

/** Byte-mode capacity of every version (index 0 = version 1) at each level, from qrcode's own table (ISO/IEC 18004). */
const CAPACITY: Record<QrLevel, readonly number[]> = {
  L: capacities(L),
  M: capacities(M),
  Q: capacities(Q),
  H: capacities(H),
};

function capacities(level: { bit: number }): number[] {
  return Array.from({ length: 40 }, (_, i) => getCapacity(i + 1, level));
}

/**
 * The smallest QR version whose byte-mode segment holds `bytes` bytes at
 * `level`, or `undefined` past version 40 — a table lookup, where encoding
 * the code to find out costs milliseconds (Reed–Solomon and eight masks).
 *
 * @example
 * ```ts
 * smallestVersion({ bytes: 1_273, level: 'L' }); // 25
 * ```
 */
export function smallestVersion({ bytes, level }: { bytes: number; level: QrLevel }): number | undefined {
  const capacities = CAPACITY[level];
  const index = capacities.findIndex((capacity) => capacity >= bytes);
  return index < 0 ? undefined : index + 1;
}
