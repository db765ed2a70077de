import { fromBinary, type Registry } from '@bufbuild/protobuf';
import type { Value } from '@bufbuild/cel-spec/cel/expr/value_pb.js';

/**
 * A CEL value in one form every candidate's inputs and outputs are converted to and from, so results
 * can be compared with the conformance files' expectations. `num` is a JavaScript number from a
 * candidate that does not tell int, uint and double apart; it matches any of them by value.
 */
export type N =
  | { k: 'null' }
  | { k: 'bool'; v: boolean }
  | { k: 'int'; v: bigint }
  | { k: 'uint'; v: bigint }
  | { k: 'double'; v: number }
  | { k: 'num'; v: number }
  | { k: 'string'; v: string }
  | { k: 'bytes'; v: Uint8Array }
  | { k: 'list'; v: N[] }
  | { k: 'map'; v: [N, N][] }
  | { k: 'type'; v: string }
  | { k: 'msg'; typeName: string; bin: Uint8Array }
  | { k: 'opaque'; v: string };

const WRAPPERS: Record<string, 'int' | 'uint' | 'double' | 'string' | 'bytes' | 'bool'> = {
  'google.protobuf.Int32Value': 'int',
  'google.protobuf.Int64Value': 'int',
  'google.protobuf.UInt32Value': 'uint',
  'google.protobuf.UInt64Value': 'uint',
  'google.protobuf.FloatValue': 'double',
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
  'google.protobuf.BoolValue': 'bool',
};

/** The expected value of a conformance test in the common form. */
export function fromSpecValue(v: Value | undefined, registry: Registry): N {
  const kind = v?.kind;
  switch (kind?.case) {
    case undefined:
    case 'nullValue':
      return { k: 'null' };
    case 'boolValue':
      return { k: 'bool', v: kind.value };
    case 'int64Value':
      return { k: 'int', v: kind.value };
    case 'uint64Value':
      return { k: 'uint', v: kind.value };
    case 'doubleValue':
      return { k: 'double', v: kind.value };
    case 'stringValue':
      return { k: 'string', v: kind.value };
    case 'bytesValue':
      return { k: 'bytes', v: kind.value };
    case 'enumValue':
      return { k: 'int', v: BigInt(kind.value.value) };
    case 'typeValue':
      return { k: 'type', v: kind.value };
    case 'listValue':
      return { k: 'list', v: kind.value.values.map((x) => fromSpecValue(x, registry)) };
    case 'mapValue':
      return {
        k: 'map',
        v: kind.value.entries.map((e) => [fromSpecValue(e.key, registry), fromSpecValue(e.value, registry)]),
      };
    case 'objectValue': {
      const typeName = kind.value.typeUrl.slice(kind.value.typeUrl.lastIndexOf('/') + 1);
      const wrapped = WRAPPERS[typeName];
      const desc = registry.getMessage(typeName);
      if (wrapped && desc) {
        const m = fromBinary(desc, kind.value.value) as unknown as { value: unknown };
        const raw = m.value;
        if (wrapped === 'int' || wrapped === 'uint') return { k: wrapped, v: BigInt(raw as number) };
        return { k: wrapped, v: raw } as N;
      }
      return { k: 'msg', typeName, bin: kind.value.value };
    }
  }
}

/** Whether a candidate's result equals the expectation (maps compare as sets of entries). */
export function same(got: N, want: N): boolean {
  if (got.k === 'num') {
    if (want.k === 'int' || want.k === 'uint') return got.v === Number(want.v);
    if (want.k === 'double') return got.v === want.v || (Number.isNaN(got.v) && Number.isNaN(want.v));
    return false;
  }
  if (got.k !== want.k) return false;
  switch (want.k) {
    case 'null':
      return true;
    case 'double':
      return (
        (got as typeof want).v === want.v || (Number.isNaN((got as typeof want).v) && Number.isNaN(want.v))
      );
    case 'bytes':
      return bytesEqual((got as typeof want).v, want.v);
    case 'list': {
      const g = (got as typeof want).v;
      return g.length === want.v.length && g.every((x, i) => same(x, want.v[i]!));
    }
    case 'map': {
      const g = (got as typeof want).v;
      return (
        g.length === want.v.length &&
        want.v.every(([wk, wv]) => g.some(([gk, gv]) => same(gk, wk) && same(gv, wv)))
      );
    }
    case 'msg': {
      const g = got as typeof want;
      return g.typeName === want.typeName && bytesEqual(g.bin, want.bin);
    }
    case 'opaque':
      return false;
    default:
      return (got as { v: unknown }).v === want.v;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
