/**
 * Reads only the id (field 1) and `received_at` (field 4) of an encoded `patternmesh.pattern.v1.Pattern`,
 * skipping every other field without decoding it. The checker runs inside the all-in-one process, so
 * a full decode of every arriving envelope would spend the pipeline's CPU on the bench's behalf.
 */
export interface EnvelopePeek {
  readonly id: string;
  /** Gateway acceptance time, Unix milliseconds (fractional); NaN when the field is absent. */
  readonly receivedAtMs: number;
}

const decoder = new TextDecoder();

export function peekEnvelope(bytes: Uint8Array): EnvelopePeek {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      // Numbers above 2^31 (seconds are not, nanos are not, lengths are not) still add up right here.
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (pos > bytes.length) throw new RangeError('truncated varint');
    }
  };
  let id = '';
  let receivedAtMs = Number.NaN;
  while (pos < bytes.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      varint();
    } else if (wire === 2) {
      const length = varint();
      const start = pos;
      pos += length;
      if (field === 1) id = decoder.decode(bytes.subarray(start, pos));
      else if (field === 4) receivedAtMs = timestampMs(bytes.subarray(start, pos));
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new RangeError(`unsupported wire type ${wire}`);
    }
  }
  return { id, receivedAtMs };
}

/** google.protobuf.Timestamp: seconds (1), nanos (2), both varints. */
function timestampMs(bytes: Uint8Array): number {
  let pos = 0;
  let seconds = 0;
  let nanos = 0;
  while (pos < bytes.length) {
    const tag = bytes[pos++]!;
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if (tag === 0x08) seconds = value;
    else if (tag === 0x10) nanos = value;
  }
  return seconds * 1000 + nanos / 1e6;
}
