import { describe, expect, it } from 'vitest';
import { validateCondition } from './condition';

describe('validateCondition', () => {
  it('accepts every shape', () => {
    expect(
      validateCondition({
        all: [
          { field: 'normalized.amount', op: 'gte', value: 100 },
          {
            any: [
              { field: 'attributes.k8s.ns', op: 'exists' },
              { not: { field: 'source', op: 'matches', value: '^x' } },
            ],
          },
          { field: 'normalized.severity', op: 'in', value: ['high', 'SEVERITY_CRITICAL'] },
          { field: 'normalized.extra.alert.category', op: 'contains', value: 'scan' },
        ],
      }),
    ).toEqual([]);
  });

  it('lists every problem with its location', () => {
    expect(
      validateCondition({
        all: [
          { field: 'normalized.srcIP', op: 'eq', value: '1.2.3.4' },
          { field: 'payload', op: 'exists' },
          { field: 'source', op: 'equals', value: 'x' },
          { field: 'normalized.amount', op: 'gt', value: '100' },
          { field: 'normalized.severity', op: 'gte', value: 'urgent' },
          { field: 'source', op: 'matches', value: '(' },
          { field: 'source', op: 'in', value: [] },
          { field: 'source', op: 'exists', value: true },
          { any: [] },
          { all: [], field: 'x' },
          { not: { field: 'tenant', op: 'eq', value: { a: 1 } } },
          'x',
        ],
      }),
    ).toEqual([
      'when.all[0]: field "normalized.srcIP" is not a normalized field; expected normalized.<ontologyVersion|kind|summary|severity|actor|host|srcIp|dstIp|srcPort|dstPort|protocol|indicator|indicatorType|amount|currency|tags|mappingId> or normalized.extra.<path>',
      'when.all[1]: field "payload" is not readable by rules; expected id, tenant, source, entity, contentType, idempotencyKey, attributes.<key> or normalized.<field>',
      'when.all[2]: op "equals" is unknown; expected one of eq, neq, in, gte, lte, gt, lt, contains, matches, exists',
      'when.all[3]: "gt" needs a number value',
      'when.all[4]: "urgent" is not a severity; expected a name such as "high"',
      'when.all[5]: Invalid regular expression: /(/: Unterminated group',
      'when.all[6]: "in" needs a non-empty list of strings, numbers or booleans',
      'when.all[7]: "exists" takes no value (use "not" for absence)',
      'when.all[8].any: must be a non-empty list of conditions',
      'when.all[9]: has all and field; use exactly one (wrap them in "all")',
      'when.all[10].not: "eq" needs a string, number, boolean or null value',
      'when.all[11]: must be an object with one of all, any, not or field',
    ]);
  });
});
