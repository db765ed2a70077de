import { Pattern } from '@patternmesh/proto';

/**
 * The message key: tenant, source and entity. Key_Shared subscriptions keep everything about one
 * entity of one source in order, while different entities spread over replicas.
 */
export function messageKey(p: Pick<Pattern, 'tenant' | 'source' | 'entity'>): string {
  return `${p.tenant}/${p.source}/${p.entity}`;
}

/** Protobuf on the wire between stages (the design's format); subscribers get the same .proto. */
export function encodePattern(p: Pattern): Uint8Array {
  return Pattern.encode(p).finish();
}

export function decodePattern(bytes: Uint8Array): Pattern {
  return Pattern.decode(bytes);
}

/** The JSON form (proto3 JSON mapping: camelCase names, RFC 3339 times, base64 bytes). */
export function patternToJson(p: Pattern): unknown {
  return Pattern.toJSON(p);
}
