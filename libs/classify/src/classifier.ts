import { createHash } from 'node:crypto';
import type { Classification, Pattern } from '@patternmesh/proto';
import { Severity } from '@patternmesh/proto';
import { activationOf, compileExpression, type Activation } from '@patternmesh/expr';
import { compileCondition } from './evaluate';
import { priorityFromName, priorityName, severityName } from '@patternmesh/pattern';
import { RuleValidationError, validateRules, type ClassificationRule } from './rule';
import { clampScore, priorityForScore, SEVERITY_BASE_SCORE } from './scoring';

/** Category when no matching rule sets one. */
export const FALLBACK_CATEGORY = 'other';

/** Options for a `RuleClassifier`. */
export interface RuleClassifierOptions {
  /**
   * Version of the rule set, reported as `modelVersion = rules@<version>`. Defaults to a short hash
   * of the rules, so any change to them shows in every classification and DLQ record.
   */
  version?: string;
  /** File the rules came from, named in CEL compile errors. */
  file?: string;
}

interface CompiledRule {
  rule: ClassificationRule;
  /** Whether the rule holds, or why it could not be evaluated (then it does not match). */
  test: (p: Pattern, a: () => Activation) => true | false | string;
}

function compileRule(rule: ClassificationRule, file: string | undefined): CompiledRule {
  if (typeof rule.when === 'string') {
    const expr = compileExpression(rule.when, { ruleId: rule.id, ...(file !== undefined ? { file } : {}) });
    return {
      rule,
      test: (_p, a) => {
        const out = expr.evaluate(a());
        return out.ok ? out.value : out.error;
      },
    };
  }
  const pred = compileCondition(rule.when);
  return { rule, test: (p) => pred(p) };
}

/**
 * Classifies patterns with declarative rules.
 *
 * The score starts from the normalized severity (`SEVERITY_BASE_SCORE`); every matching rule, in
 * order, adds its `scoreDelta` and labels; the first matching rule with a category sets it; the
 * total is clamped to [0, 1]. The priority is the highest of what the score earns
 * (`PRIORITY_THRESHOLDS`) and the `priority` of any matching rule.
 */
export class RuleClassifier {
  readonly #rules: CompiledRule[];
  /** `rules@<version>`, stamped on every classification. */
  readonly modelVersion: string;

  /** @throws RuleValidationError listing every problem when the rules are invalid. */
  constructor(rules: readonly ClassificationRule[], opts: RuleClassifierOptions = {}) {
    const problems = validateRules(rules, opts.file !== undefined ? { file: opts.file } : {});
    if (problems.length > 0) throw new RuleValidationError(problems);
    this.#rules = rules.map((rule) => compileRule(rule, opts.file));
    const version =
      opts.version ?? createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 12);
    this.modelVersion = `rules@${version}`;
  }

  /** Classifies one pattern. Pure: the pattern is not modified (see `withClassification`). */
  classify(p: Pattern): Classification {
    const severity = p.normalized?.severity ?? Severity.SEVERITY_UNSPECIFIED;
    const base = SEVERITY_BASE_SCORE[severity] ?? SEVERITY_BASE_SCORE[Severity.SEVERITY_UNSPECIFIED];
    const steps = [`severity ${severityName(severity)} → ${fmt(base)}`];
    let raw = base;
    let category: string | undefined;
    let rulePriority = 0;
    let raisedBy: string | undefined;
    const labels = new Set<string>();
    const ruleIds: string[] = [];

    // One activation per pattern, built on first use and shared by every CEL rule.
    let activation: Activation | undefined;
    const act = () => (activation ??= activationOf(p));
    for (const { rule, test } of this.#rules) {
      const held = test(p, act);
      if (typeof held === 'string') {
        // An evaluation error (e.g. a missing key) is defined behaviour: the rule does not match,
        // and the explanation says why.
        steps.push(`rule ${rule.id} error (no match): ${held}`);
        continue;
      }
      if (!held) continue;
      ruleIds.push(rule.id);
      const effects: string[] = [];
      if (rule.scoreDelta) {
        raw += rule.scoreDelta;
        effects.push(`${rule.scoreDelta > 0 ? '+' : '−'}${fmt(Math.abs(rule.scoreDelta))}`);
      }
      if (rule.category && category === undefined) {
        category = rule.category;
        effects.push(`category ${rule.category}`);
      }
      if (rule.priority) {
        const pr = priorityFromName(rule.priority);
        effects.push(`priority ≥ ${rule.priority}`);
        if (pr > rulePriority) {
          rulePriority = pr;
          raisedBy = rule.id;
        }
      }
      for (const l of rule.labels ?? []) labels.add(l);
      steps.push(`rule ${rule.id}${effects.length ? ` ${effects.join(', ')}` : ''}`);
    }

    const score = clampScore(raw);
    const fromScore = priorityForScore(score);
    const priority = Math.max(fromScore, rulePriority);
    const finalCategory = category ?? FALLBACK_CATEGORY;
    // A tolerance keeps float noise (0.95 + 0.05) from reading as clamped.
    const clamped = raw > 1 + 1e-9 || raw < -1e-9 ? ' (clamped)' : '';
    const raised =
      priority > fromScore ? ` (score alone: ${priorityName(fromScore)}; raised by ${raisedBy})` : '';
    steps.push(`score ${fmt(score)}${clamped} → ${finalCategory}, ${priorityName(priority)}${raised}`);

    return {
      category: finalCategory,
      priority,
      score,
      labels: [...labels],
      modelVersion: this.modelVersion,
      ruleIds,
      explanation: steps.join('; '),
    };
  }
}

/** A copy of the pattern with `classification` set; the input is not modified. */
export function withClassification(p: Pattern, c: Classification): Pattern {
  return { ...p, classification: c };
}

// 0.75 → "0.75", 0.2 → "0.2", 1 → "1"
function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}
