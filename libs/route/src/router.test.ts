import { Lane, Priority, type Classification, type Pattern, type RouteTable } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE_TABLE } from './default-table';
import { Router } from './router';
import { isRouteTableError, validateRouteTable } from './validate';

const now = new Date('2025-03-01T12:00:00Z');
const ARCHIVE = 'persistent://patternmesh/archive/all';

function classified(category: string, priority: Priority, tenant = 'acme'): Pattern {
  const classification: Classification = {
    category,
    priority,
    score: 0.5,
    labels: [],
    modelVersion: 'rules@1',
    ruleIds: [],
    explanation: '',
  };
  return {
    id: '01930000-0000-7000-8000-000000000003',
    tenant,
    source: 'fraud.cards',
    receivedAt: now,
    eventTime: undefined,
    idempotencyKey: '',
    contentType: 'application/json',
    payload: Buffer.from('{}'),
    attributes: {},
    normalized: undefined,
    classification,
    route: undefined,
    entity: '',
  };
}

describe('Router with the default table', () => {
  const router = new Router(DEFAULT_ROUTE_TABLE);

  it.each([
    [Priority.PRIORITY_CRITICAL, Lane.LANE_CRITICAL, 'critical'],
    [Priority.PRIORITY_HIGH, Lane.LANE_STANDARD, 'high'],
    [Priority.PRIORITY_MEDIUM, Lane.LANE_STANDARD, 'medium'],
    [Priority.PRIORITY_LOW, Lane.LANE_BULK, 'low'],
  ])('routes priority %i to lane %i by rule %s, archived too', (priority, lane, ruleId) => {
    const { route } = router.decide(classified('fraud', priority), now);
    expect(route).toEqual({
      lane,
      ruleId,
      destinations: [`persistent://acme/patterns/${['', 'critical', 'standard', 'bulk'][lane]}`, ARCHIVE],
      decidedAt: now,
      tableVersion: 'default-1',
    });
  });

  it('never drops an unclassified pattern: it takes the default lane', () => {
    const p = { ...classified('x', Priority.PRIORITY_UNSPECIFIED), classification: undefined };
    const { route, trace } = router.decide(p, now);
    expect(route).toMatchObject({
      lane: Lane.LANE_BULK,
      ruleId: 'default',
      destinations: ['persistent://acme/patterns/bulk', ARCHIVE],
    });
    expect(trace).toEqual([
      'pattern: category other, priority unspecified (unclassified)',
      'rule critical: no — priority unspecified below critical',
      'rule high: no — priority unspecified below high',
      'rule medium: no — priority unspecified below medium',
      'rule low: no — priority unspecified below low',
      'no rule matched → default lane bulk',
      `destinations: persistent://acme/patterns/bulk, ${ARCHIVE}`,
    ]);
  });

  it('treats an unrecognized priority as unspecified', () => {
    expect(router.decide(classified('fraud', Priority.UNRECOGNIZED), now).route.ruleId).toBe('default');
  });

  it('stamps decidedAt with the current time by default', () => {
    const before = Date.now();
    const at = router.decide(classified('fraud', Priority.PRIORITY_LOW)).route.decidedAt!.getTime();
    expect(at).toBeGreaterThanOrEqual(before);
  });

  it('the default table is valid and frozen', () => {
    expect(validateRouteTable(DEFAULT_ROUTE_TABLE)).toEqual([]);
    expect(Object.isFrozen(DEFAULT_ROUTE_TABLE.rules[0])).toBe(true);
  });
});

describe('Router with a custom table', () => {
  const table: RouteTable = {
    version: '42',
    rules: [
      {
        id: 'soc-intrusion',
        categories: ['intrusion', 'malware'],
        minPriority: Priority.PRIORITY_HIGH,
        lane: Lane.LANE_CRITICAL,
        destinations: [
          'persistent://{tenant}/patterns/{lane}-{category}',
          'persistent://soc/alerts/{tenant}',
        ],
      },
      {
        id: 'fraud-any',
        categories: ['fraud'],
        minPriority: Priority.PRIORITY_UNSPECIFIED,
        lane: Lane.LANE_STANDARD,
        destinations: [],
      },
    ],
    defaultLane: Lane.LANE_BULK,
    archiveAll: false,
  };
  const router = new Router(table, { archiveTopic: 'persistent://acme/archive/x' });

  it('expands destination templates and explains the choice', () => {
    const { route, trace } = router.decide(classified('malware', Priority.PRIORITY_CRITICAL, 'acme eu'), now);
    expect(route).toEqual({
      lane: Lane.LANE_CRITICAL,
      ruleId: 'soc-intrusion',
      destinations: ['persistent://acme_eu/patterns/critical-malware', 'persistent://soc/alerts/acme_eu'],
      decidedAt: now,
      tableVersion: '42',
    });
    expect(trace).toEqual([
      'pattern: category malware, priority critical',
      'rule soc-intrusion: match (category in [intrusion, malware], priority ≥ high) → lane critical',
      'destinations: persistent://acme_eu/patterns/critical-malware, persistent://soc/alerts/acme_eu',
    ]);
  });

  it('tries rules top to bottom, categories first, and takes the first match', () => {
    const { route, trace } = router.decide(classified('fraud', Priority.PRIORITY_LOW), now);
    expect(route).toMatchObject({
      ruleId: 'fraud-any',
      lane: Lane.LANE_STANDARD,
      destinations: ['persistent://acme/patterns/standard'],
    });
    expect(trace[1]).toBe('rule soc-intrusion: no — category fraud not in [intrusion, malware]');
    expect(router.decide(classified('intrusion', Priority.PRIORITY_MEDIUM), now).route.ruleId).toBe(
      'default',
    );
  });

  it('is not affected by later edits to the table object', () => {
    const mutable = structuredClone(table);
    const r = new Router(mutable);
    mutable.rules = [];
    expect(r.decide(classified('fraud', Priority.PRIORITY_LOW), now).route.ruleId).toBe('fraud-any');
  });
});

