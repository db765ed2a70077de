/**
 * A tiny declarative layer over the wire codec: a message is a table of `field number → (name, kind)`,
 * and one generic encoder/decoder walks it. The tables for Pulsar's commands live in `commands.ts`;
 * the hot per-message structures (MessageMetadata, SingleMessageMetadata) have hand-unrolled codecs in
 * `metadata.ts` instead.
 *
 * proto2 rules honoured here: `required` fields are always written (even when 0) and a missing one is a
 * bug we throw on when encoding; absent optional fields decode as `undefined` (callers apply the proto defaults);
 * repeated scalars are accepted both packed and unpacked; unknown fields are skipped.
 */
import type { ProtoReader, ProtoWriter } from './wire';
import { WireType } from './wire';

/** `int64big` decodes to bigint (for bit sets such as ack_set, where all 64 bits matter). */
export type ScalarKind =
  'uint32' | 'int32' | 'uint64' | 'int64' | 'int64big' | 'bool' | 'string' | 'bytes' | 'enum';

export interface FieldDef {
  readonly no: number;
  readonly name: string;
  readonly kind: ScalarKind | MessageSchema;
  readonly required: boolean;
  readonly repeated: boolean;
}

export interface MessageSchema {
  readonly name: string;
  readonly fields: readonly FieldDef[];
  readonly byNo: ReadonlyMap<number, FieldDef>;
}

/** Field spec shorthand: `[number, kind]` plus optional flags 'req' | 'rep'. */
export type FieldSpec = readonly [number, ScalarKind | MessageSchema, ...('req' | 'rep')[]];

/** Declares a message schema from `{ name: [fieldNo, kind, flags...] }`. */
export function message(name: string, spec: Record<string, FieldSpec>): MessageSchema {
  const fields: FieldDef[] = Object.entries(spec)
    .map(([fname, [no, kind, ...flags]]) => ({
      no,
      name: fname,
      kind,
      required: flags.includes('req'),
      repeated: flags.includes('rep'),
    }))
    .sort((a, b) => a.no - b.no);
  return { name, fields, byNo: new Map(fields.map((f) => [f.no, f])) };
}

function wireTypeOf(kind: ScalarKind | MessageSchema): number {
  if (typeof kind !== 'string') return WireType.LengthDelimited;
  return kind === 'string' || kind === 'bytes' ? WireType.LengthDelimited : WireType.Varint;
}

function writeScalar(w: ProtoWriter, kind: ScalarKind, v: unknown): void {
  switch (kind) {
    case 'uint32':
      w.uint32(v as number);
      return;
    case 'int32':
    case 'enum':
      w.int32(v as number);
      return;
    case 'uint64':
    case 'int64':
    case 'int64big':
      w.uint64(v as number | bigint);
      return;
    case 'bool':
      w.bool(v as boolean);
      return;
    case 'string':
      w.string(v as string);
      return;
    case 'bytes':
      w.bytes(typeof v === 'string' ? Buffer.from(v) : (v as Uint8Array));
      return;
  }
}

function readScalar(r: ProtoReader, kind: ScalarKind): unknown {
  switch (kind) {
    case 'uint32':
      return r.uint32();
    case 'int32':
    case 'enum':
      return r.int32();
    case 'uint64':
      return r.uint64();
    case 'int64':
      return r.int64();
    case 'int64big':
      return r.int64Big();
    case 'bool':
      return r.bool();
    case 'string':
      return r.string();
    case 'bytes':
      return r.bytes();
  }
}

/** Writes the fields of `obj` (not its own length prefix). */
export function encodeMessage(schema: MessageSchema, obj: object, w: ProtoWriter): void {
  const rec = obj as Record<string, unknown>;
  for (const f of schema.fields) {
    const v = rec[f.name];
    if (v === undefined || v === null) {
      if (f.required) throw new TypeError(`${schema.name}.${f.name} is required`);
      continue;
    }
    const wt = wireTypeOf(f.kind);
    const values = f.repeated ? (v as unknown[]) : [v];
    for (const item of values) {
      w.tag(f.no, wt);
      if (typeof f.kind === 'string') writeScalar(w, f.kind, item);
      else {
        const start = w.fork();
        encodeMessage(f.kind, item as object, w);
        w.ldelim(start);
      }
    }
  }
}

/** Reads a message occupying `[r.pos, end)`. */
export function decodeMessage<T = Record<string, unknown>>(
  schema: MessageSchema,
  r: ProtoReader,
  end: number,
): T {
  const out: Record<string, unknown> = {};
  while (r.pos < end) {
    const key = r.tag();
    const no = key >>> 3;
    const wt = key & 7;
    const f = schema.byNo.get(no);
    if (f === undefined) {
      r.skip(wt);
      continue;
    }
    let value: unknown;
    if (typeof f.kind !== 'string') {
      if (wt !== WireType.LengthDelimited)
        throw new RangeError(`${schema.name}.${f.name}: bad wire type ${wt}`);
      const subEnd = r.nestedEnd();
      value = decodeMessage(f.kind, r, subEnd);
      r.pos = subEnd;
    } else if (f.repeated && wt === WireType.LengthDelimited && wireTypeOf(f.kind) === WireType.Varint) {
      // Packed repeated scalars.
      const subEnd = r.nestedEnd();
      const arr = (out[f.name] as unknown[] | undefined) ?? [];
      while (r.pos < subEnd) arr.push(readScalar(r, f.kind));
      out[f.name] = arr;
      continue;
    } else {
      if (wt !== wireTypeOf(f.kind)) {
        r.skip(wt);
        continue;
      }
      value = readScalar(r, f.kind);
    }
    if (f.repeated) {
      const arr = out[f.name] as unknown[] | undefined;
      if (arr) arr.push(value);
      else out[f.name] = [value];
    } else out[f.name] = value;
  }
  // Missing required fields are not fatal on decode: a lenient reader keeps the connection alive if a
  // broker omits something we would not use anyway. Callers default what they need.
  return out as T;
}
