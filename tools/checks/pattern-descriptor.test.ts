import { createFileRegistry, fromBinary, toJson } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import {
  Lane,
  Pattern,
  patternDescriptorSet,
  patternPulsarSchema,
  PATTERN_MESSAGE_TYPE,
} from '@patternmesh/proto';

// What a subscriber in another language does with the schema registry's entry: build the message
// type from the descriptor set alone (no .proto, no generated code) and decode our bytes with it.
// Here with @bufbuild/protobuf's reflection; the Python client does the same in the router's broker test.
describe('the Pattern descriptor set', () => {
  it('describes the envelope ts-proto encodes, imports included', () => {
    const set = fromBinary(FileDescriptorSetSchema, patternDescriptorSet());
    expect(set.file.map((f) => f.name)).toEqual([
      'google/protobuf/struct.proto',
      'google/protobuf/timestamp.proto',
      'patternmesh/pattern/v1/pattern.proto',
    ]);
    const type = createFileRegistry(set).getMessage(PATTERN_MESSAGE_TYPE)!;
    const bytes = Pattern.encode({
      ...Pattern.fromPartial({ id: 'p-1', tenant: 'acme', attributes: { a: 'b' } }),
      receivedAt: new Date('2026-01-02T03:04:05.006Z'),
      route: {
        lane: Lane.LANE_CRITICAL,
        destinations: ['persistent://acme/patterns/critical'],
        ruleId: 'r',
        tableVersion: '7',
      },
    }).finish();
    expect(toJson(type, fromBinary(type, bytes))).toEqual({
      id: 'p-1',
      tenant: 'acme',
      attributes: { a: 'b' },
      receivedAt: '2026-01-02T03:04:05.006Z',
      route: {
        lane: 'LANE_CRITICAL',
        destinations: ['persistent://acme/patterns/critical'],
        ruleId: 'r',
        tableVersion: '7',
      },
    });
  });

  it('is what the Pulsar schema carries, in the Java client PROTOBUF_NATIVE JSON', () => {
    const schema = patternPulsarSchema();
    expect(schema.type).toBe('PROTOBUF_NATIVE');
    expect(JSON.parse(Buffer.from(schema.data).toString('utf8'))).toEqual({
      fileDescriptorSet: Buffer.from(patternDescriptorSet()).toString('base64'),
      rootMessageTypeName: 'patternmesh.pattern.v1.Pattern',
      rootFileDescriptorName: 'patternmesh/pattern/v1/pattern.proto',
    });
  });
});
