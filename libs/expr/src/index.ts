// Public API of @patternmesh/expr: CEL conditions over a Pattern, shared by classification rules
// and route rules. Compile once at load; evaluation never throws.
export { compileExpression, environment, position, ExpressionError, isExpressionError } from './expression';
export type { CompiledExpression, ExpressionOrigin, Outcome } from './expression';
export { activationOf, ENUMS, NORMALIZED_FIELDS, CLASSIFICATION_FIELDS, PATTERN_FIELDS } from './activation';
export type { Activation } from './activation';
