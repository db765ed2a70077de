import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CompressionType } from '../proto/commands';
import { lz4Implementations } from '../codecs';
import type { BlockCodec, Implementations } from '../codecs';
import { compress, decompress } from './index';
import { lz4Compress, lz4Decompress } from './lz4';
import { snappyCompress, snappyDecompress } from './snappy';

function samples(): Buffer[] {
  const rnd = Buffer.from(Array.from({ length: 5000 }, () => Math.floor(Math.random() * 256)));
  const text = Buffer.from('the quick brown fox jumps over the lazy dog. '.repeat(300));
  const json = Buffer.from(
    JSON.stringify(
      Array.from({ length: 400 }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b'], v: i * 1.5 })),
    ),
  );
  const big = Buffer.alloc(300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i % 251) ^ ((i >> 10) & 0xff);
  return [
    Buffer.alloc(0),
    Buffer.from('a'),
    Buffer.from('abcdefghijkl'),
    Buffer.from('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'),
    rnd,
    text,
    json,
    big,
    Buffer.alloc(70_000, 0x41),
  ];
}

describe('LZ4 block codec', () => {
  it('round-trips assorted inputs and compresses redundant data', () => {
    for (const s of samples()) {
      const c = lz4Compress(s);
      expect(lz4Decompress(c, s.length).equals(s)).toBe(true);
    }
    const text = Buffer.from('hello hello hello hello hello hello hello hello hello hello');
    expect(lz4Compress(text).length).toBeLessThan(text.length / 2);
  });

  it('decodes hand-built blocks', () => {
    // token 0x11: 1 literal "a", match offset 1 length 1+4 → "aaaaaa"; then token 0x30: literals "bcd"
    expect(lz4Decompress(Buffer.from([0x11, 0x61, 0x01, 0x00, 0x30, 0x62, 0x63, 0x64]), 9).toString()).toBe(
      'aaaaaabcd',
    );
    // literal length 15 + 5 extra = 20 literals
    const lits = Buffer.from('ABCDEFGHIJKLMNOPQRST');
    expect(lz4Decompress(Buffer.concat([Buffer.from([0xf0, 0x05]), lits]), 20).toString()).toBe(
      'ABCDEFGHIJKLMNOPQRST',
    );
    // match length 15 + 4 + 1 extra byte (=10) → 29 copies of "xy" pattern at offset 2
    const block = Buffer.from([0x2f, 0x78, 0x79, 0x02, 0x00, 0x0a, 0x00]);
    expect(lz4Decompress(block, 2 + 29).toString()).toBe('xy'.repeat(16).slice(0, 31));
    expect(lz4Decompress(Buffer.from([0x00]), 0).length).toBe(0);
  });

  it('rejects corrupt input', () => {
    expect(() => lz4Decompress(Buffer.from([0x11, 0x61, 0x05, 0x00, 0x00]), 10)).toThrow(/offset/);
    expect(() => lz4Decompress(Buffer.from([0x50, 0x61]), 5)).toThrow(/literal/);
    expect(() => lz4Decompress(Buffer.from([0x10, 0x61]), 5)).toThrow(/expected 5/);
  });
});

describe('Snappy raw codec', () => {
  it('round-trips assorted inputs and compresses redundant data', () => {
    for (const s of samples()) {
      const c = snappyCompress(s);
      expect(snappyDecompress(c).equals(s)).toBe(true);
    }
    const text = Buffer.from('hello hello hello hello hello hello hello hello hello hello');
    expect(snappyCompress(text).length).toBeLessThan(text.length / 2);
  });

  it('decodes hand-built blocks', () => {
    // len 12; literal "abcd"; copy-1 (len 8, offset 4)
    expect(snappyDecompress(Buffer.from([0x0c, 0x0c, 0x61, 0x62, 0x63, 0x64, 0x11, 0x04])).toString()).toBe(
      'abcdabcdabcd',
    );
    // len 9; literal "xyz"; copy-2 (len 6, offset 3)
    expect(snappyDecompress(Buffer.from([0x09, 0x08, 0x78, 0x79, 0x7a, 0x16, 0x03, 0x00])).toString()).toBe(
      'xyzxyzxyz',
    );
    // len 100 (varint 0x64); literal with 1-byte length (tag 60<<2, len-1 = 99)
    const lit = Buffer.alloc(100, 0x51);
    expect(snappyDecompress(Buffer.concat([Buffer.from([0x64, 0xf0, 99]), lit])).equals(lit)).toBe(true);
    // 2-byte varint length: 200 = 0xc8 0x01; literal 'z' then copy-4 (len 64, offset 1) ×3 + copy-2 len 7
    const out = snappyDecompress(
      Buffer.from([0xc8, 0x01, 0x00, 0x7a, 0xff, 1, 0, 0, 0, 0xff, 1, 0, 0, 0, 0xff, 1, 0, 0, 0, 0x1a, 1, 0]),
    );
    expect(out.toString()).toBe('z'.repeat(200));
  });

  it('rejects corrupt input', () => {
    expect(() => snappyDecompress(Buffer.from([0x05, 0x01, 0x05]))).toThrow(/copy/);
    expect(() => snappyDecompress(Buffer.from([0x05, 0x10, 0x61]))).toThrow(/literal/);
    expect(() => snappyDecompress(Buffer.from([0x05, 0x00, 0x61]))).toThrow(/expected 5/);
  });
});

/** Where lz4-napi ships a prebuilt binary (and CI runs): its tests must run, never skip. */
const shipsNative = process.platform === 'linux' && process.arch === 'x64';

it('loads the native LZ4 (lz4-napi) where its binary ships (linux-x64 here)', () => {
  if (shipsNative) expect(lz4Implementations.native).toBeDefined();
});

// The client picks the native codec where it loaded and pays (codecs.ts); each direction must read
// what the other writes, since a Java or C++ producer or consumer sits at the other end. Only LZ4 has a
// native path the client uses (the `snappy` package measured no faster: codecs.ts, only the codecs bench
// loads it where installed). Only a platform without lz4-napi's binary leaves this out.
for (const [codec, impl] of [['LZ4', lz4Implementations]] as [string, Implementations<BlockCodec>][]) {
  describe.runIf(impl.native !== undefined || shipsNative)(`${codec}: native and TypeScript codecs`, () => {
    const nat = impl.native!;
    it('round-trip assorted inputs, and each decodes what the other encodes', () => {
      for (const s of [...samples(), Buffer.alloc(20_000, 7), samples()[7]!.subarray(0, 17_000)]) {
        expect(nat.decompress(nat.compress(s), s.length).equals(s)).toBe(true);
        expect(nat.decompress(impl.js.compress(s), s.length).equals(s)).toBe(true);
        expect(impl.js.decompress(nat.compress(s), s.length).equals(s)).toBe(true);
      }
    });

    it('reject corrupt input through compress/decompress as PULSAR_COMPRESSION', () => {
      const s = Buffer.from('the quick brown fox jumps over the lazy dog. '.repeat(1000));
      const c = Buffer.from(nat.compress(s));
      c[Math.floor(c.length / 2)]! ^= 0xff;
      c.fill(0xff, 0, 8);
      const type = codec === 'LZ4' ? CompressionType.LZ4 : CompressionType.SNAPPY;
      expect(() => decompress(type, c, s.length)).toThrow(
        expect.objectContaining({ code: 'PULSAR_COMPRESSION' }),
      );
    });
  });
}

describe('compress/decompress by Pulsar type', () => {
  for (const [name, type] of Object.entries(CompressionType)) {
    it(`round-trips ${name}`, () => {
      for (const s of samples()) {
        const c = compress(type, s);
        expect(decompress(type, c, s.length).equals(s)).toBe(true);
      }
    });
  }

  it('inflates the unterminated (SYNC_FLUSH) zlib streams the Java client writes', () => {
    const data = Buffer.from('java deflater output '.repeat(40));
    const javaStyle = zlib.deflateSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    expect(() => zlib.inflateSync(javaStyle)).toThrow();
    expect(decompress(CompressionType.ZLIB, javaStyle, data.length).equals(data)).toBe(true);
  });

  it('reports a size mismatch as PULSAR_COMPRESSION', () => {
    const c = compress(CompressionType.ZLIB, Buffer.from('abc'));
    expect(() => decompress(CompressionType.ZLIB, c, 4)).toThrow(
      expect.objectContaining({ code: 'PULSAR_COMPRESSION' }),
    );
  });
});
