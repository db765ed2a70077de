import { Priority, type Pattern, type Route, type RouteRule, type RouteTable } from '@patternmesh/proto';
import { activationOf, compileExpression, type Activation, type CompiledExpression } from '@patternmesh/expr';
import { laneName, pipelineTopics, priorityName } from '@patternmesh/pattern';
import { laneTopic } from './lanes';
import { expandTemplate } from './topic';
import { DEFAULT_RULE_ID, RouteTableError, validateRouteTable } from './validate';

/** Category used for routing when a pattern carries none (the classifier's own fallback). */
export const UNCLASSIFIED_CATEGORY = 'other';

/** Options for a `Router`. */
export interface RouterOptions {
  /** Topic every pattern is copied to when the table has `archiveAll`. Default `persistent://patternmesh/archive/all`. */
  archiveTopic?: string;
}

/** A routing decision and, line by line, how it was reached. */
export interface RouteDecision {
  route: Route;
  trace: string[];
}

const pname = priorityName;

/**
 * Decides where a classified pattern goes. Rules are tried top to bottom and the first match wins:
 * a rule matches when its `categories` is empty or holds the pattern's category, and the pattern's
 * priority is at least `minPriority`. Nothing is dropped: without a match the table's `defaultLane`
 * applies, with rule id `default`.
 */
export class Router {
  readonly #table: RouteTable;
  readonly #archiveTopic: string;
  /** Compiled `when` conditions by rule index (rules without one are absent). */
  readonly #conditions = new Map<number, CompiledExpression>();

  /** @throws RouteTableError listing every problem when the table is invalid. */
  constructor(table: RouteTable, opts: RouterOptions = {}) {
    const problems = validateRouteTable(table);
    if (problems.length > 0) throw new RouteTableError(problems);
    // A private copy: a caller editing its table object later must not change routing half-way.
    this.#table = structuredClone(table);
    this.#archiveTopic = opts.archiveTopic ?? pipelineTopics().archive;
    this.#table.rules.forEach((rule, i) => {
      if (rule.when)
        this.#conditions.set(i, compileExpression(rule.when, { ruleId: rule.id, kind: 'route' }));
    });
  }

  /** Version of the table in force. */
  get tableVersion(): string {
    return this.#table.version;
  }

  /** Routes one pattern. Pure apart from reading `now`. */
  decide(p: Pattern, now: Date = new Date()): RouteDecision {
    const category = p.classification?.category || UNCLASSIFIED_CATEGORY;
    // Unrecognized priorities (-1) rank as unspecified: they only match rules open to any priority.
    const priority = Math.max(
      Priority.PRIORITY_UNSPECIFIED,
      p.classification?.priority ?? Priority.PRIORITY_UNSPECIFIED,
    );
    const trace = [
      `pattern: category ${category}, priority ${pname(priority)}${p.classification ? '' : ' (unclassified)'}`,
    ];

    let matched: RouteRule | undefined;
    let activation: Activation | undefined;
    for (const [i, rule] of this.#table.rules.entries()) {
      const why = mismatch(rule, category, priority);
      if (why) {
        trace.push(`rule ${rule.id}: no — ${why}`);
        continue;
      }
      const cond = this.#conditions.get(i);
      if (cond) {
        const out = cond.evaluate((activation ??= activationOf(p)));
        if (!out.ok) {
          trace.push(`rule ${rule.id}: no — condition failed to evaluate (${out.error})`);
          continue;
        }
        if (!out.value) {
          trace.push(`rule ${rule.id}: no — condition did not match: ${rule.when}`);
          continue;
        }
      }
      trace.push(`rule ${rule.id}: match (${describe(rule)}) → lane ${laneName(rule.lane)}`);
      matched = rule;
      break;
    }
    const lane = matched?.lane ?? this.#table.defaultLane;
    if (!matched) trace.push(`no rule matched → default lane ${laneName(lane)}`);

    const values = { tenant: p.tenant, lane: laneName(lane), category };
    const destinations = matched?.destinations.length
      ? matched.destinations.map((d) => expandTemplate(d, values))
      : [laneTopic(p.tenant, lane)];
    if (this.#table.archiveAll) destinations.push(this.#archiveTopic);
    const unique = [...new Set(destinations)];
    trace.push(`destinations: ${unique.join(', ')}`);

    return {
      route: {
        lane,
        destinations: unique,
        decidedAt: now,
        ruleId: matched?.id ?? DEFAULT_RULE_ID,
        tableVersion: this.#table.version,
      },
      trace,
    };
  }
}

function mismatch(rule: RouteRule, category: string, priority: Priority): string | undefined {
  if (rule.categories.length > 0 && !rule.categories.includes(category)) {
    return `category ${category} not in [${rule.categories.join(', ')}]`;
  }
  if (priority < rule.minPriority) return `priority ${pname(priority)} below ${pname(rule.minPriority)}`;
  return undefined;
}

function describe(rule: RouteRule): string {
  const cats = rule.categories.length > 0 ? `category in [${rule.categories.join(', ')}]` : 'any category';
  const prio =
    rule.minPriority > Priority.PRIORITY_UNSPECIFIED
      ? `priority ≥ ${pname(rule.minPriority)}`
      : 'any priority';
  return `${cats}, ${prio}${rule.when ? `, condition matched: ${rule.when}` : ''}`;
}
