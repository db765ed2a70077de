import { Severity } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { normalizedPattern } from '../test/pattern';
import type { Condition } from './condition';
import { compileCondition } from './evaluate';

const p = normalizedPattern(
  {
    kind: 'transaction',
    amount: 12500,
    severity: Severity.SEVERITY_HIGH,
    tags: ['fraud', 'card'],
    summary: 'Port scan from 10.0.0.1',
    extra: {
      channel: 'ECOMMERCE',
      card_present: false,
      latency_ms: '30012',
      flag: 'true',
      nested: { a: null },
    },
  },
  { source: 'fraud.cards', attributes: { 'k8s.namespace': 'payments', region: '' } },
);
const holds = (c: Condition) => compileCondition(c)(p);

describe('compileCondition', () => {
  it('compares equality, including numeric and boolean text', () => {
    expect(holds({ field: 'normalized.kind', op: 'eq', value: 'transaction' })).toBe(true);
    expect(holds({ field: 'normalized.kind', op: 'neq', value: 'transaction' })).toBe(false);
    expect(holds({ field: 'normalized.extra.latency_ms', op: 'eq', value: 30012 })).toBe(true);
    expect(holds({ field: 'normalized.extra.flag', op: 'eq', value: true })).toBe(true);
    expect(holds({ field: 'normalized.extra.card_present', op: 'eq', value: false })).toBe(true);
    expect(holds({ field: 'source', op: 'in', value: ['fraud.cards', 'fraud.wire'] })).toBe(true);
  });

  it('orders numbers and named severities', () => {
    expect(holds({ field: 'normalized.amount', op: 'gte', value: 10000 })).toBe(true);
    expect(holds({ field: 'normalized.amount', op: 'lt', value: 10000 })).toBe(false);
    expect(holds({ field: 'normalized.extra.latency_ms', op: 'gt', value: 30000 })).toBe(true);
    expect(holds({ field: 'normalized.severity', op: 'gte', value: 'high' })).toBe(true);
    expect(holds({ field: 'normalized.severity', op: 'gt', value: 'SEVERITY_HIGH' })).toBe(false);
    expect(holds({ field: 'normalized.severity', op: 'eq', value: 'high' })).toBe(true);
    expect(holds({ field: 'normalized.kind', op: 'gt', value: 1 })).toBe(false);
  });

  it('tests substrings, list elements and regular expressions', () => {
    expect(holds({ field: 'normalized.tags', op: 'contains', value: 'card' })).toBe(true);
    expect(holds({ field: 'normalized.summary', op: 'contains', value: 'scan' })).toBe(true);
    expect(holds({ field: 'normalized.summary', op: 'matches', value: '(?i:PORT SCAN)' })).toBe(true);
    expect(holds({ field: 'normalized.extra.channel', op: 'matches', value: '^ecommerce$' })).toBe(false);
  });

  it('reads attribute keys that contain dots', () => {
    expect(holds({ field: 'attributes.k8s.namespace', op: 'eq', value: 'payments' })).toBe(true);
  });

  it('treats missing, null, empty and unset typed numbers as absent', () => {
    expect(holds({ field: 'attributes.k8s.namespace', op: 'exists' })).toBe(true);
    expect(holds({ field: 'attributes.region', op: 'exists' })).toBe(false);
    expect(holds({ field: 'normalized.extra.nested.a', op: 'exists' })).toBe(false);
    expect(holds({ field: 'normalized.extra.missing', op: 'exists' })).toBe(false);
    expect(holds({ field: 'normalized.srcPort', op: 'exists' })).toBe(false);
    expect(holds({ field: 'normalized.amount', op: 'exists' })).toBe(true);
    expect(holds({ field: 'normalized.extra.missing', op: 'neq', value: 'x' })).toBe(true);
  });

  it('combines with all, any and not', () => {
    const yes: Condition = { field: 'normalized.kind', op: 'eq', value: 'transaction' };
    const no: Condition = { field: 'normalized.kind', op: 'eq', value: 'alert' };
    expect(holds({ all: [yes, no] })).toBe(false);
    expect(holds({ any: [no, yes] })).toBe(true);
    expect(holds({ not: no })).toBe(true);
  });

  it('matches nothing under normalized when the pattern is not normalized', () => {
    const raw = { ...p, normalized: undefined };
    expect(compileCondition({ field: 'normalized.kind', op: 'exists' })(raw)).toBe(false);
    expect(compileCondition({ field: 'source', op: 'eq', value: 'fraud.cards' })(raw)).toBe(true);
  });
});
