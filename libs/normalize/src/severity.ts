import { isSeverityLevel, SEVERITY_LEVELS, severityFromName, type SeverityLevel } from '@patternmesh/pattern';
import type { Severity } from '@patternmesh/proto';
import { toNumber, describe, type Coerced } from './coerce';

/** Severity names used in mapping specs: the vocabulary's severity levels, under the names specs use. */
export type SeverityName = SeverityLevel;
export const SEVERITY_NAMES = SEVERITY_LEVELS;
export const isSeverityName = isSeverityLevel;
export { severityFromName };

/**
 * Words sources use for severity, including log levels and syslog keywords, so most sources need no
 * `map` at all. Compared case-insensitively.
 */
export const SEVERITY_ALIASES: Readonly<Record<string, SeverityName>> = {
  trace: 'info',
  debug: 'info',
  info: 'info',
  informational: 'info',
  information: 'info',
  low: 'low',
  notice: 'low',
  minor: 'low',
  medium: 'medium',
  moderate: 'medium',
  warn: 'medium',
  warning: 'medium',
  high: 'high',
  major: 'high',
  error: 'high',
  err: 'high',
  severe: 'high',
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  alert: 'critical',
  emerg: 'critical',
  emergency: 'critical',
};

/**
 * Numeric scales a source may report severity on.
 * - `syslog`: RFC 5424 levels, 0 (emergency) … 7 (debug) — lower is worse.
 * - `0-10`: CVSS-style, 0 info, <4 low, <7 medium, <9 high, else critical.
 * - `1-5`: 1 info … 5 critical.
 * - `0-100`: risk scores, <10 info, <40 low, <70 medium, <90 high, else critical.
 */
export type NumericScale = 'syslog' | '0-10' | '1-5' | '0-100';

/** Every supported numeric scale. */
export const NUMERIC_SCALES: readonly NumericScale[] = ['syslog', '0-10', '1-5', '0-100'];

// RFC 5424 severities indexed by level: emergency, alert, critical, error, warning, notice, info, debug.
const SYSLOG: readonly SeverityName[] = [
  'critical',
  'critical',
  'critical',
  'high',
  'medium',
  'low',
  'info',
  'info',
];

const SCALES: Record<NumericScale, (n: number) => SeverityName | undefined> = {
  syslog: (n) => (Number.isInteger(n) ? SYSLOG[n] : undefined),
  '0-10': (n) => (n < 0 || n > 10 ? undefined : bands(n, [0, 4, 7, 9])),
  '1-5': (n) => (Number.isInteger(n) ? SEVERITY_NAMES[n - 1] : undefined),
  '0-100': (n) => (n < 0 || n > 100 ? undefined : bands(n, [10, 40, 70, 90])),
};

// Upper bounds (exclusive) of info, low, medium, high; at or above the last is critical.
// For 0-10 an exact 0 is info and anything above it starts at low, as CVSS does.
function bands(n: number, [info, low, medium, high]: [number, number, number, number]): SeverityName {
  if (info === 0 ? n === 0 : n < info) return 'info';
  if (n < low) return 'low';
  if (n < medium) return 'medium';
  if (n < high) return 'high';
  return 'critical';
}

/** How a mapping reads severity: a lookup table first, then the built-in words, then a numeric scale. */
export interface SeverityRule {
  /** Source values, trimmed and lower-cased (numbers as text), to severity names. */
  map?: ReadonlyMap<string, SeverityName>;
  numericScale?: NumericScale;
}

/** Resolves one source value to a `Severity`, or explains why it could not. */
export function resolveSeverity(value: unknown, rule: SeverityRule): Coerced<Severity> {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return { ok: false, reason: `${describe(value)} is not a severity` };
  }
  const key = String(value).trim().toLowerCase();
  const mapped = rule.map?.get(key);
  if (mapped) return { ok: true, value: severityFromName(mapped) };
  const alias = Object.hasOwn(SEVERITY_ALIASES, key) ? SEVERITY_ALIASES[key] : undefined;
  if (alias) return { ok: true, value: severityFromName(alias) };
  const n = toNumber(value);
  if (n !== undefined) {
    if (!rule.numericScale) {
      return { ok: false, reason: `${describe(value)} is numeric but the mapping names no numericScale` };
    }
    const name = SCALES[rule.numericScale](n);
    return name
      ? { ok: true, value: severityFromName(name) }
      : { ok: false, reason: `${describe(value)} is outside the ${rule.numericScale} severity scale` };
  }
  return { ok: false, reason: `${describe(value)} is not a known severity` };
}
