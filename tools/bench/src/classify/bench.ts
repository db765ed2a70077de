import { readFileSync } from 'node:fs';
import { DEFAULT_RULES, RuleClassifier, type ClassificationRule } from '@patternmesh/classify';
import type { Pattern, Severity } from '@patternmesh/proto';
import { fmt, median } from '../stats';

export interface ClassifyBenchOptions {
  readonly patterns: number;
  readonly rounds: number;
}

/**
 * The built-in rules as they were written before CEL (the JSON condition language, which rule files
 * may still use): the reference the CEL rules are measured against. Same ids, same outcomes.
 */
export const LEGACY_RULES = JSON.parse(
  readFileSync(new URL('./legacy-rules.json', import.meta.url), 'utf8'),
) as ClassificationRule[];

const SUMMARIES = [
  'Trojan.GenericKD detected in C:\\Users\\x\\dl.exe',
  'port scan from 203.0.113.7',
  'failed login for admin',
  'connection refused by upstream',
  'user signed in',
  'impossible travel: Paris then Sydney',
  '',
];

/** A mix of what the normalizer hands the classifier: transactions, alerts, indicators, logs. */
export function patternMix(count: number): Pattern[] {
  const kinds = ['transaction', 'alert', 'indicator', 'log', 'event'];
  const indicatorTypes = ['sha256', 'domain', 'ip', ''];
  return Array.from({ length: count }, (_, i): Pattern => {
    const kind = kinds[i % kinds.length]!;
    return {
      id: `01930000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      tenant: 'acme',
      source: kind === 'alert' ? (i % 2 ? 'edr.alerts' : 'ids.suricata') : 'fraud.cards',
      entity: `e-${i % 997}`,
      receivedAt: new Date(0),
      eventTime: undefined,
      idempotencyKey: '',
      contentType: 'application/json',
      payload: Buffer.from('{}'),
      attributes: { region: i % 2 ? 'eu' : 'us' },
      classification: undefined,
      route: undefined,
      normalized: {
        ontologyVersion: '1',
        kind,
        summary: SUMMARIES[i % SUMMARIES.length]!,
        severity: (i % 6) as Severity,
        actor: 'u-1',
        host: 'h-1',
        srcIp: i % 3 ? '198.51.100.4' : '',
        dstIp: '',
        srcPort: 0,
        dstPort: 0,
        protocol: '',
        indicator: kind === 'indicator' ? `ioc-${i}` : '',
        indicatorType: kind === 'indicator' ? indicatorTypes[i % indicatorTypes.length]! : '',
        amount: kind === 'transaction' ? (i * 37) % 30_000 : 0,
        currency: kind === 'transaction' ? 'EUR' : '',
        tags: i % 4 === 0 ? ['anomaly'] : [],
        mappingId: 'bench@1',
        extra: kind === 'transaction' ? { channel: i % 2 ? 'online' : 'pos', card_present: i % 2 === 0 } : {},
      },
    };
  });
}

function throughput(classifier: RuleClassifier, patterns: readonly Pattern[], rounds: number): number {
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (const pattern of patterns) classifier.classify(pattern);
    rates.push(patterns.length / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

/**
 * Per-pattern cost of classification with the built-in rules in CEL against the same rules in the
 * legacy JSON condition language, on one core, same patterns. Checks first that both decide the same.
 */
export async function benchClassify(options: ClassifyBenchOptions): Promise<void> {
  const cel = new RuleClassifier(DEFAULT_RULES, { version: 'bench' });
  const legacy = new RuleClassifier(LEGACY_RULES, { version: 'bench' });
  const patterns = patternMix(options.patterns);
  const differ = patterns.filter((p) => {
    const [a, b] = [cel.classify(p), legacy.classify(p)];
    return a.category !== b.category || a.priority !== b.priority || a.ruleIds.join() !== b.ruleIds.join();
  });
  if (differ.length > 0) throw new Error(`CEL and legacy rules disagree on ${differ.length} patterns`);
  // Warm both (JIT, regex caches) before measuring.
  throughput(cel, patterns, 2);
  throughput(legacy, patterns, 2);
  const celRate = throughput(cel, patterns, options.rounds);
  const legacyRate = throughput(legacy, patterns, options.rounds);
  process.stdout.write(
    `classify: ${DEFAULT_RULES.length} rules, ${patterns.length} patterns × ${options.rounds} rounds (median)\n` +
      `  CEL     ${fmt(celRate)} patterns/s (${fmt(1e6 / celRate)} µs/pattern)\n` +
      `  legacy  ${fmt(legacyRate)} patterns/s (${fmt(1e6 / legacyRate)} µs/pattern)\n`,
  );
  process.stdout.write(
    `RESULT classify-rules rules=${DEFAULT_RULES.length} cel_patterns_per_s=${Math.round(celRate)} ` +
      `legacy_patterns_per_s=${Math.round(legacyRate)} ratio=${fmt(celRate / legacyRate)} ` +
      `cel_us_per_pattern=${fmt(1e6 / celRate)}\n`,
  );
}
