import { Severity, type Normalized, type Pattern } from '@patternmesh/proto';

/** A normalized section with every field at its empty value, for tests to override. */
export function aNormalized(overrides: Partial<Normalized> = {}): Normalized {
  return {
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
    ...overrides,
  };
}

/** A complete envelope (as the gateway builds it: not yet normalized), for tests to override. */
export function aPattern(overrides: Partial<Pattern> = {}): Pattern {
  return {
    id: '01930000-0000-7000-8000-000000000001',
    tenant: 'acme',
    source: 'app.logs',
    entity: 'e-1',
    receivedAt: new Date(0),
    eventTime: undefined,
    idempotencyKey: '',
    contentType: 'application/json',
    payload: Buffer.from('{}'),
    attributes: {},
    normalized: undefined,
    classification: undefined,
    route: undefined,
    ...overrides,
  };
}
