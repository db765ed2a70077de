import { Environment } from '@marcbachmann/cel-js';
import type { Pattern } from '@patternmesh/proto';
import { resolvePath } from '@patternmesh/pattern';
import {
  activationOf,
  CLASSIFICATION_FIELDS,
  ENUMS,
  NORMALIZED_FIELDS,
  PATTERN_FIELDS,
  type Activation,
} from './activation';

/** Where an expression comes from, for error messages: `rules.json: rule "x": 1:17 …`. */
export interface ExpressionOrigin {
  /** File (or other source) the expression was read from. */
  file?: string;
  /** Id of the rule or route that holds it. */
  ruleId?: string;
  /** Word used before the id; default `rule`. */
  kind?: string;
}

const ERROR_BRAND = Symbol.for('patternmesh.expr.ExpressionError');

/** A compile error: names the origin and the 1-based line:column within the expression. */
export class ExpressionError extends Error {
  readonly [ERROR_BRAND] = true;
  constructor(
    readonly origin: ExpressionOrigin,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${prefix(origin)}${line}:${column} ${reason}`);
    this.name = 'ExpressionError';
  }
}

/** Whether `e` is an `ExpressionError`, by brand, so it holds across package copies. */
export function isExpressionError(e: unknown): e is ExpressionError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

function prefix(o: ExpressionOrigin): string {
  const parts = [o.file, o.ruleId !== undefined ? `${o.kind ?? 'rule'} "${o.ruleId}"` : undefined].filter(
    (x) => x !== undefined && x !== '',
  );
  return parts.length ? `${parts.join(': ')}: ` : '';
}

/** The outcome of one evaluation: a boolean, or an error (which callers treat as "no match"). */
export type Outcome = { ok: true; value: boolean } | { ok: false; error: string };

/** A condition compiled once; evaluation never throws. */
export interface CompiledExpression {
  readonly source: string;
  /** Evaluates over a prepared activation (share one per pattern across conditions). */
  evaluate(a: Activation): Outcome;
  /** Evaluates over a pattern (builds the activation). */
  test(p: Pattern): Outcome;
}

let shared: Environment | undefined;

/** The CEL environment every condition compiles in: the activation, enum constants and helpers. */
export function environment(): Environment {
  if (shared) return shared;
  const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false })
    .registerType('patternmesh.Normalized', { fields: { ...NORMALIZED_FIELDS } })
    .registerType('patternmesh.Classification', { fields: { ...CLASSIFICATION_FIELDS } })
    .registerType('patternmesh.Pattern', { fields: { ...PATTERN_FIELDS } })
    .registerVariable('pattern', 'patternmesh.Pattern')
    .registerVariable('normalized', 'patternmesh.Normalized')
    .registerVariable('classification', 'patternmesh.Classification')
    .registerVariable('attributes', 'map<string, string>')
    // lookup(normalized.extra, "alert.category"): the shared path resolver (nested or flattened
    // keys, longest literal key first); null when absent.
    .registerFunction('lookup(map<string, dyn>, string): dyn', (m: unknown, path: string) => {
      const hit = resolvePath(m, path)?.value;
      return hit === undefined ? null : hit;
    });
  for (const [name, members] of Object.entries(ENUMS)) {
    env.registerType(`patternmesh.${name}`, {
      fields: Object.fromEntries(Object.keys(members).map((k) => [k, 'int'])),
    });
    env.registerConstant(name, `patternmesh.${name}`, members);
  }
  shared = env;
  return env;
}

/**
 * Compiles a boolean CEL condition over a pattern.
 * @throws ExpressionError naming the origin and the position, e.g.
 *   `rules.json: rule "card-high-amount": 1:17 undeclared reference to 'amout'`.
 */
export function compileExpression(source: string, origin: ExpressionOrigin = {}): CompiledExpression {
  if (typeof source !== 'string' || source.trim() === '')
    throw new ExpressionError(origin, 1, 1, 'expression is empty');
  const env = environment();
  let checked: { valid: boolean; type?: string; error?: Error };
  try {
    checked = env.check(source) as typeof checked;
  } catch (e) {
    throw fromLibraryError(e, source, origin);
  }
  if (!checked.valid) throw fromLibraryError(checked.error, source, origin);
  if (checked.type !== 'bool' && checked.type !== 'dyn')
    throw new ExpressionError(origin, 1, 1, `expression is of type ${checked.type}, expected bool`);
  checkLiterals(source, env, origin);
  const fn = env.parse(source) as unknown as (ctx: Activation) => unknown;
  const evaluate = (a: Activation): Outcome => {
    try {
      const v = fn(a);
      if (typeof v === 'boolean') return { ok: true, value: v };
      return { ok: false, error: `result is ${describe(v)}, not a bool` };
    } catch (e) {
      return { ok: false, error: firstLine(e) };
    }
  };
  return { source, evaluate, test: (p) => evaluate(activationOf(p)) };
}

/** Enum members and regular expression literals are checked at compile time, with positions. */
function checkLiterals(source: string, env: Environment, origin: ExpressionOrigin): void {
  const root = (env.parse(source) as unknown as { ast: AstNode }).ast;
  const walk = (n: unknown): void => {
    if (!isNode(n)) return;
    if (n.op === '.') {
      const [obj, field] = n.args as [AstNode, string];
      if (isNode(obj) && obj.op === 'id' && Object.hasOwn(ENUMS, obj.args as string)) {
        const members = ENUMS[obj.args as keyof typeof ENUMS];
        if (!Object.hasOwn(members, field)) {
          const [line, col] = position(source, n.pos);
          throw new ExpressionError(
            origin,
            line,
            col,
            `${String(obj.args)} has no value '${field}'; expected one of ${Object.keys(members).join(', ')}`,
          );
        }
      }
    }
    if (n.op === 'rcall' && (n.args as unknown[])[0] === 'matches') {
      const arg = ((n.args as unknown[])[2] as unknown[])[0];
      if (isNode(arg) && arg.op === 'value' && typeof arg.args === 'string') {
        try {
          new RegExp(arg.args);
        } catch (e) {
          const [line, col] = position(source, arg.pos);
          throw new ExpressionError(origin, line, col, firstLine(e));
        }
      }
    }
    const args = n.args;
    if (Array.isArray(args)) for (const a of args.flat(2)) walk(a);
    else walk(args);
  };
  walk(root);
}

interface AstNode {
  op: string;
  args: unknown;
  pos: number;
}
const isNode = (n: unknown): n is AstNode =>
  typeof n === 'object' && n !== null && typeof (n as AstNode).op === 'string' && 'args' in n;

function fromLibraryError(e: unknown, source: string, origin: ExpressionOrigin): ExpressionError {
  const err = e as { message?: string; node?: { pos?: number } } | undefined;
  const pos = typeof err?.node?.pos === 'number' ? err.node.pos : 0;
  const [line, col] = position(source, pos);
  return new ExpressionError(origin, line, col, reason(firstLine(e)));
}

// The library's wording, in CEL's usual terms where they differ.
function reason(msg: string): string {
  const unknown = /^Unknown variable: (.+)$/.exec(msg);
  if (unknown) return `undeclared reference to '${unknown[1]}'`;
  const key = /^No such key: (.+)$/.exec(msg);
  if (key) return `undefined field '${key[1]}'`;
  return msg;
}

/** 1-based line and column of a 0-based offset. */
export function position(source: string, offset: number): [number, number] {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const lines = before.split('\n');
  return [lines.length, lines.at(-1)!.length + 1];
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.trim();
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `int ${v}`;
  return `${typeof v} ${String(v)}`;
}
