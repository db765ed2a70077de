import { Severity, type Pattern } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { activationOf } from './activation';
import { compileExpression, isExpressionError } from './expression';

const pattern: Pattern = {
  id: 'p1',
  tenant: 'acme',
  source: 'fraud.cards',
  receivedAt: undefined,
  eventTime: undefined,
  idempotencyKey: '',
  contentType: 'application/json',
  payload: Buffer.from(''),
  attributes: { 'k8s.namespace': 'payments' },
  classification: undefined,
  route: undefined,
  entity: 'card-1',
  normalized: {
    ontologyVersion: '1',
    kind: 'transaction',
    summary: 'Card purchase',
    severity: Severity.SEVERITY_HIGH,
    actor: '',
    host: '',
    srcIp: '',
    dstIp: '',
    srcPort: 0,
    dstPort: 443,
    protocol: '',
    indicator: '',
    indicatorType: '',
    amount: 12500,
    currency: 'EUR',
    tags: ['card'],
    mappingId: 'm@1',
    extra: { channel: 'ecommerce', alert: { category: 'scan' }, 'risk.score': 0.9 },
  },
};
const run = (src: string) => compileExpression(src).test(pattern);
const compileError = (src: string) => {
  try {
    compileExpression(src, { file: 'rules.json', ruleId: 'card-high-amount' });
  } catch (e) {
    expect(isExpressionError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('compiled');
};

describe('compileExpression', () => {
  it('reads the envelope, normalized fields, attributes and extra', () => {
    expect(run("normalized.kind == 'transaction' && normalized.amount >= 10000.0")).toEqual({
      ok: true,
      value: true,
    });
    expect(run("pattern.source.startsWith('fraud.') && 'card' in normalized.tags")).toEqual({
      ok: true,
      value: true,
    });
    expect(run("attributes['k8s.namespace'] == 'payments'")).toEqual({ ok: true, value: true });
    expect(run("normalized.extra.channel == 'ecommerce'")).toEqual({ ok: true, value: true });
    expect(run('normalized.dst_port == 443')).toEqual({ ok: true, value: true });
    expect(run("lookup(normalized.extra, 'alert.category') == 'scan'")).toEqual({ ok: true, value: true });
    expect(run("lookup(normalized.extra, 'risk.score') == 0.9")).toEqual({ ok: true, value: true });
    expect(run("lookup(normalized.extra, 'nope') == null")).toEqual({ ok: true, value: true });
  });

  it('names enum values in both forms', () => {
    expect(run('normalized.severity >= Severity.high')).toEqual({ ok: true, value: true });
    expect(run('normalized.severity == Severity.SEVERITY_HIGH')).toEqual({ ok: true, value: true });
    expect(run('normalized.severity > Severity.high')).toEqual({ ok: true, value: false });
    expect(run('classification.priority == Priority.unspecified')).toEqual({ ok: true, value: true });
  });

  it('reads unset messages as defaults', () => {
    const raw = { ...pattern, normalized: undefined };
    expect(compileExpression("normalized.kind == ''").test(raw)).toEqual({ ok: true, value: true });
    expect(compileExpression('has(normalized.extra.channel)').test(raw)).toEqual({ ok: true, value: false });
    expect(activationOf(raw).normalized['severity']).toBe(0n);
  });

  it('turns runtime errors into an outcome, never a throw', () => {
    const out = run("normalized.extra.missing == 'x'");
    expect(out.ok).toBe(false);
    expect(out).toMatchObject({ error: expect.stringContaining('missing') });
    expect(run("has(normalized.extra.missing) && normalized.extra.missing == 'x'")).toEqual({
      ok: true,
      value: false,
    });
    expect(run("attributes['absent'] == 'x'").ok).toBe(false);
  });

  it('reports compile errors with file, rule id and line:column', () => {
    expect(compileError('normalized.amount > 1.0 && amout > 1')).toBe(
      `rules.json: rule "card-high-amount": 1:28 undeclared reference to 'amout'`,
    );
    expect(compileError("normalized.kind == 'x' &&\n  pattern.sourc == 'y'")).toBe(
      `rules.json: rule "card-high-amount": 2:11 undefined field 'sourc'`,
    );
    expect(compileError('normalized.severity >= Severity.hihg')).toMatch(
      /^rules\.json: rule "card-high-amount": 1:33 Severity has no value 'hihg'; expected one of /,
    );
    expect(compileError("normalized.summary.matches('(')")).toMatch(/1:28 Invalid regular expression/);
    expect(compileError('1 +')).toMatch(/^rules\.json: rule "card-high-amount": 1:4 /);
    expect(compileError('')).toMatch(/expression is empty/);
  });

  it('checks types: the result must be a bool, operands must fit', () => {
    expect(compileError('normalized.kind')).toMatch(/1:1 expression is of type string, expected bool/);
    expect(compileError("normalized.amount > 'x'")).toMatch(/^rules\.json: rule "card-high-amount": 1:\d+ /);
  });
});
