import { aNormalized, aPattern } from '@patternmesh/pattern/testing';
import type { Normalized, Pattern } from '@patternmesh/proto';

/** A pattern as the normalizer hands it to the classifier. */
export function normalizedPattern(n: Partial<Normalized>, p: Partial<Pattern> = {}): Pattern {
  return aPattern({
    id: '01930000-0000-7000-8000-000000000002',
    source: 'acme.app',
    entity: '',
    receivedAt: new Date('2025-03-01T12:00:00Z'),
    ...p,
    normalized: aNormalized(n),
  });
}
