import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { Classification, Normalized, Pattern, Route } from '@patternmesh/proto';

/**
 * The message key: tenant, source and entity. Key_Shared subscriptions keep everything about one
 * entity of one source in order, while different entities spread over replicas.
 */
export function messageKey(p: Pick<Pattern, 'tenant' | 'source' | 'entity'>): string {
  return `${p.tenant}/${p.source}/${p.entity}`;
}

/**
 * One writer for every encode in the process. A fresh writer starts at 128 bytes and doubles (a new
 * zero-filled array each time) until the envelope fits: for a ~1 KiB pattern that was four
 * allocations and copies per message, the largest single cost of encoding. Encoding is synchronous,
 * so sharing is safe; `finish()` copies the bytes out, so a result never aliases the writer.
 */
let writer = new BinaryWriter();
/** An envelope bigger than this gives its grown buffer back rather than keep it for the process's life. */
const KEEP_WRITER_BYTES = 256 * 1024;

function withWriter(write: (w: BinaryWriter) => void): Uint8Array {
  const w = writer;
  let bytes: Uint8Array;
  try {
    write(w);
    bytes = w.finish();
  } catch (error) {
    writer = new BinaryWriter(); // a throw mid-message leaves forks open: never reuse that state
    throw error;
  }
  if (bytes.length > KEEP_WRITER_BYTES) writer = new BinaryWriter();
  return bytes;
}

/** Protobuf on the wire between stages (the design's format); subscribers get the same .proto. */
export function encodePattern(p: Pattern): Uint8Array {
  return withWriter((w) => Pattern.encode(p, w));
}

export function decodePattern(bytes: Uint8Array): Pattern {
  return Pattern.decode(bytes);
}

/** What a stage adds to the envelope: each stage owns one sub-message (`Pattern` fields 10, 11, 12). */
export interface StageAddition {
  readonly normalized?: Normalized;
  readonly classification?: Classification;
  readonly route?: Route;
}

// Wire tags (field number << 3 | length-delimited) of the stage-owned sub-messages in pattern.proto.
const TAG_NORMALIZED = (10 << 3) | 2;
const TAG_CLASSIFICATION = (11 << 3) | 2;
const TAG_ROUTE = (12 << 3) | 2;

/**
 * The envelope a stage publishes: `received` (the bytes it consumed, decoded as `decoded`) plus the
 * stage's addition. When the input lacks every added field, the addition is encoded alone and
 * appended to the received bytes — protobuf reads concatenated messages as one — so the payload,
 * attributes and everything else upstream wrote are copied, not re-encoded. When a field is already
 * there (a replay of a topic downstream of the stage), appending would *merge* the two sub-messages
 * (repeated fields such as `labels` concatenate, scalars left unset keep the old value), so the whole
 * envelope is encoded afresh with the new value in place of the old.
 */
export function extendPattern(received: Uint8Array, decoded: Pattern, addition: StageAddition): Uint8Array {
  const { normalized, classification, route } = addition;
  const replaces =
    (normalized !== undefined && decoded.normalized !== undefined) ||
    (classification !== undefined && decoded.classification !== undefined) ||
    (route !== undefined && decoded.route !== undefined);
  if (replaces) return encodePattern({ ...decoded, ...addition });
  return withWriter((w) => {
    w.raw(received);
    if (normalized !== undefined) Normalized.encode(normalized, w.uint32(TAG_NORMALIZED).fork()).join();
    if (classification !== undefined)
      Classification.encode(classification, w.uint32(TAG_CLASSIFICATION).fork()).join();
    if (route !== undefined) Route.encode(route, w.uint32(TAG_ROUTE).fork()).join();
  });
}

/** The JSON form (proto3 JSON mapping: camelCase names, RFC 3339 times, base64 bytes). */
export function patternToJson(p: Pattern): unknown {
  return Pattern.toJSON(p);
}
