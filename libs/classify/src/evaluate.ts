import type { Pattern } from '@patternmesh/proto';
import { ENUM_FIELDS, ZERO_IS_ABSENT, type Condition, type FieldCondition } from './condition';
import { enumValue } from '@patternmesh/pattern';
import { resolvePath } from '@patternmesh/pattern';

/** A compiled condition: a pure predicate over a pattern. */
export type Predicate = (p: Pattern) => boolean;

/**
 * Compiles a validated condition into a predicate. Regular expressions and paths are prepared once
 * here, not per pattern. This module is the only evaluator of the rule language, so a CEL-backed
 * evaluator can replace it behind the same `compileCondition` signature.
 */
export function compileCondition(cond: Condition): Predicate {
  if ('all' in cond) {
    const parts = cond.all.map(compileCondition);
    return (p) => parts.every((f) => f(p));
  }
  if ('any' in cond) {
    const parts = cond.any.map(compileCondition);
    return (p) => parts.some((f) => f(p));
  }
  if ('not' in cond) {
    const inner = compileCondition(cond.not);
    return (p) => !inner(p);
  }
  return compileLeaf(cond);
}

function compileLeaf({ field, op, value }: FieldCondition): Predicate {
  const segments = field.split('.');
  const enumKind = ENUM_FIELDS[field];
  // Named enum values ("high") become their numbers once, so comparisons stay numeric.
  const norm = (v: unknown) => (enumKind ? enumValue(enumKind, v) : v);
  const read = (p: Pattern) => resolvePath(p, segments)?.value;
  const zeroIsAbsent = ZERO_IS_ABSENT.has(field);
  switch (op) {
    case 'exists':
      return (p) => present(read(p), zeroIsAbsent);
    case 'eq': {
      const want = norm(value);
      return (p) => same(read(p), want);
    }
    case 'neq': {
      const want = norm(value);
      return (p) => !same(read(p), want);
    }
    case 'in': {
      const wants = (value as unknown[]).map(norm);
      return (p) => {
        const got = read(p);
        return wants.some((w) => same(got, w));
      };
    }
    case 'gte':
    case 'lte':
    case 'gt':
    case 'lt': {
      const bound = norm(value) as number;
      const cmp = {
        gte: (a: number) => a >= bound,
        lte: (a: number) => a <= bound,
        gt: (a: number) => a > bound,
        lt: (a: number) => a < bound,
      }[op];
      return (p) => {
        const n = asNumber(read(p));
        return n !== undefined && cmp(n);
      };
    }
    case 'contains': {
      const want = norm(value);
      return (p) => {
        const got = read(p);
        if (Array.isArray(got)) return got.some((x) => same(x, want));
        return typeof got === 'string' && typeof want === 'string' && got.includes(want);
      };
    }
    case 'matches': {
      const re = new RegExp(value as string);
      return (p) => {
        const got = read(p);
        return (typeof got === 'string' || typeof got === 'number') && re.test(String(got));
      };
    }
  }
}

function present(v: unknown, zeroIsAbsent: boolean): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  return !(zeroIsAbsent && v === 0);
}

// Source values often arrive as text (logfmt, CSV): "42" equals 42 and "true" equals true.
function same(got: unknown, want: unknown): boolean {
  if (got === want) return true;
  if (typeof want === 'number' && typeof got === 'string') return asNumber(got) === want;
  if (typeof want === 'boolean' && typeof got === 'string') return got.trim().toLowerCase() === String(want);
  return false;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}
