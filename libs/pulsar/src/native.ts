/**
 * Optional native codecs: `@node-rs/crc32` (SIMD CRC-32C), `lz4-napi` and `snappy`, each a small
 * N-API package whose prebuilt binary ships as an npm package per platform (no download from outside
 * the registry, no compiler). They are optional dependencies: where a platform has no binary, or a
 * package is not installed, loading fails here and the client uses its own pure-TypeScript codec
 * instead. `tools/bench` (`npm run bench -- codecs`) measures both; the native one is used only where
 * it was measured faster (see docs/benchmarks.md).
 */
import { createRequire } from 'node:module';

export interface NativeCrc32c {
  crc32c(input: Uint8Array, initialState?: number): number;
}

export interface NativeLz4 {
  /** LZ4 block with its uncompressed size prepended (4 bytes, little-endian). */
  compressSync(data: Uint8Array): Buffer;
  /** Inverse of compressSync: expects the 4-byte size prefix. */
  uncompressSync(data: Uint8Array): Buffer;
}

export interface NativeSnappy {
  /** Raw (unframed) Snappy, the format Pulsar carries. */
  compressSync(data: Uint8Array): Buffer;
  uncompressSync(data: Uint8Array, options?: { asBuffer?: boolean }): Buffer | string;
}

const load = createRequire(import.meta.url);

function optional<T>(name: string): T | undefined {
  try {
    return load(name) as T;
  } catch {
    return undefined; // not installed, or no binary for this platform: the pure-TS codec is used
  }
}

/** The native packages that loaded on this platform (each undefined where it did not). */
export const native: {
  readonly crc32c: NativeCrc32c | undefined;
  readonly lz4: NativeLz4 | undefined;
  readonly snappy: NativeSnappy | undefined;
} = {
  crc32c: optional<NativeCrc32c>('@node-rs/crc32'),
  lz4: optional<NativeLz4>('lz4-napi'),
  snappy: optional<NativeSnappy>('snappy'),
};
