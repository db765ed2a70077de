/**
 * A small protobuf wire-format codec (proto2 semantics): varints, zigzag, fixed-width and
 * length-delimited fields. It knows nothing about Pulsar; `commands.ts` and `metadata.ts` build the
 * Pulsar messages on top of it.
 *
 * 64-bit integers: the fast API uses JS numbers, exact up to 2^53 (ledger ids, entry ids and sequence
 * ids stay far below that in practice); the `*Big` variants use bigint for full 64-bit range.
 */

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;

const TWO_32 = 4294967296;

/**
 * Growable protobuf writer over a single Buffer. Reuse one writer (`reset()`) to encode many messages
 * without allocating; `finish()` copies the bytes out, `view()` borrows them.
 */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Empties the writer, keeping its buffer. */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /** Makes room for `n` more bytes, doubling the buffer as needed. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A field key. */
  tag(field: number, wireType: number): this {
    return this.uint32(((field << 3) | wireType) >>> 0);
  }

  /** Unsigned varint of a value in [0, 2^32). */
  uint32(v: number): this {
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    v >>>= 0;
    while (v > 0x7f) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
    return this;
  }

  /** int32: negatives take 10 bytes (sign-extended to 64 bits), as protobuf requires. */
  int32(v: number): this {
    return v >= 0 ? this.uint32(v) : this.varint64((v | 0) >>> 0, 0xffffffff);
  }

  /** Varint from two 32-bit halves. */
  varint64(lo: number, hi: number): this {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0) {
      b[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 0x7f) {
      b[p++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    b[p++] = lo;
    this.pos = p;
    return this;
  }

  /** uint64/int64 from a number (exact up to 2^53) or a bigint (full range). Negatives are two's complement. */
  uint64(v: number | bigint): this {
    if (typeof v === 'bigint') {
      const u = BigInt.asUintN(64, v);
      return this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
    }
    if (v >= 0 && v < TWO_32) return this.uint32(v);
    const hi = Math.floor(v / TWO_32);
    return this.varint64(v - hi * TWO_32, hi >>> 0);
  }

  /** Same encoding as {@link uint64}; named for readability at int64 fields. */
  int64(v: number | bigint): this {
    return this.uint64(v);
  }

  /** Zigzag-encoded sint32. */
  sint32(v: number): this {
    return this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zigzag-encoded sint64. */
  sint64(v: number | bigint): this {
    const b = BigInt.asIntN(64, BigInt(v));
    return this.uint64(BigInt.asUintN(64, (b << 1n) ^ (b >> 63n)));
  }

  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  fixed32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  sfixed32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32LE(v | 0, this.pos);
    this.pos += 4;
    return this;
  }

  fixed64(v: number | bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), this.pos);
    this.pos += 8;
    return this;
  }

  double(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
    return this;
  }

  /** Length-prefixed bytes. */
  bytes(v: Uint8Array): this {
    this.uint32(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }

  /** Length-prefixed UTF-8 string. */
  string(s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    this.uint32(len);
    this.ensure(len);
    if (len > 0) this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
    return this;
  }

  /** Raw bytes with no prefix. */
  raw(v: Uint8Array): this {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }

  /**
   * Starts a nested length-delimited message. One byte is reserved for the length, which fits messages
   * under 128 bytes (nearly all Pulsar commands); {@link ldelim} shifts the body when it needs more.
   */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Ends a nested message started with {@link fork} and writes its length. */
  ldelim(start: number): this {
    const bodyStart = start + 1;
    const len = this.pos - bodyStart;
    if (len < 0x80) {
      this.buf[start] = len;
      return this;
    }
    const extra = varintSize(len) - 1;
    this.ensure(extra);
    this.buf.copyWithin(bodyStart + extra, bodyStart, this.pos);
    const end = this.pos + extra;
    this.pos = start;
    this.uint32(len);
    this.pos = end;
    return this;
  }

  /** Copies the written bytes into a new Buffer. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /** Borrows the written bytes (valid until the next write or reset). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Bytes a varint of `v` (in [0, 2^32)) takes. */
export function varintSize(v: number): number {
  v >>>= 0;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

/** Protobuf reader over a Buffer range. Throws {@link RangeError} on truncated input. */
export class ProtoReader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
  /** Low and high halves of the last 64-bit varint read (avoids allocating a tuple). */
  private lo = 0;
  private hi = 0;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key; returns `field << 3 | wireType`. */
  tag(): number {
    return this.uint32();
  }

  /** Varint as an unsigned 32-bit number (upper bits of longer varints are dropped, as protobuf does). */
  uint32(): number {
    const b = this.buf;
    let p = this.pos;
    const end = this.end;
    if (p >= end) throw new RangeError('protobuf: truncated varint');
    let byte = b[p++]!;
    let v = byte & 0x7f;
    if (byte < 0x80) {
      this.pos = p;
      return v;
    }
    let shift = 7;
    while (shift < 35) {
      if (p >= end) throw new RangeError('protobuf: truncated varint');
      byte = b[p++]!;
      v |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        return v >>> 0;
      }
      shift += 7;
    }
    // Sign-extended negative int32s carry five more bytes; consume them.
    for (let i = 0; i < 5; i++) {
      if (p >= end) throw new RangeError('protobuf: truncated varint');
      if (b[p++]! < 0x80) {
        this.pos = p;
        return v >>> 0;
      }
    }
    throw new RangeError('protobuf: varint too long');
  }

  int32(): number {
    return this.uint32() | 0;
  }

  private readVarint64(): void {
    const b = this.buf;
    let p = this.pos;
    const end = this.end;
    let lo = 0;
    let hi: number;
    let byte: number;
    let i = 0;
    for (; i < 4; i++) {
      if (p >= end) throw new RangeError('protobuf: truncated varint');
      byte = b[p++]!;
      lo |= (byte & 0x7f) << (i * 7);
      if (byte < 0x80) {
        this.lo = lo >>> 0;
        this.hi = 0;
        this.pos = p;
        return;
      }
    }
    // 5th byte straddles the halves: 4 bits into lo, 3 into hi.
    if (p >= end) throw new RangeError('protobuf: truncated varint');
    byte = b[p++]!;
    lo |= (byte & 0x0f) << 28;
    hi = (byte & 0x7f) >> 4;
    if (byte >= 0x80) {
      for (i = 0; i < 5; i++) {
        if (p >= end) throw new RangeError('protobuf: truncated varint');
        byte = b[p++]!;
        hi |= (byte & 0x7f) << (i * 7 + 3);
        if (byte < 0x80) break;
      }
      if (byte >= 0x80) throw new RangeError('protobuf: varint too long');
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = p;
  }

  /** uint64 as a number (exact up to 2^53). */
  uint64(): number {
    this.readVarint64();
    return this.hi * TWO_32 + this.lo;
  }

  /** int64 as a number (exact within ±2^53); -1 decodes as -1. */
  int64(): number {
    this.readVarint64();
    if (this.hi & 0x80000000) {
      return -((~this.hi >>> 0) * TWO_32 + (~this.lo >>> 0) + 1);
    }
    return this.hi * TWO_32 + this.lo;
  }

  uint64Big(): bigint {
    this.readVarint64();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  int64Big(): bigint {
    return BigInt.asIntN(64, this.uint64Big());
  }

  sint32(): number {
    const v = this.uint32();
    return (v >>> 1) ^ -(v & 1);
  }

  sint64(): bigint {
    const u = this.uint64Big();
    return BigInt.asIntN(64, (u >> 1n) ^ -(u & 1n));
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('protobuf: truncated field');
  }

  fixed32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  sfixed32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  fixed64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Length-delimited bytes as a view into the input (no copy). */
  bytes(): Buffer {
    const len = this.uint32();
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return this.buf.subarray(start, start + len);
  }

  string(): string {
    const len = this.uint32();
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return this.buf.toString('utf8', start, start + len);
  }

  /** Reads a length prefix and returns the end offset of the nested message. */
  nestedEnd(): number {
    const len = this.uint32();
    this.need(len);
    return this.pos + len;
  }

  /** Skips a field of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.uint64();
        return;
      case WireType.Fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WireType.LengthDelimited: {
        const len = this.uint32();
        this.need(len);
        this.pos += len;
        return;
      }
      case WireType.Fixed32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new RangeError(`protobuf: unsupported wire type ${wireType}`);
    }
  }
}
