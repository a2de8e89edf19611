/**
 * Types for the two internal modules of `qrcode` 1.5.4 (pinned) that
 * `qr-capacity.ts` reads its capacity table from. Plain CommonJS with named
 * exports, in Node and in bundlers.
 */
declare module 'qrcode/lib/core/version.js' {
  /** Bytes (byte mode, the default) a code of `version` holds at `errorCorrectionLevel`. */
  export function getCapacity(version: number, errorCorrectionLevel: { bit: number }): number;
}

declare module 'qrcode/lib/core/error-correction-level.js' {
  export const L: { bit: number };
  export const M: { bit: number };
  export const Q: { bit: number };
  export const H: { bit: number };
}
