/**
 * The CRC-32C the client frames with: `@node-rs/crc32`'s SIMD implementation where it loaded, for
 * inputs large enough to pay for the call; the TypeScript slicing-by-16 otherwise (see codecs.ts).
 */
import { selected } from './codecs';

export const crc32c = selected.crc32c;
