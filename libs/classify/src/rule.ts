import { compileExpression, isExpressionError } from '@patternmesh/expr';
import { validateCondition, type Condition } from './condition';
import { isPriorityName, PRIORITY_NAMES, type PriorityName } from '@patternmesh/pattern';

/**
 * A declarative, JSON-serializable classification rule. When `when` holds, the rule may set the
 * category (the first matching rule that sets one wins), raise the priority to at least `priority`,
 * move the score by `scoreDelta`, and add `labels`.
 *
 * @example
 * { "id": "fraud-high-amount",
 *   "when": { "all": [ { "field": "normalized.kind", "op": "eq", "value": "transaction" },
 *                      { "field": "normalized.amount", "op": "gte", "value": 10000 } ] },
 *   "category": "fraud", "priority": "high", "scoreDelta": 0.2, "labels": ["large-amount"] }
 */
export interface ClassificationRule {
  id: string;
  /**
   * A CEL expression over the pattern (see `@patternmesh/expr`), e.g.
   * `normalized.kind == 'transaction' && normalized.amount >= 10000.0`, or the older JSON condition
   * language, which is still accepted.
   */
  when: string | Condition;
  category?: string;
  priority?: PriorityName;
  /** Added to the score; the total is clamped to [0, 1] after every rule has been applied. */
  scoreDelta?: number;
  labels?: string[];
  /** Free text for operators. */
  description?: string;
}

const RULE_KEYS = new Set(['id', 'when', 'category', 'priority', 'scoreDelta', 'labels', 'description']);
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CATEGORY = /^[a-z][a-z0-9_-]*$/;
const ERROR_BRAND = Symbol.for('patternmesh.classify.RuleValidationError');

/** Thrown when rules are invalid; `problems` lists every one, each naming the rule and the spot. */
export class RuleValidationError extends Error {
  readonly problems: readonly string[];
  readonly [ERROR_BRAND] = true;

  constructor(problems: readonly string[]) {
    super(
      `invalid classification rules (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
    );
    this.name = 'RuleValidationError';
    this.problems = problems;
  }
}

/** Whether `e` is a `RuleValidationError`, by brand, so it holds across package copies. */
export function isRuleValidationError(e: unknown): e is RuleValidationError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

/** Options for validation. */
export interface ValidateRulesOptions {
  /** File the rules were read from, named in CEL compile errors. */
  file?: string;
}

/** Validates a rule list and returns every problem (empty when valid). Rule ids must be unique. */
export function validateRules(rules: unknown, opts: ValidateRulesOptions = {}): string[] {
  if (!Array.isArray(rules)) return ['rules must be a list'];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule: unknown, i) => {
    const label =
      isRecord(rule) && typeof rule['id'] === 'string' ? `rules[${i}] (${rule['id']})` : `rules[${i}]`;
    problems.push(...validateRule(rule).map((p) => `${label}: ${p}`));
    // CEL compile errors carry their own origin: `rules.json: rule "x": 1:17 …`.
    if (isRecord(rule) && typeof rule['when'] === 'string') {
      const problem = celProblem(rule['when'], {
        ruleId: typeof rule['id'] === 'string' ? rule['id'] : `rules[${i}]`,
        ...(opts.file !== undefined ? { file: opts.file } : {}),
      });
      if (problem) problems.push(problem);
    }
    if (isRecord(rule) && typeof rule['id'] === 'string') {
      const first = seen.get(rule['id']);
      if (first !== undefined) problems.push(`${label}: duplicates the id of rules[${first}]`);
      else seen.set(rule['id'], i);
    }
  });
  return problems;
}

/** Validates one rule and returns every problem (empty when valid). */
export function validateRule(rule: unknown): string[] {
  if (!isRecord(rule)) return ['must be an object'];
  const problems: string[] = [];
  for (const key of Object.keys(rule)) {
    if (!RULE_KEYS.has(key))
      problems.push(`unknown key "${key}"; expected one of ${[...RULE_KEYS].join(', ')}`);
  }
  const { id, when, category, priority, scoreDelta, labels, description } = rule;
  if (typeof id !== 'string' || !ID.test(id))
    problems.push('id must be a non-empty string of letters, digits, ".", "_" or "-"');
  if (when === undefined) problems.push('when is required');
  else if (typeof when !== 'string') problems.push(...validateCondition(when, 'when'));
  if (category !== undefined && (typeof category !== 'string' || !CATEGORY.test(category))) {
    problems.push('category must be a lower-case word such as "fraud"');
  }
  if (priority !== undefined && !isPriorityName(priority)) {
    problems.push(
      `priority ${JSON.stringify(priority)} is unknown; expected one of ${PRIORITY_NAMES.join(', ')}`,
    );
  }
  if (
    scoreDelta !== undefined &&
    (typeof scoreDelta !== 'number' || !Number.isFinite(scoreDelta) || Math.abs(scoreDelta) > 1)
  ) {
    problems.push('scoreDelta must be a number between -1 and 1');
  }
  if (
    labels !== undefined &&
    !(Array.isArray(labels) && labels.every((l) => typeof l === 'string' && l.trim() !== ''))
  ) {
    problems.push('labels must be a list of non-empty strings');
  }
  if (description !== undefined && typeof description !== 'string')
    problems.push('description must be a string');
  return problems;
}

function celProblem(source: string, origin: { file?: string; ruleId: string }): string | undefined {
  try {
    compileExpression(source, origin);
    return undefined;
  } catch (e) {
    if (isExpressionError(e)) return e.message;
    throw e;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
