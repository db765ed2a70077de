/**
 * Schemas for the broker's schema registry. A producer (or consumer) that declares a schema makes the
 * broker register it on the topic, or refuse the producer when it is incompatible with what is there;
 * subscribers in other languages then read the topic's schema from the registry instead of needing a
 * copy of ours. This client does not encode or decode payloads by schema: payloads stay bytes, and
 * the schema only describes them.
 */
import { PulsarError } from './errors';

/**
 * Schema types, by the names the Java client and the admin REST API use. `NONE` and `BYTES` mean "no
 * schema": like the Java and Go clients we then send none, which the broker treats as raw bytes.
 */
export const SchemaTypes = {
  NONE: 0,
  BYTES: 0,
  STRING: 1,
  JSON: 2,
  PROTOBUF: 3,
  AVRO: 4,
  BOOLEAN: 5,
  INT8: 6,
  INT16: 7,
  INT32: 8,
  INT64: 9,
  FLOAT: 10,
  DOUBLE: 11,
  DATE: 12,
  TIME: 13,
  TIMESTAMP: 14,
  INSTANT: 16,
  LOCAL_DATE: 17,
  LOCAL_TIME: 18,
  LOCAL_DATE_TIME: 19,
  PROTOBUF_NATIVE: 20,
} as const;
export type SchemaType = keyof typeof SchemaTypes;

/** Types whose schema is described by its data (a definition); the others are fixed by their type. */
const NEEDS_DATA: ReadonlySet<SchemaType> = new Set(['JSON', 'PROTOBUF', 'AVRO', 'PROTOBUF_NATIVE']);

/**
 * What a producer or consumer declares (Java's `SchemaInfo`). `data` is the definition in the
 * registry's format for the type: for JSON, AVRO and PROTOBUF an Avro schema as JSON text; for
 * PROTOBUF_NATIVE the JSON `{"fileDescriptorSet": <base64 FileDescriptorSet>, "rootMessageTypeName",
 * "rootFileDescriptorName"}`.
 */
export interface SchemaInfo {
  type: SchemaType;
  /** Shown in the registry; the Java client leaves it empty. */
  name?: string;
  data?: Uint8Array | string;
  properties?: Record<string, string>;
}

/** @internal `Schema` as it goes into CommandProducer / CommandSubscribe. */
export interface WireSchema {
  name: string;
  schemaData: Uint8Array;
  type: number;
  properties: Array<{ key: string; value: string }>;
}

/**
 * @internal Checks a schema option and turns it into its wire form; undefined for none (no option,
 * NONE or BYTES).
 */
export function wireSchema(info: SchemaInfo | undefined): WireSchema | undefined {
  if (info === undefined) return undefined;
  if (info === null || typeof info !== 'object' || !Object.hasOwn(SchemaTypes, info.type))
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `unknown schema type '${String(info?.type)}'`);
  if (info.type === 'NONE' || info.type === 'BYTES') return undefined;
  const data =
    typeof info.data === 'string' ? Buffer.from(info.data, 'utf8') : (info.data ?? new Uint8Array());
  if (NEEDS_DATA.has(info.type) && data.length === 0)
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `a ${info.type} schema needs its definition in 'data'`);
  return {
    name: info.name ?? '',
    schemaData: data,
    type: SchemaTypes[info.type],
    properties: Object.entries(info.properties ?? {}).map(([key, value]) => ({ key, value })),
  };
}
