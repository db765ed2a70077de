import { Priority, type Severity } from '@patternmesh/proto';

/** Priority names used in rules. */
export type PriorityName = 'low' | 'medium' | 'high' | 'critical';

/** Every priority name, lowest first. */
export const PRIORITY_NAMES: readonly PriorityName[] = ['low', 'medium', 'high', 'critical'];

const PRIORITY_BY_NAME: Record<PriorityName, Priority> = {
  low: Priority.PRIORITY_LOW,
  medium: Priority.PRIORITY_MEDIUM,
  high: Priority.PRIORITY_HIGH,
  critical: Priority.PRIORITY_CRITICAL,
};

/** Whether `s` is a priority name. */
export function isPriorityName(s: unknown): s is PriorityName {
  return typeof s === 'string' && Object.hasOwn(PRIORITY_BY_NAME, s);
}

/** The `Priority` enum value for a name. */
export function priorityFromName(name: PriorityName): Priority {
  return PRIORITY_BY_NAME[name];
}

/** The name of a `Priority`; `unspecified` for anything that is not a real priority. */
export function priorityName(p: Priority): PriorityName | 'unspecified' {
  return PRIORITY_NAMES[p - 1] ?? 'unspecified';
}

const SEVERITY_NAMES: readonly SeverityLabel[] = ['unspecified', 'info', 'low', 'medium', 'high', 'critical'];

/** A severity as rules and explanations name it. */
export type SeverityLabel = 'unspecified' | 'info' | 'low' | 'medium' | 'high' | 'critical';

/** The name of a `Severity` (`info` … `critical`, or `unspecified`). */
export function severityName(s: Severity): SeverityLabel {
  return SEVERITY_NAMES[s] ?? 'unspecified';
}

/**
 * Reads an enum value a rule author wrote by name: `"high"`, `"SEVERITY_HIGH"` or the number.
 * Returns undefined when the name is unknown.
 */
export function enumValue(kind: 'severity' | 'priority', v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const name = v.toLowerCase().replace(/^(severity|priority)_/, '');
  if (kind === 'severity') {
    const i = (SEVERITY_NAMES as readonly string[]).indexOf(name);
    return i >= 0 ? i : undefined;
  }
  return isPriorityName(name)
    ? PRIORITY_BY_NAME[name]
    : name === 'unspecified'
      ? Priority.PRIORITY_UNSPECIFIED
      : undefined;
}
