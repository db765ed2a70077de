import { encodePattern } from '@patternmesh/pattern';
import { Pattern } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { peekEnvelope } from './envelope-peek';

describe('peekEnvelope', () => {
  it('reads the id and received_at of a full envelope without decoding the rest', () => {
    const receivedAt = new Date('2026-12-01T12:34:56.789Z');
    const bytes = encodePattern(
      Pattern.fromPartial({
        id: '019a0000-0000-7000-8000-000000000001',
        tenant: 'demo',
        source: 'fraud.cards',
        receivedAt,
        eventTime: new Date('2020-01-01T00:00:00Z'),
        payload: Buffer.alloc(300, 7),
        attributes: { a: 'b' },
        normalized: { summary: 'x', amount: 25000 },
        classification: { score: 0.95 },
        entity: 'card-4242',
      }),
    );
    expect(peekEnvelope(bytes)).toEqual({
      id: '019a0000-0000-7000-8000-000000000001',
      receivedAtMs: receivedAt.getTime(),
    });
  });

  it('says NaN when the envelope has no received_at', () => {
    expect(peekEnvelope(encodePattern(Pattern.fromPartial({ id: 'x' }))).receivedAtMs).toBeNaN();
  });
});
