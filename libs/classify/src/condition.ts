import { enumValue } from '@patternmesh/pattern';

/** Comparison operators of a field condition. */
export type Operator = 'eq' | 'neq' | 'in' | 'gte' | 'lte' | 'gt' | 'lt' | 'contains' | 'matches' | 'exists';

/** Every operator, for messages and tooling. */
export const OPERATORS: readonly Operator[] = [
  'eq',
  'neq',
  'in',
  'gte',
  'lte',
  'gt',
  'lt',
  'contains',
  'matches',
  'exists',
];

/**
 * A test on one field of the pattern.
 * - `field`: dotted path into the Pattern: `source`, `tenant`, `entity`, `contentType`, `id`,
 *   `attributes.<key>`, `normalized.<field>` (camelCase) or `normalized.extra.<path>`.
 * - `eq`/`neq`/`in`: equality; a numeric string equals its number, "true"/"false" their boolean.
 * - `gte`/`lte`/`gt`/`lt`: numbers (numeric strings are read as numbers). `normalized.severity`
 *   compares by order and takes a name: `{ "field": "normalized.severity", "op": "gte", "value": "high" }`.
 * - `contains`: substring of a string, or element of a list.
 * - `matches`: JavaScript regular expression (use `(?i:…)` for case-insensitive parts).
 * - `exists`: present — not missing, null, empty text or an empty list; for the typed numeric fields of
 *   `normalized` (severity, ports, amount) 0 means absent, as in the protobuf envelope.
 */
export interface FieldCondition {
  field: string;
  op: Operator;
  value?: unknown;
}

/** A JSON-serializable predicate over a pattern. */
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | FieldCondition;

const PATTERN_ROOTS = new Set(['id', 'tenant', 'source', 'entity', 'contentType', 'idempotencyKey']);
const NORMALIZED_FIELDS = new Set([
  'ontologyVersion',
  'kind',
  'summary',
  'severity',
  'actor',
  'host',
  'srcIp',
  'dstIp',
  'srcPort',
  'dstPort',
  'protocol',
  'indicator',
  'indicatorType',
  'amount',
  'currency',
  'tags',
  'mappingId',
]);
/** Typed numeric fields of `Normalized` where 0 is the protobuf default, i.e. "not set". */
export const ZERO_IS_ABSENT = new Set([
  'normalized.severity',
  'normalized.srcPort',
  'normalized.dstPort',
  'normalized.amount',
]);
/** Fields whose values are enums that rules may name. */
export const ENUM_FIELDS: Readonly<Record<string, 'severity'>> = { 'normalized.severity': 'severity' };

const MAX_DEPTH = 32;
const SCALAR = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Checks a field path against the pattern's shape; returns a problem or undefined. */
export function checkField(field: unknown): string | undefined {
  if (typeof field !== 'string' || field === '' || field.split('.').some((s) => s === '')) {
    return `field ${JSON.stringify(field)} is not a dotted path`;
  }
  const [root, second] = field.split('.');
  if (root === 'attributes')
    return second === undefined ? 'field "attributes" needs a key, e.g. "attributes.region"' : undefined;
  if (root === 'normalized') {
    if (second === 'extra')
      return field === 'normalized.extra'
        ? 'field "normalized.extra" needs a path, e.g. "normalized.extra.channel"'
        : undefined;
    if (second !== undefined && NORMALIZED_FIELDS.has(second) && field.split('.').length === 2)
      return undefined;
    return `field "${field}" is not a normalized field; expected normalized.<${[...NORMALIZED_FIELDS].join('|')}> or normalized.extra.<path>`;
  }
  if (PATTERN_ROOTS.has(root as string) && second === undefined) return undefined;
  return `field "${field}" is not readable by rules; expected ${[...PATTERN_ROOTS].join(', ')}, attributes.<key> or normalized.<field>`;
}

