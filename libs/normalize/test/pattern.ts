import type { Pattern } from '@patternmesh/proto';

/** A pattern as the gateway would hand it to the normalizer: payload bytes, nothing derived yet. */
export function rawPattern(source: string, body: unknown, contentType = 'application/json'): Pattern {
  const payload = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    id: '01930000-0000-7000-8000-000000000001',
    tenant: 'acme',
    source,
    receivedAt: new Date('2025-03-01T12:00:00Z'),
    eventTime: undefined,
    idempotencyKey: '',
    contentType,
    payload,
    attributes: {},
    normalized: undefined,
    classification: undefined,
    route: undefined,
    entity: '',
  };
}
