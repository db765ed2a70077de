import { Priority, type RouteTable } from '@patternmesh/proto';
import { compileExpression, isExpressionError } from '@patternmesh/expr';
import { isRoutableLane } from '@patternmesh/pattern';
import { checkTemplate } from './topic';

/** Rule id reserved for the explicit fallback (`Route.ruleId` when no rule matched). */
export const DEFAULT_RULE_ID = 'default';

const ERROR_BRAND = Symbol.for('patternmesh.route.RouteTableError');

/** Thrown when a route table is invalid; `problems` lists every one. */
export class RouteTableError extends Error {
  readonly problems: readonly string[];
  readonly [ERROR_BRAND] = true;

  constructor(problems: readonly string[]) {
    super(
      `invalid route table (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
    );
    this.name = 'RouteTableError';
    this.problems = problems;
  }
}

/** Whether `e` is a `RouteTableError`, by brand, so it holds across package copies. */
export function isRouteTableError(e: unknown): e is RouteTableError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

const isPriority = (p: unknown) =>
  p === Priority.PRIORITY_UNSPECIFIED ||
  p === Priority.PRIORITY_LOW ||
  p === Priority.PRIORITY_MEDIUM ||
  p === Priority.PRIORITY_HIGH ||
  p === Priority.PRIORITY_CRITICAL;

/**
 * Validates a route table and returns every problem (empty when valid): empty version, missing or
 * duplicate rule ids, the reserved id `default`, unspecified lanes, unknown priorities, empty
 * categories, bad destination templates, and rules no pattern can reach because an earlier rule
 * matches everything.
 */
export function validateRouteTable(t: RouteTable): string[] {
  const problems: string[] = [];
  if (typeof t.version !== 'string' || t.version.trim() === '') problems.push('version is empty');
  if (!isRoutableLane(t.defaultLane))
    problems.push('defaultLane is unspecified; expected critical, standard or bulk');
  const seen = new Map<string, number>();
  let catchAll: string | undefined;
  (t.rules ?? []).forEach((rule, i) => {
    const label = rule.id ? `rules[${i}] (${rule.id})` : `rules[${i}]`;
    if (!rule.id || rule.id.trim() === '') problems.push(`${label}: id is empty`);
    else if (rule.id === DEFAULT_RULE_ID)
      problems.push(`${label}: id "${DEFAULT_RULE_ID}" is reserved for the fallback`);
    else if (seen.has(rule.id)) problems.push(`${label}: duplicates the id of rules[${seen.get(rule.id)}]`);
    else seen.set(rule.id, i);
    if (!isRoutableLane(rule.lane))
      problems.push(`${label}: lane is unspecified; expected critical, standard or bulk`);
    if (!isPriority(rule.minPriority))
      problems.push(`${label}: minPriority ${rule.minPriority} is not a priority`);
    (rule.categories ?? []).forEach((c, k) => {
      if (typeof c !== 'string' || c.trim() === '') problems.push(`${label}: categories[${k}] is empty`);
    });
    (rule.destinations ?? []).forEach((d, k) => {
      for (const p of checkTemplate(d))
        problems.push(`${label}: destinations[${k}] ${JSON.stringify(d)} ${p}`);
    });
    if (rule.when) {
      try {
        compileExpression(rule.when, {});
      } catch (e) {
        if (!isExpressionError(e)) throw e;
        problems.push(`${label}: when: ${e.line}:${e.column} ${e.reason}`);
      }
    }
    if (catchAll) problems.push(`${label}: is unreachable; ${catchAll} matches every pattern`);
    else if (
      (rule.categories ?? []).length === 0 &&
      rule.minPriority === Priority.PRIORITY_UNSPECIFIED &&
      !rule.when
    )
      catchAll = label;
  });
  return problems;
}
