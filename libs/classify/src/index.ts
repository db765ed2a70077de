// Public API of @patternmesh/classify: the rule language, its validation and evaluator, and the
// rule-based classifier that sets category, priority, score and labels.
export type { Condition, FieldCondition, Operator } from './condition';
export { OPERATORS, validateCondition } from './condition';
export { compileCondition } from './evaluate';
export type { Predicate } from './evaluate';
export type { ClassificationRule } from './rule';
export { validateRules, validateRule, RuleValidationError, isRuleValidationError } from './rule';
export type { ValidateRulesOptions } from './rule';
export { SEVERITY_BASE_SCORE, PRIORITY_THRESHOLDS, priorityForScore } from './scoring';
export { RuleClassifier, withClassification, FALLBACK_CATEGORY } from './classifier';
export type { RuleClassifierOptions } from './classifier';
export {
  DEFAULT_RULES,
  FRAUD_RULES,
  MALWARE_RULES,
  INTRUSION_RULES,
  BEHAVIOUR_RULES,
  AVAILABILITY_RULES,
} from './default-rules';
export { DistributionDrift, populationStabilityIndex, type DriftOptions } from './drift';
