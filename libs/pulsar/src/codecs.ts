/**
 * Both implementations of each codec the client carries in TypeScript — CRC-32C, LZ4 block, Snappy raw —
 * side by side: the pure-TypeScript one, and the native package's where it loaded (`native.ts`). The
 * client uses {@link selected}; the benchmark (`npm run bench -- codecs`) and the codec tests use the
 * pairs, so both paths stay measured and tested. Exported as `@patternmesh/pulsar/codecs`.
 */
import { lz4Compress, lz4Decompress } from './compression/lz4';
import { snappyCompress, snappyDecompress, snappyUncompressedLength } from './compression/snappy';
import { crc32cJs } from './crc32c-js';
import { native } from './native';

/** A payload codec: block in, block out. */
export interface BlockCodec {
  compress(data: Uint8Array): Uint8Array;
  /** `uncompressedSize` comes from the message metadata. */
  decompress(data: Uint8Array, uncompressedSize: number): Buffer;
}

/** CRC-32C of `data[start, end)`, continuing from `crc`. */
export type Crc32c = (data: Uint8Array, crc?: number, start?: number, end?: number) => number;

export interface Implementations<T> {
  readonly js: T;
  /** Undefined where the native package is not installed or has no binary for this platform. */
  readonly native: T | undefined;
}

const nativeCrc = native.crc32c;
const nativeLz4 = native.lz4;
const nativeSnappy = native.snappy;

export const crc32cImplementations: Implementations<Crc32c> = {
  js: crc32cJs,
  native: nativeCrc
    ? (data, crc = 0, start = 0, end = data.length) =>
        nativeCrc.crc32c(start === 0 && end === data.length ? data : data.subarray(start, end), crc)
    : undefined,
};

export const lz4Implementations: Implementations<BlockCodec> = {
  js: { compress: lz4Compress, decompress: lz4Decompress },
  native: nativeLz4
    ? {
        // lz4-napi frames the block with its size (4 bytes LE); Pulsar carries the size in the metadata.
        compress: (data) => nativeLz4.compressSync(data).subarray(4),
        decompress: (data, uncompressedSize) => {
          const framed = Buffer.allocUnsafe(data.length + 4);
          framed.writeUInt32LE(uncompressedSize, 0);
          framed.set(data, 4);
          return nativeLz4.uncompressSync(framed);
        },
      }
    : undefined,
};

export const snappyImplementations: Implementations<BlockCodec> = {
  js: { compress: snappyCompress, decompress: (data) => snappyDecompress(data) },
  native: nativeSnappy
    ? {
        compress: (data) => nativeSnappy.compressSync(data),
        decompress: (data) => {
          // Checked like the TS decoder does (the size header is Snappy's own), before allocating.
          snappyUncompressedLength(data);
          return nativeSnappy.uncompressSync(data, { asBuffer: true }) as Buffer;
        },
      }
    : undefined,
};

/**
 * Below these sizes the N-API call costs about what the native code saves (figures: docs/benchmarks.md,
 * `npm run bench -- codecs`): CRC-32C of a frame header (~60 bytes) is as fast in TypeScript, and LZ4 of
 * a 1 KiB message measured faster one run and slower the next (lz4-napi's decoder also needs the block
 * copied behind a size prefix); from 16 KiB — batches — native LZ4 was faster in every run.
 */
export const NATIVE_CRC32C_MIN_BYTES = 512;
export const NATIVE_LZ4_MIN_BYTES = 16 * 1024;

function crcChoice(): Crc32c {
  const { js, native: fast } = crc32cImplementations;
  if (!fast) return js;
  return (data, crc = 0, start = 0, end = data.length) =>
    end - start >= NATIVE_CRC32C_MIN_BYTES ? fast(data, crc, start, end) : js(data, crc, start, end);
}

function lz4Choice(): BlockCodec {
  const { js, native: fast } = lz4Implementations;
  if (!fast) return js;
  return {
    compress: (data) => (data.length >= NATIVE_LZ4_MIN_BYTES ? fast.compress(data) : js.compress(data)),
    decompress: (data, size) =>
      size >= NATIVE_LZ4_MIN_BYTES ? fast.decompress(data, size) : js.decompress(data, size),
  };
}

/**
 * What the client uses: the native implementation where it loaded and was measured faster, else the
 * TypeScript one. Snappy stays TypeScript: the `snappy` package (7.4.3) measured no faster compressing
 * and about half as fast decompressing, so it is not a dependency (install it to measure again).
 */
export const selected: { readonly crc32c: Crc32c; readonly lz4: BlockCodec; readonly snappy: BlockCodec } = {
  crc32c: crcChoice(),
  lz4: lz4Choice(),
  snappy: snappyImplementations.js,
};
