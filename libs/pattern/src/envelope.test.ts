import { describe, expect, it } from 'vitest';
import { Priority } from '@patternmesh/proto';
import { decodePattern, encodePattern, messageKey, patternToJson } from './envelope';

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
});
