/**
 * LZ4 *block* format (not the frame format): what Pulsar's LZ4 codec puts in a message payload, with the
 * uncompressed size carried separately in `MessageMetadata.uncompressed_size`.
 *
 * A block is a series of sequences: `token` (high nibble literal length, low nibble match length − 4,
 * 15 meaning "more length bytes follow, each adding up to 255"), the literals, a 2-byte little-endian
 * back-reference offset and the extra match-length bytes. The last sequence has literals only. The
 * format requires the last 5 bytes to be literals and the last match to start ≥ 12 bytes before the end.
 */

const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const HASH_LOG = 14;
const MAX_OFFSET = 65535;

// Hash table of positions, reused across calls. Entries are stored relative to `base`, which grows by
// the input length on every call, so stale entries from earlier inputs simply fall out of range and the
// table never needs clearing (clearing 64 KB per small message would dominate the cost).
const table = new Int32Array(1 << HASH_LOG);
let base = 1;

function read32(s: Uint8Array, i: number): number {
  return s[i]! | (s[i + 1]! << 8) | (s[i + 2]! << 16) | (s[i + 3]! << 24);
}

function hash(v: number): number {
  return Math.imul(v, 2654435761) >>> (32 - HASH_LOG);
}

/** Worst-case compressed size of `n` input bytes. */
export function lz4MaxCompressedSize(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

function writeLength(out: Uint8Array, op: number, len: number): number {
  while (len >= 255) {
    out[op++] = 255;
    len -= 255;
  }
  out[op++] = len;
  return op;
}

/** Compresses `src` into an LZ4 block (greedy single-probe matcher: fast, decent ratio). */
export function lz4Compress(src: Uint8Array): Buffer {
  const len = src.length;
  const out = Buffer.allocUnsafe(lz4MaxCompressedSize(len));
  if (base > 0x3fffffff - len) {
    table.fill(0);
    base = 1;
  }
  const b = base;
  base += len + 1;
  let op = 0;
  let anchor = 0;
  let ip = 0;
  const matchLimit = len - LAST_LITERALS;
  const limit = len - MF_LIMIT;
  while (ip < limit) {
    const seq = read32(src, ip);
    const h = hash(seq);
    const ref = table[h]! - b;
    table[h] = ip + b;
    if (ref < 0 || ref >= ip || ip - ref > MAX_OFFSET || read32(src, ref) !== seq) {
      // Skip faster through incompressible data, as the reference implementation does.
      ip += 1 + ((ip - anchor) >> 6);
      continue;
    }
    let start = ip;
    let mref = ref;
    // Extend the match backwards into pending literals.
    while (start > anchor && mref > 0 && src[start - 1] === src[mref - 1]) {
      start--;
      mref--;
    }
    let end = ip + MIN_MATCH;
    let r = ref + MIN_MATCH;
    while (end < matchLimit && src[end] === src[r]) {
      end++;
      r++;
    }
    const litLen = start - anchor;
    const matchLen = end - start - MIN_MATCH;
    const tokenPos = op++;
    let token: number;
    if (litLen >= 15) {
      token = 0xf0;
      op = writeLength(out, op, litLen - 15);
    } else token = litLen << 4;
    out.set(src.subarray(anchor, start), op);
    op += litLen;
    const offset = start - mref;
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
    if (matchLen >= 15) {
      token |= 0x0f;
      op = writeLength(out, op, matchLen - 15);
    } else token |= matchLen;
    out[tokenPos] = token;
    ip = end;
    anchor = ip;
    if (ip - 2 >= 0 && ip - 2 < limit) table[hash(read32(src, ip - 2))] = ip - 2 + b;
  }
  // Final literals-only sequence.
  const litLen = len - anchor;
  if (litLen >= 15) {
    out[op++] = 0xf0;
    op = writeLength(out, op, litLen - 15);
  } else out[op++] = litLen << 4;
  out.set(src.subarray(anchor, len), op);
  op += litLen;
  return out.subarray(0, op);
}

/**
 * Decompresses an LZ4 block whose decompressed size is known (Pulsar's `uncompressed_size`).
 * Every read and write is bounds-checked: corrupt input throws instead of reading past buffers.
 */
export function lz4Decompress(src: Uint8Array, uncompressedSize: number): Buffer {
  const out = Buffer.allocUnsafe(uncompressedSize);
  const srcLen = src.length;
  let ip = 0;
  let op = 0;
  while (ip < srcLen) {
    const token = src[ip++]!;
    let litLen = token >>> 4;
    if (litLen === 15) {
      let b: number;
      do {
        if (ip >= srcLen) throw new Error('lz4: truncated literal length');
        b = src[ip++]!;
        litLen += b;
      } while (b === 255);
    }
    if (ip + litLen > srcLen || op + litLen > uncompressedSize) throw new Error('lz4: literal overflow');
    out.set(src.subarray(ip, ip + litLen), op);
    ip += litLen;
    op += litLen;
    if (ip >= srcLen) break;
    if (ip + 2 > srcLen) throw new Error('lz4: truncated offset');
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > op) throw new Error('lz4: invalid offset');
    let matchLen = token & 0x0f;
    if (matchLen === 15) {
      let b: number;
      do {
        if (ip >= srcLen) throw new Error('lz4: truncated match length');
        b = src[ip++]!;
        matchLen += b;
      } while (b === 255);
    }
    matchLen += MIN_MATCH;
    if (op + matchLen > uncompressedSize) throw new Error('lz4: match overflow');
    let from = op - offset;
    if (offset >= matchLen) {
      out.copyWithin(op, from, from + matchLen);
      op += matchLen;
    } else {
      // Overlapping copy repeats the last `offset` bytes: must go byte by byte.
      const stop = op + matchLen;
      while (op < stop) out[op++] = out[from++]!;
    }
  }
  if (op !== uncompressedSize) throw new Error(`lz4: decoded ${op} bytes, expected ${uncompressedSize}`);
  return out;
}
