/**
 * CRC-32 (IEEE 802.3, the polynomial of zlib and PNG) over a byte range,
 * table-driven in plain JavaScript: the journal checks one 20-byte record at a
 * time, where a call into `node:zlib` costs more than the arithmetic.
 */

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `bytes[start, end)`, as an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * crc32({ bytes: new TextEncoder().encode('123456789') }); // 0xcbf43926
 * ```
 */
export function crc32({ bytes, start = 0, end = bytes.length }: { bytes: Uint8Array; start?: number; end?: number }): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
