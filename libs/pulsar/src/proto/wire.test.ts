import { describe, expect, it } from 'vitest';
import { ProtoReader, ProtoWriter, varintSize } from './wire';

const hex = (w: ProtoWriter) => w.view().toString('hex');

describe('ProtoWriter / ProtoReader', () => {
  it('encodes varints as protobuf does', () => {
    expect(hex(new ProtoWriter().uint32(0))).toBe('00');
    expect(hex(new ProtoWriter().uint32(1))).toBe('01');
    expect(hex(new ProtoWriter().uint32(127))).toBe('7f');
    expect(hex(new ProtoWriter().uint32(128))).toBe('8001');
    expect(hex(new ProtoWriter().uint32(300))).toBe('ac02');
    expect(hex(new ProtoWriter().uint32(0xffffffff))).toBe('ffffffff0f');
    // negative int32 / int64 are sign-extended to 10 bytes
    expect(hex(new ProtoWriter().int32(-1))).toBe('ffffffffffffffffff01');
    expect(hex(new ProtoWriter().int64(-1))).toBe('ffffffffffffffffff01');
    expect(hex(new ProtoWriter().uint64(2 ** 32))).toBe('8080808010');
    expect(hex(new ProtoWriter().uint64(2n ** 64n - 1n))).toBe('ffffffffffffffffff01');
  });

  it('round-trips unsigned and signed 64-bit numbers', () => {
    const values = [
      0,
      1,
      127,
      128,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 35 + 5,
      2 ** 49 + 12345,
      Number.MAX_SAFE_INTEGER,
    ];
    for (const v of values) {
      const w = new ProtoWriter(1).uint64(v);
      expect(new ProtoReader(w.view()).uint64()).toBe(v);
      const w2 = new ProtoWriter(1).int64(-v);
      expect(new ProtoReader(w2.view()).int64()).toBe(v === 0 ? 0 : -v);
    }
  });

  it('round-trips bigint uint64/int64 over the full range', () => {
    for (const v of [0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n]) {
      expect(new ProtoReader(new ProtoWriter().uint64(v).view()).uint64Big()).toBe(v);
    }
    for (const v of [-1n, -(2n ** 63n), 2n ** 63n - 1n, -123456789012345678n]) {
      expect(new ProtoReader(new ProtoWriter().int64(v).view()).int64Big()).toBe(v);
    }
  });

  it('round-trips zigzag, fixed, double, bool, bytes and strings', () => {
    const w = new ProtoWriter(4);
    w.sint32(-1)
      .sint32(1)
      .sint32(-2147483648)
      .sint64(-5n)
      .fixed32(0xdeadbeef)
      .sfixed32(-7)
      .fixed64(2n ** 60n);
    w.double(Math.PI)
      .bool(true)
      .bool(false)
      .bytes(Buffer.from([1, 2, 3]))
      .string('héllo ✓ 😀')
      .string('');
    const r = new ProtoReader(w.view());
    expect(r.sint32()).toBe(-1);
    expect(r.sint32()).toBe(1);
    expect(r.sint32()).toBe(-2147483648);
    expect(r.sint64()).toBe(-5n);
    expect(r.fixed32()).toBe(0xdeadbeef);
    expect(r.sfixed32()).toBe(-7);
    expect(r.fixed64()).toBe(2n ** 60n);
    expect(r.double()).toBe(Math.PI);
    expect(r.bool()).toBe(true);
    expect(r.bool()).toBe(false);
    expect([...r.bytes()]).toEqual([1, 2, 3]);
    expect(r.string()).toBe('héllo ✓ 😀');
    expect(r.string()).toBe('');
    expect(r.done).toBe(true);
  });

  it('zigzag encodes as specified', () => {
    expect(hex(new ProtoWriter().sint32(0))).toBe('00');
    expect(hex(new ProtoWriter().sint32(-1))).toBe('01');
    expect(hex(new ProtoWriter().sint32(1))).toBe('02');
    expect(hex(new ProtoWriter().sint32(-2))).toBe('03');
  });

  it('writes nested messages with short and long length prefixes (fork/ldelim)', () => {
    for (const len of [0, 1, 127, 128, 300, 20000, 3_000_000]) {
      const w = new ProtoWriter(2);
      w.tag(1, 2);
      const start = w.fork();
      w.raw(new Uint8Array(len).fill(7));
      w.ldelim(start);
      w.tag(2, 0).uint32(42);
      const r = new ProtoReader(w.view());
      expect(r.tag()).toBe((1 << 3) | 2);
      const end = r.nestedEnd();
      expect(end - r.pos).toBe(len);
      r.pos = end;
      expect(r.tag()).toBe((2 << 3) | 0);
      expect(r.uint32()).toBe(42);
      expect(w.view().length).toBe(1 + varintSize(len) + len + 2);
    }
  });

  it('skips every wire type', () => {
    const w = new ProtoWriter();
    w.tag(1, 0).uint64(2 ** 40);
    w.tag(2, 1).fixed64(5n);
    w.tag(3, 2).string('skip me');
    w.tag(4, 5).fixed32(9);
    w.tag(5, 0).uint32(77);
    const r = new ProtoReader(w.view());
    for (let i = 0; i < 4; i++) r.skip(r.tag() & 7);
    expect(r.tag() >>> 3).toBe(5);
    expect(r.uint32()).toBe(77);
  });

  it('throws on truncated input instead of reading garbage', () => {
    expect(() => new ProtoReader(Buffer.from([0x80])).uint32()).toThrow(RangeError);
    expect(() => new ProtoReader(Buffer.from([0x80, 0x80])).uint64()).toThrow(RangeError);
    expect(() => new ProtoReader(Buffer.from([0x05, 0x61])).string()).toThrow(RangeError);
    expect(() => new ProtoReader(Buffer.from([1, 2])).fixed32()).toThrow(RangeError);
    expect(() => new ProtoReader(Buffer.from([0x0b])).skip(3)).toThrow(RangeError);
  });

  it('reads from a sub-range of a larger buffer', () => {
    const buf = Buffer.from([0xff, 0xff, 0xac, 0x02, 0xff]);
    const r = new ProtoReader(buf, 2, 4);
    expect(r.uint32()).toBe(300);
    expect(r.done).toBe(true);
  });
});
