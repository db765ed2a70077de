/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum Pulsar puts in every payload frame.
 *
 * Node has `zlib.crc32` but that is the IEEE polynomial, so this is a software implementation using
 * "slicing-by-16": sixteen 256-entry tables let the inner loop consume 16 bytes (four little-endian
 * words read through a DataView) per iteration. Measured here it is ~2x faster than slicing-by-8 with
 * byte reads and ~6x faster than the byte-at-a-time loop; the checksum runs over every byte produced
 * and consumed, so it matters for throughput.
 */

const POLY = 0x82f63b78;
const SLICES = 16;
const T: Int32Array = (() => {
  const t = new Int32Array(SLICES * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c;
  }
  for (let i = 0; i < 256; i++) {
    let c = t[i]!;
    for (let s = 1; s < SLICES; s++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[s * 256 + i] = c;
    }
  }
  return t;
})();

/**
 * Computes CRC-32C of `data[start, end)`.
 * Pass the previous result as `crc` to continue a checksum across several buffers
 * (Pulsar checksums metadata and payload, which we keep in separate buffers).
 */
export function crc32cJs(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  let c = ~crc;
  let i = start;
  if (end - i >= 16) {
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const end16 = end - ((end - i) & 15);
    while (i < end16) {
      const a = dv.getInt32(i, true) ^ c;
      const b = dv.getInt32(i + 4, true);
      const d = dv.getInt32(i + 8, true);
      const e = dv.getInt32(i + 12, true);
      c =
        T[15 * 256 + (a & 0xff)]! ^
        T[14 * 256 + ((a >>> 8) & 0xff)]! ^
        T[13 * 256 + ((a >>> 16) & 0xff)]! ^
        T[12 * 256 + (a >>> 24)]! ^
        T[11 * 256 + (b & 0xff)]! ^
        T[10 * 256 + ((b >>> 8) & 0xff)]! ^
        T[9 * 256 + ((b >>> 16) & 0xff)]! ^
        T[8 * 256 + (b >>> 24)]! ^
        T[7 * 256 + (d & 0xff)]! ^
        T[6 * 256 + ((d >>> 8) & 0xff)]! ^
        T[5 * 256 + ((d >>> 16) & 0xff)]! ^
        T[4 * 256 + (d >>> 24)]! ^
        T[3 * 256 + (e & 0xff)]! ^
        T[2 * 256 + ((e >>> 8) & 0xff)]! ^
        T[256 + ((e >>> 16) & 0xff)]! ^
        T[e >>> 24]!;
      i += 16;
    }
  }
  while (i < end) c = T[(c ^ data[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
