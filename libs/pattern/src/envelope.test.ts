import { BinaryReader } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { Lane, Pattern, Priority } from '@patternmesh/proto';
import { decodePattern, encodePattern, extendPattern, messageKey, patternToJson } from './envelope';

/** Field numbers of the top-level fields in wire order: what any protobuf reader (not just ours) sees. */
function topLevelFields(bytes: Uint8Array): number[] {
  const reader = new BinaryReader(bytes);
  const fields: number[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    fields.push(field);
    reader.skip(wireType);
  }
  return fields;
}

describe('envelope', () => {
  const pattern = {
    id: '0194f0a2-0000-7000-8000-000000000001',
    tenant: 'acme',
    source: 'fraud.cards',
    entity: 'card-42',
    receivedAt: new Date('2026-11-23T10:00:00Z'),
    idempotencyKey: '',
    contentType: 'application/json',
    payload: Buffer.from('{"amount":12}'),
    attributes: { region: 'eu' },
    classification: {
      category: 'fraud',
      priority: Priority.PRIORITY_HIGH,
      score: 0.7,
      labels: [],
      modelVersion: 'rules@1',
      ruleIds: [],
      explanation: '',
    },
  };

  it('round-trips through the protobuf wire format unchanged', () => {
    const decoded = decodePattern(encodePattern(pattern as never));
    expect(decoded.id).toBe(pattern.id);
    expect(Buffer.from(decoded.payload).toString()).toBe('{"amount":12}');
    expect(decoded.classification?.priority).toBe(Priority.PRIORITY_HIGH);
    expect(decoded.receivedAt?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });

  it('keys by tenant, source and entity', () => {
    expect(messageKey(pattern)).toBe('acme/fraud.cards/card-42');
  });

  it('renders enums by name in JSON for subscribers', () => {
    const json = patternToJson(pattern as never) as Record<string, Record<string, unknown>>;
    expect(json['classification']?.['priority']).toBe('PRIORITY_HIGH');
  });

  it('encodes each pattern on its own although the writer is shared', () => {
    const first = encodePattern({ ...pattern, id: 'a' } as never);
    const firstCopy = Uint8Array.from(first);
    const second = encodePattern({ ...pattern, id: 'b', payload: Buffer.alloc(4096, 1) } as never);
    expect(first).toEqual(firstCopy);
    expect(decodePattern(first).id).toBe('a');
    expect(decodePattern(second).payload.length).toBe(4096);
  });

  it('survives a failed encode: the next one is not corrupted by the half-written message', () => {
    // An out-of-range int32 throws inside the classification sub-message, with a fork still open.
    const broken = { ...pattern, classification: { ...pattern.classification, priority: 2 ** 40 } };
    expect(() => encodePattern(broken as never)).toThrow();
    expect(decodePattern(encodePattern(pattern as never))).toEqual(
      decodePattern(Pattern.encode(pattern as never).finish()),
    );
  });

  describe('extendPattern (a stage adds its sub-message)', () => {
    const { classification, ...unclassified } = pattern;
    const received = encodePattern(unclassified as never);
    const decoded = decodePattern(received);

    it('appends the addition to the received bytes when the input lacks it, copying the rest as received', () => {
      const out = extendPattern(received, decoded, { classification } as never);
      expect(out.subarray(0, received.length)).toEqual(received);
      expect(decodePattern(out)).toEqual({ ...decoded, classification });
    });

    it('adds several sub-messages at once', () => {
      const route = {
        lane: Lane.LANE_CRITICAL,
        destinations: ['persistent://acme/patterns/critical'],
        ruleId: 'r1',
        tableVersion: '3',
      };
      const out = extendPattern(received, decoded, { classification, route } as never);
      expect(decodePattern(out).route?.destinations).toEqual(route.destinations);
      expect(decodePattern(out).classification?.category).toBe('fraud');
    });

    it('re-encodes rather than append when the input already has the field (a merge would mix old and new)', () => {
      const old = { ...classification, category: 'old', labels: ['stale'] };
      const replayed = encodePattern({ ...unclassified, classification: old } as never);
      const fresh = { ...classification, labels: ['new'] };
      const out = extendPattern(replayed, decodePattern(replayed), { classification: fresh } as never);
      // Protobuf readers merge a repeated sub-message (Java, Go: labels would be [stale, new]), so the
      // field must appear once.
      expect(topLevelFields(out).filter((f) => f === 11)).toHaveLength(1);
      expect(decodePattern(out).classification).toEqual(fresh);
    });
  });
});
