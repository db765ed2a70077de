import { Priority, Severity } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { normalizedPattern } from '../test/pattern';
import { RuleClassifier, withClassification } from './classifier';
import { DEFAULT_RULES } from './default-rules';
import { isRuleValidationError, validateRules, type ClassificationRule } from './rule';

const classifier = new RuleClassifier(DEFAULT_RULES, { version: '1' });
const { SEVERITY_INFO, SEVERITY_LOW, SEVERITY_MEDIUM, SEVERITY_HIGH, SEVERITY_CRITICAL } = Severity;
const { PRIORITY_LOW, PRIORITY_MEDIUM, PRIORITY_HIGH, PRIORITY_CRITICAL } = Priority;

describe('RuleClassifier scoring', () => {
  const none = new RuleClassifier([], { version: 't' });

  it.each([
    [SEVERITY_INFO, 0.1, PRIORITY_LOW],
    [SEVERITY_LOW, 0.25, PRIORITY_LOW],
    [SEVERITY_MEDIUM, 0.5, PRIORITY_MEDIUM],
    [SEVERITY_HIGH, 0.75, PRIORITY_HIGH],
    [SEVERITY_CRITICAL, 0.95, PRIORITY_CRITICAL],
    [Severity.SEVERITY_UNSPECIFIED, 0.2, PRIORITY_LOW],
  ])('severity %i starts at %f → priority %i', (severity, score, priority) => {
    expect(none.classify(normalizedPattern({ severity }))).toMatchObject({
      score,
      priority,
      category: 'other',
    });
  });

  it('scores un-normalized patterns as unspecified severity', () => {
    expect(none.classify({ ...normalizedPattern({}), normalized: undefined })).toMatchObject({
      score: 0.2,
      category: 'other',
    });
  });

  const rules: ClassificationRule[] = [
    {
      id: 'a',
      when: { field: 'normalized.kind', op: 'eq', value: 'x' },
      category: 'first',
      scoreDelta: 0.5,
      labels: ['l1', 'l2'],
    },
    {
      id: 'b',
      when: { field: 'normalized.kind', op: 'eq', value: 'x' },
      category: 'second',
      priority: 'critical',
      labels: ['l2', 'l3'],
    },
    { id: 'c', when: { field: 'normalized.kind', op: 'eq', value: 'y' }, category: 'never' },
    { id: 'd', when: { field: 'normalized.kind', op: 'eq', value: 'x' }, scoreDelta: -0.2 },
  ];
  const c = new RuleClassifier(rules, { version: '7' });

  it('applies rules in order: first category wins, labels merge, every match is listed', () => {
    expect(c.classify(normalizedPattern({ kind: 'x', severity: SEVERITY_MEDIUM }))).toEqual({
      category: 'first',
      priority: PRIORITY_CRITICAL,
      score: 0.8,
      labels: ['l1', 'l2', 'l3'],
      modelVersion: 'rules@7',
      ruleIds: ['a', 'b', 'd'],
      explanation:
        'severity medium → 0.5; rule a +0.5, category first; rule b priority ≥ critical; rule d −0.2; score 0.8 → first, critical (score alone: high; raised by b)',
    });
  });

  it('clamps the total to [0, 1] after all rules', () => {
    const up = new RuleClassifier([{ id: 'up', when: { field: 'source', op: 'exists' }, scoreDelta: 1 }]);
    const down = new RuleClassifier([
      { id: 'down', when: { field: 'source', op: 'exists' }, scoreDelta: -1 },
    ]);
    expect(up.classify(normalizedPattern({ severity: SEVERITY_HIGH }))).toMatchObject({
      score: 1,
      priority: PRIORITY_CRITICAL,
    });
    expect(down.classify(normalizedPattern({ severity: SEVERITY_HIGH })).explanation).toBe(
      'severity high → 0.75; rule down −1; score 0 (clamped) → other, low',
    );
  });

  it('derives modelVersion from the rules when no version is given', () => {
    const v1 = new RuleClassifier(rules).modelVersion;
    expect(v1).toMatch(/^rules@[0-9a-f]{12}$/);
    expect(new RuleClassifier(rules).modelVersion).toBe(v1);
    expect(new RuleClassifier(rules.slice(1)).modelVersion).not.toBe(v1);
  });

  it('refuses invalid rules at construction, listing every problem', () => {
    let caught: unknown;
    try {
      new RuleClassifier([rules[0]!, { ...rules[0]!, priority: 'urgent' as never, scoreDelta: 3 }]);
    } catch (err) {
      caught = err;
    }
    expect(isRuleValidationError(caught)).toBe(true);
    expect((caught as { problems: string[] }).problems).toEqual([
      'rules[1] (a): priority "urgent" is unknown; expected one of low, medium, high, critical',
      'rules[1] (a): scoreDelta must be a number between -1 and 1',
      'rules[1] (a): duplicates the id of rules[0]',
    ]);
  });

  it('validates rule shape', () => {
    expect(validateRules([{ id: '', category: 'Fraud', labels: [''], extra: 1 }])).toEqual([
      'rules[0] (): unknown key "extra"; expected one of id, when, category, priority, scoreDelta, labels, description',
      'rules[0] (): id must be a non-empty string of letters, digits, ".", "_" or "-"',
      'rules[0] (): when is required',
      'rules[0] (): category must be a lower-case word such as "fraud"',
      'rules[0] (): labels must be a list of non-empty strings',
    ]);
    expect(validateRules(DEFAULT_RULES)).toEqual([]);
  });
});