describe('validateRouteTable', () => {
  it('lists every problem', () => {
    const bad: RouteTable = {
      version: ' ',
      defaultLane: Lane.LANE_UNSPECIFIED,
      archiveAll: true,
      rules: [
        {
          id: 'a',
          categories: [],
          minPriority: Priority.PRIORITY_UNSPECIFIED,
          lane: Lane.LANE_BULK,
          destinations: [],
        },
        {
          id: 'a',
          categories: [''],
          minPriority: 9 as Priority,
          lane: Lane.LANE_UNSPECIFIED,
          destinations: ['persistent://{tenant}/x/{source}'],
        },
        {
          id: 'default',
          categories: [],
          minPriority: Priority.PRIORITY_LOW,
          lane: Lane.LANE_BULK,
          destinations: [],
        },
        {
          id: '',
          categories: [],
          minPriority: Priority.PRIORITY_LOW,
          lane: Lane.LANE_BULK,
          destinations: [],
        },
      ],
    };
    expect(validateRouteTable(bad)).toEqual([
      'version is empty',
      'defaultLane is unspecified; expected critical, standard or bulk',
      'rules[1] (a): duplicates the id of rules[0]',
      'rules[1] (a): lane is unspecified; expected critical, standard or bulk',
      'rules[1] (a): minPriority 9 is not a priority',
      'rules[1] (a): categories[0] is empty',
      'rules[1] (a): destinations[0] "persistent://{tenant}/x/{source}" unknown placeholder {source}; expected {tenant}, {lane}, {category}',
      'rules[1] (a): is unreachable; rules[0] (a) matches every pattern',
      'rules[2] (default): id "default" is reserved for the fallback',
      'rules[2] (default): is unreachable; rules[0] (a) matches every pattern',
      'rules[3]: id is empty',
      'rules[3]: is unreachable; rules[0] (a) matches every pattern',
    ]);
  });

  it('makes the Router refuse an invalid table', () => {
    let caught: unknown;
    try {
      new Router({ ...DEFAULT_ROUTE_TABLE, version: '' });
    } catch (err) {
      caught = err;
    }
    expect(isRouteTableError(caught)).toBe(true);
    expect((caught as { problems: string[] }).problems).toEqual(['version is empty']);
  });
});

describe('route conditions (CEL)', () => {
  const table: RouteTable = {
    version: 'cel-1',
    rules: [
      {
        id: 'acme-fraud',
        categories: ['fraud'],
        minPriority: Priority.PRIORITY_UNSPECIFIED,
        lane: Lane.LANE_CRITICAL,
        destinations: [],
        when: "pattern.tenant == 'acme' && classification.priority >= Priority.high",
      },
      {
        id: 'needs-channel',
        categories: [],
        minPriority: Priority.PRIORITY_UNSPECIFIED,
        lane: Lane.LANE_STANDARD,
        destinations: [],
        when: "normalized.extra.channel == 'web'",
      },
    ],
    defaultLane: Lane.LANE_BULK,
    archiveAll: false,
  };
  const router = new Router(table);

  it('matches when categories, priority and the condition hold', () => {
    const d = router.decide(classified('fraud', Priority.PRIORITY_HIGH), now);
    expect(d.route).toMatchObject({ lane: Lane.LANE_CRITICAL, ruleId: 'acme-fraud' });
    expect(d.trace[1]).toBe(
      "rule acme-fraud: match (category in [fraud], any priority, condition matched: pattern.tenant == 'acme' && classification.priority >= Priority.high) → lane critical",
    );
  });

  it('says in the trace when the condition did not match or failed to evaluate', () => {
    const d = router.decide(classified('fraud', Priority.PRIORITY_LOW, 'globex'), now);
    expect(d.route).toMatchObject({ lane: Lane.LANE_BULK, ruleId: 'default' });
    expect(d.trace.slice(1, 3)).toEqual([
      "rule acme-fraud: no — condition did not match: pattern.tenant == 'acme' && classification.priority >= Priority.high",
      'rule needs-channel: no — condition failed to evaluate (No such key: channel)',
    ]);
  });

  it('reports compile errors with the rule id and position', () => {
    expect(
      validateRouteTable({
        ...table,
        rules: [{ ...table.rules[0]!, when: "pattern.tenant == 'acme' && prio > 1" }],
      }),
    ).toEqual(["rules[0] (acme-fraud): when: 1:29 undeclared reference to 'prio'"]);
  });

  it('does not treat a rule with a condition as a catch-all', () => {
    expect(validateRouteTable({ ...table, rules: [table.rules[1]!, table.rules[0]!] })).toEqual([]);
  });
});
