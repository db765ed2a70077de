/**
 * Snappy *raw block* format (no framing/stream format), as Pulsar's SNAPPY codec uses.
 *
 * A block starts with the uncompressed length as a little-endian base-128 varint, followed by elements
 * whose tag byte's low two bits select the kind:
 *   00 literal  — length−1 in the upper 6 bits, or 60..63 meaning 1..4 little-endian length bytes follow
 *   01 copy     — length 4..11 in bits 2..4, 11-bit offset: bits 5..7 of the tag are the high bits
 *   10 copy     — length 1..64 in the upper 6 bits, 16-bit little-endian offset
 *   11 copy     — length 1..64 in the upper 6 bits, 32-bit little-endian offset
 */

const HASH_LOG = 14;
const BLOCK = 65536;
const table = new Int32Array(1 << HASH_LOG);

function read32(s: Uint8Array, i: number): number {
  return s[i]! | (s[i + 1]! << 8) | (s[i + 2]! << 16) | (s[i + 3]! << 24);
}

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_LOG);
}

function emitLiteral(out: Buffer, op: number, src: Uint8Array, start: number, end: number): number {
  const n = end - start - 1;
  if (n < 60) out[op++] = n << 2;
  else if (n < 0x100) {
    out[op++] = 60 << 2;
    out[op++] = n;
  } else if (n < 0x10000) {
    out[op++] = 61 << 2;
    out[op++] = n & 0xff;
    out[op++] = n >>> 8;
  } else if (n < 0x1000000) {
    out[op++] = 62 << 2;
    out[op++] = n & 0xff;
    out[op++] = (n >>> 8) & 0xff;
    out[op++] = n >>> 16;
  } else {
    out[op++] = 63 << 2;
    out.writeUInt32LE(n >>> 0, op);
    op += 4;
  }
  out.set(src.subarray(start, end), op);
  return op + (end - start);
}

function emitCopy(out: Buffer, op: number, offset: number, len: number): number {
  // Long matches become several copy elements of at most 64 bytes; keep the last one ≥ 4 bytes so the
  // short 1-byte-offset form stays usable.
  while (len >= 68) {
    out[op++] = (63 << 2) | 2;
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
    len -= 64;
  }
  if (len > 64) {
    out[op++] = (59 << 2) | 2;
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
    len -= 60;
  }
  if (len >= 4 && len <= 11 && offset < 2048) {
    out[op++] = ((offset >>> 8) << 5) | ((len - 4) << 2) | 1;
    out[op++] = offset & 0xff;
  } else {
    out[op++] = ((len - 1) << 2) | 2;
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

/** Worst-case compressed size (Snappy's documented bound). */
export function snappyMaxCompressedSize(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

/** Compresses `src` into a Snappy raw block. Matches never cross 64 KB blocks, like the reference. */
export function snappyCompress(src: Uint8Array): Buffer {
  const len = src.length;
  const out = Buffer.allocUnsafe(snappyMaxCompressedSize(len));
  let op = 0;
  let v = len;
  while (v >= 0x80) {
    out[op++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[op++] = v;
  for (let blockStart = 0; blockStart < len; blockStart += BLOCK) {
    const blockEnd = Math.min(len, blockStart + BLOCK);
    let anchor = blockStart;
    if (blockEnd - blockStart >= 15) {
      table.fill(-1);
      let ip = blockStart;
      const limit = blockEnd - 4;
      while (ip < limit) {
        const seq = read32(src, ip);
        const h = hash(seq);
        const ref = table[h]!;
        table[h] = ip;
        if (ref < blockStart || read32(src, ref) !== seq) {
          ip += 1 + ((ip - anchor) >> 5);
          continue;
        }
        if (ip > anchor) op = emitLiteral(out, op, src, anchor, ip);
        let end = ip + 4;
        let r = ref + 4;
        while (end < blockEnd && src[end] === src[r]) {
          end++;
          r++;
        }
        op = emitCopy(out, op, ip - ref, end - ip);
        ip = end;
        anchor = ip;
      }
    }
    if (anchor < blockEnd) op = emitLiteral(out, op, src, anchor, blockEnd);
  }
  return out.subarray(0, op);
}

/** Reads the uncompressed length from a Snappy block's preamble. */
export function snappyUncompressedLength(src: Uint8Array): { length: number; headerSize: number } {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < src.length; i++) {
    const b = src[i]!;
    result += (b & 0x7f) * mul;
    if (b < 0x80) return { length: result, headerSize: i + 1 };
    mul *= 128;
  }
  throw new Error('snappy: bad length preamble');
}

/** Decompresses a Snappy raw block; all offsets and lengths are bounds-checked. */
export function snappyDecompress(src: Uint8Array): Buffer {
  const { length, headerSize } = snappyUncompressedLength(src);
  const out = Buffer.allocUnsafe(length);
  let ip = headerSize;
  let op = 0;
  const srcLen = src.length;
  while (ip < srcLen) {
    const tag = src[ip++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        if (ip + bytes > srcLen) throw new Error('snappy: truncated literal length');
        n = 0;
        for (let i = 0; i < bytes; i++) n += src[ip + i]! * 2 ** (8 * i);
        ip += bytes;
      }
      n += 1;
      if (ip + n > srcLen || op + n > length) throw new Error('snappy: literal overflow');
      out.set(src.subarray(ip, ip + n), op);
      ip += n;
      op += n;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (ip >= srcLen) throw new Error('snappy: truncated copy');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[ip++]!;
    } else if (kind === 2) {
      if (ip + 2 > srcLen) throw new Error('snappy: truncated copy');
      len = (tag >>> 2) + 1;
      offset = src[ip]! | (src[ip + 1]! << 8);
      ip += 2;
    } else {
      if (ip + 4 > srcLen) throw new Error('snappy: truncated copy');
      len = (tag >>> 2) + 1;
      offset = (src[ip]! | (src[ip + 1]! << 8) | (src[ip + 2]! << 16) | (src[ip + 3]! << 24)) >>> 0;
      ip += 4;
    }
    if (offset === 0 || offset > op || op + len > length) throw new Error('snappy: invalid copy');
    let from = op - offset;
    if (offset >= len) {
      out.copyWithin(op, from, from + len);
      op += len;
    } else {
      const stop = op + len;
      while (op < stop) out[op++] = out[from++]!;
    }
  }
  if (op !== length) throw new Error(`snappy: decoded ${op} bytes, expected ${length}`);
  return out;
}