describe('the built-in rules', () => {
  it('escalate a large card-not-present transaction to critical fraud', () => {
    const c = classifier.classify(
      normalizedPattern(
        {
          kind: 'transaction',
          amount: 12000,
          currency: 'EUR',
          severity: SEVERITY_HIGH,
          extra: { channel: 'ecommerce' },
        },
        { source: 'fraud.cards' },
      ),
    );
    expect(c).toMatchObject({
      category: 'fraud',
      priority: PRIORITY_CRITICAL,
      score: 1,
      labels: ['large-amount', 'card-not-present', 'high-risk'],
      ruleIds: ['fraud-high-amount', 'fraud-card-not-present', 'fraud-high-risk-transaction'],
      modelVersion: 'rules@1',
    });
    expect(c.explanation).toBe(
      'severity high → 0.75; rule fraud-high-amount +0.2, category fraud, priority ≥ high; rule fraud-card-not-present +0.1; rule fraud-high-risk-transaction; score 1 (clamped) → fraud, critical',
    );
  });

  it('keeps a small in-store purchase low', () => {
    const c = classifier.classify(
      normalizedPattern({
        kind: 'transaction',
        amount: 12,
        severity: SEVERITY_INFO,
        extra: { card_present: true },
      }),
    );
    expect(c).toMatchObject({ category: 'other', priority: PRIORITY_LOW, ruleIds: [] });
  });

  it('raises a port scan from an IDS to high intrusion', () => {
    const c = classifier.classify(
      normalizedPattern(
        {
          kind: 'alert',
          summary: 'ET SCAN Potential SSH Scan',
          severity: SEVERITY_MEDIUM,
          tags: ['ids', 'network'],
        },
        { source: 'ids.suricata' },
      ),
    );
    expect(c).toMatchObject({
      category: 'intrusion',
      priority: PRIORITY_HIGH,
      score: 0.7,
      labels: ['port-scan', 'security-alert'],
      ruleIds: ['intrusion-port-scan', 'intrusion-security-alert'],
    });
  });

  it('files an EDR malware detection under malware, not intrusion', () => {
    const c = classifier.classify(
      normalizedPattern(
        { kind: 'alert', summary: 'Ransomware behaviour: vssadmin.exe on LAPTOP-7', severity: SEVERITY_HIGH },
        { source: 'edr.falcon' },
      ),
    );
    expect(c).toMatchObject({
      category: 'malware',
      priority: PRIORITY_CRITICAL,
      ruleIds: ['malware-detection', 'intrusion-security-alert'],
    });
  });

  it('classifies hash and domain indicators as malware', () => {
    expect(
      classifier.classify(
        normalizedPattern({ kind: 'indicator', indicatorType: 'sha256', severity: SEVERITY_MEDIUM }),
      ),
    ).toMatchObject({
      category: 'malware',
      labels: ['ioc', 'file-hash'],
      score: 0.6,
      priority: PRIORITY_HIGH,
    });
    expect(
      classifier.classify(normalizedPattern({ kind: 'indicator', indicatorType: 'domain' })),
    ).toMatchObject({
      category: 'malware',
      labels: ['ioc', 'domain'],
    });
  });

  it('treats error logs and outage words as availability', () => {
    const c = classifier.classify(
      normalizedPattern({ kind: 'log', summary: 'payment provider timed out', severity: SEVERITY_HIGH }),
    );
    expect(c).toMatchObject({
      category: 'availability',
      labels: ['error', 'outage-signal'],
      score: 0.9,
      priority: PRIORITY_CRITICAL,
    });
  });

  it('treats a failed login as behaviour even when logged as an error', () => {
    const c = classifier.classify(
      normalizedPattern({
        kind: 'log',
        summary: 'Failed login for bob from 10.0.0.1',
        severity: SEVERITY_HIGH,
      }),
    );
    expect(c).toMatchObject({
      category: 'behaviour',
      ruleIds: ['behaviour-auth-failure', 'availability-log-error'],
    });
  });

  it('flags anomalies as behaviour', () => {
    const c = classifier.classify(
      normalizedPattern({
        kind: 'event',
        summary: 'Impossible travel for user erin',
        severity: SEVERITY_LOW,
      }),
    );
    expect(c).toMatchObject({ category: 'behaviour', labels: ['anomaly'], priority: PRIORITY_MEDIUM });
  });
});

