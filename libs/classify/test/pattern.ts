import { Severity, type Normalized, type Pattern } from '@patternmesh/proto';

/** A pattern as the normalizer hands it to the classifier. */
export function normalizedPattern(n: Partial<Normalized>, p: Partial<Pattern> = {}): Pattern {
  return {
    id: '01930000-0000-7000-8000-000000000002',
    tenant: 'acme',
    source: 'acme.app',
    receivedAt: new Date('2025-03-01T12:00:00Z'),
    eventTime: undefined,
    idempotencyKey: '',
    contentType: 'application/json',
    payload: Buffer.from('{}'),
    attributes: {},
    classification: undefined,
    route: undefined,
    entity: '',
    ...p,
    normalized: {
      ontologyVersion: '1',
      kind: 'event',
      summary: '',
      severity: Severity.SEVERITY_UNSPECIFIED,
      actor: '',
      host: '',
      srcIp: '',
      dstIp: '',
      srcPort: 0,
      dstPort: 0,
      protocol: '',
      indicator: '',
      indicatorType: '',
      amount: 0,
      currency: '',
      tags: [],
      mappingId: 'test@1',
      extra: {},
      ...n,
    },
  };
}