/** Validates a condition and returns every problem, each prefixed with where it is (e.g. `when.all[1]`). */
export function validateCondition(cond: unknown, where = 'when', depth = 0): string[] {
  if (depth > MAX_DEPTH) return [`${where}: nested deeper than ${MAX_DEPTH} levels`];
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) {
    return [`${where}: must be an object with one of all, any, not or field`];
  }
  const c = cond as Record<string, unknown>;
  const shapes = ['all', 'any', 'not', 'field'].filter((k) => k in c);
  if (shapes.length !== 1) {
    return [
      shapes.length === 0
        ? `${where}: must have one of all, any, not or field`
        : `${where}: has ${shapes.join(' and ')}; use exactly one (wrap them in "all")`,
    ];
  }
  const shape = shapes[0] as 'all' | 'any' | 'not' | 'field';
  if (shape === 'all' || shape === 'any') {
    const extra = Object.keys(c).filter((k) => k !== shape);
    const list = c[shape];
    if (!Array.isArray(list) || list.length === 0)
      return [`${where}.${shape}: must be a non-empty list of conditions`];
    return [
      ...extra.map((k) => `${where}: unknown key "${k}" beside "${shape}"`),
      ...list.flatMap((sub, i) => validateCondition(sub, `${where}.${shape}[${i}]`, depth + 1)),
    ];
  }
  if (shape === 'not') {
    const extra = Object.keys(c).filter((k) => k !== 'not');
    return [
      ...extra.map((k) => `${where}: unknown key "${k}" beside "not"`),
      ...validateCondition(c['not'], `${where}.not`, depth + 1),
    ];
  }
  return validateLeaf(c, where);
}

function validateLeaf(c: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  for (const k of Object.keys(c)) {
    if (!['field', 'op', 'value'].includes(k))
      problems.push(`${where}: unknown key "${k}"; expected field, op, value`);
  }
  const fieldProblem = checkField(c['field']);
  if (fieldProblem) problems.push(`${where}: ${fieldProblem}`);
  const op = c['op'];
  if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) {
    problems.push(`${where}: op ${JSON.stringify(op)} is unknown; expected one of ${OPERATORS.join(', ')}`);
    return problems;
  }
  const value = c['value'];
  const hasValue = 'value' in c;
  const enumKind = typeof c['field'] === 'string' ? ENUM_FIELDS[c['field']] : undefined;
  const checkEnum = (v: unknown, at: string) => {
    if (enumKind && enumValue(enumKind, v) === undefined) {
      problems.push(`${at}: ${JSON.stringify(v)} is not a ${enumKind}; expected a name such as "high"`);
    }
  };
  switch (op as Operator) {
    case 'exists':
      if (hasValue) problems.push(`${where}: "exists" takes no value (use "not" for absence)`);
      break;
    case 'eq':
    case 'neq':
    case 'contains':
      if (!hasValue || !SCALAR(value))
        problems.push(`${where}: "${op}" needs a string, number, boolean or null value`);
      else checkEnum(value, where);
      break;
    case 'in':
      if (!Array.isArray(value) || value.length === 0 || !value.every(SCALAR)) {
        problems.push(`${where}: "in" needs a non-empty list of strings, numbers or booleans`);
      } else value.forEach((v, i) => checkEnum(v, `${where}.value[${i}]`));
      break;
    case 'gte':
    case 'lte':
    case 'gt':
    case 'lt':
      if (enumKind) checkEnum(value, where);
      else if (typeof value !== 'number' || !Number.isFinite(value))
        problems.push(`${where}: "${op}" needs a number value`);
      break;
    case 'matches':
      if (typeof value !== 'string') problems.push(`${where}: "matches" needs a regular expression string`);
      else {
        try {
          new RegExp(value);
        } catch (err) {
          problems.push(`${where}: ${err instanceof Error ? err.message : 'invalid regular expression'}`);
        }
      }
      break;
  }
  return problems;
}