describe('withClassification', () => {
  it('returns a copy with the classification set', () => {
    const p = normalizedPattern({});
    const c = classifier.classify(p);
    const out = withClassification(p, c);
    expect(out).not.toBe(p);
    expect(out.classification).toBe(c);
    expect(p.classification).toBeUndefined();
  });
});

describe('CEL rules', () => {
  it('reports compile errors with the file, rule id and position', () => {
    let caught: unknown;
    try {
      new RuleClassifier(
        [{ id: 'card-high-amount', when: "normalized.kind == 'transaction' && amout > 1.0" }],
        { file: 'rules.json' },
      );
    } catch (err) {
      caught = err;
    }
    expect(isRuleValidationError(caught)).toBe(true);
    expect((caught as { problems: string[] }).problems).toEqual([
      `rules.json: rule "card-high-amount": 1:37 undeclared reference to 'amout'`,
    ]);
  });

  it('mixes CEL and JSON conditions', () => {
    const c = new RuleClassifier(
      [
        { id: 'cel', when: "normalized.extra.channel == 'web'", labels: ['cel'] },
        { id: 'json', when: { field: 'normalized.extra.channel', op: 'eq', value: 'web' }, labels: ['json'] },
      ],
      { version: '1' },
    );
    expect(c.classify(normalizedPattern({ extra: { channel: 'web' } }))).toMatchObject({
      labels: ['cel', 'json'],
      ruleIds: ['cel', 'json'],
    });
  });

  it('treats an evaluation error as no match and explains it', () => {
    const c = new RuleClassifier(
      [
        { id: 'missing', when: "normalized.extra.channel == 'web'", category: 'web' },
        { id: 'ok', when: "normalized.kind == 'event'", scoreDelta: 0.1 },
      ],
      { version: '1' },
    );
    const out = c.classify(normalizedPattern({}));
    expect(out).toMatchObject({ category: 'other', ruleIds: ['ok'] });
    expect(out.explanation).toBe(
      'severity unspecified → 0.2; rule missing error (no match): No such key: channel; rule ok +0.1; score 0.3 → other, medium',
    );
  });
});
