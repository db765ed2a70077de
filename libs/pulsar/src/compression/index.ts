/**
 * Payload codecs by Pulsar `CompressionType`. ZLIB and ZSTD come from Node's zlib (ZSTD is built into
 * Node ≥ 22.15/23.8); LZ4 is `lz4-napi` where it loaded and pays (else our own block codec), Snappy our
 * own (see ../codecs.ts for the measured choice).
 */
import zlib from 'node:zlib';
import { PulsarError } from '../errors';
import { CompressionType } from '../proto/commands';
import { selected } from '../codecs';

/** Codec names accepted in producer options. */
export type CompressionName = 'none' | 'zlib' | 'lz4' | 'zstd' | 'snappy';

const BY_NAME: Record<CompressionName, number> = {
  none: CompressionType.NONE,
  lz4: CompressionType.LZ4,
  zlib: CompressionType.ZLIB,
  zstd: CompressionType.ZSTD,
  snappy: CompressionType.SNAPPY,
};

/** The wire enum value for a codec name. */
export function compressionType(name: CompressionName | undefined): number {
  if (name === undefined) return CompressionType.NONE;
  const t = BY_NAME[name];
  if (t === undefined)
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `unknown compression '${String(name)}'`);
  return t;
}

/** Compresses a (batch) payload with the given codec. NONE returns the input. */
export function compress(type: number, data: Uint8Array): Uint8Array {
  switch (type) {
    case CompressionType.NONE:
      return data;
    case CompressionType.LZ4:
      return selected.lz4.compress(data);
    case CompressionType.ZLIB:
      return zlib.deflateSync(data);
    case CompressionType.ZSTD:
      return zlib.zstdCompressSync(data);
    case CompressionType.SNAPPY:
      return selected.snappy.compress(data);
    default:
      throw new PulsarError('PULSAR_COMPRESSION', `unsupported compression type ${type}`);
  }
}

/**
 * Decompresses a payload. `uncompressedSize` comes from the message metadata; it sizes the LZ4 output
 * and is checked against every codec's result so a corrupt entry is reported rather than misparsed.
 */
export function decompress(type: number, data: Uint8Array, uncompressedSize: number): Buffer {
  let out: Buffer;
  try {
    switch (type) {
      case CompressionType.NONE:
        return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      case CompressionType.LZ4:
        out = selected.lz4.decompress(data, uncompressedSize);
        break;
      case CompressionType.ZLIB:
        // The Java client deflates with SYNC_FLUSH and never finishes the stream (no final block, no
        // Adler-32 trailer), so inflate must accept an unterminated stream.
        out = zlib.inflateSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
        break;
      case CompressionType.ZSTD:
        out = zlib.zstdDecompressSync(data);
        break;
      case CompressionType.SNAPPY:
        out = selected.snappy.decompress(data, uncompressedSize);
        break;
      default:
        throw new PulsarError('PULSAR_COMPRESSION', `unsupported compression type ${type}`);
    }
  } catch (e) {
    throw new PulsarError('PULSAR_COMPRESSION', `decompression failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (out.length !== uncompressedSize) {
    throw new PulsarError(
      'PULSAR_COMPRESSION',
      `uncompressed size ${out.length} does not match metadata ${uncompressedSize}`,
    );
  }
  return out;
}
