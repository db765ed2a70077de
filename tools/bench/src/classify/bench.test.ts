import { DEFAULT_RULES, RuleClassifier } from '@patternmesh/classify';
import { describe, expect, it } from 'vitest';
import { LEGACY_RULES, patternMix } from './bench';

// The built-in rules moved from the JSON condition language to CEL; the benchmark compares the two,
// which is only fair if they decide the same. So does every rule author relying on the migration.
describe('built-in rules: CEL and the legacy JSON conditions', () => {
  it('classify a varied mix of patterns identically', () => {
    const cel = new RuleClassifier(DEFAULT_RULES, { version: 'x' });
    const legacy = new RuleClassifier(LEGACY_RULES, { version: 'x' });
    const patterns = patternMix(500);
    const decide = (c: RuleClassifier) =>
      patterns.map((p) => {
        const { category, priority, score, labels, ruleIds } = c.classify(p);
        return { category, priority, score, labels, ruleIds };
      });
    const celDecisions = decide(cel);
    expect(celDecisions).toEqual(decide(legacy));
    // The mix makes every built-in rule fire at least once, not just the fallback.
    expect(new Set(celDecisions.flatMap((d) => d.ruleIds)).size).toBe(DEFAULT_RULES.length);
  });
});
