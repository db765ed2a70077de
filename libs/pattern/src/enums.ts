/**
 * Enum names as people write them (rules, routes, topic names, message properties, the CLI): one
 * spelling per value, derived from the proto enums in one place.
 */
import { Lane, Priority, type Severity } from '@patternmesh/proto';

export type LaneName = 'critical' | 'standard' | 'bulk';

/** Every routable lane, most urgent first. */
export const LANE_NAMES: readonly LaneName[] = ['critical', 'standard', 'bulk'];

const LANE_BY_NAME: Record<LaneName, Lane> = {
  critical: Lane.LANE_CRITICAL,
  standard: Lane.LANE_STANDARD,
  bulk: Lane.LANE_BULK,
};

/** Whether a lane can carry patterns (unspecified and unrecognized cannot). */
export function isRoutableLane(lane: Lane): boolean {
  return lane === Lane.LANE_CRITICAL || lane === Lane.LANE_STANDARD || lane === Lane.LANE_BULK;
}

/** `critical`, `standard`, `bulk`, or `unspecified` for anything else. */
export function laneName(lane: Lane): LaneName | 'unspecified' {
  return LANE_NAMES[lane - 1] ?? 'unspecified';
}

/** Whether a string is a lane name (`critical`, `standard`, `bulk`). */
export function isLaneName(value: string): value is LaneName {
  return Object.hasOwn(LANE_BY_NAME, value);
}

/** Reads a lane from `critical`, `CRITICAL` or `LANE_CRITICAL`; undefined unless routable. */
export function parseLane(name: string): Lane | undefined {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/^lane_/, '');
  return isLaneName(key) ? LANE_BY_NAME[key] : undefined;
}

export type PriorityName = 'low' | 'medium' | 'high' | 'critical';

/** Every priority name, lowest first. */
export const PRIORITY_NAMES: readonly PriorityName[] = ['low', 'medium', 'high', 'critical'];

/** `low` … `critical`, or `unspecified` for anything that is not a real priority. */
export function priorityName(p: Priority): PriorityName | 'unspecified' {
  return PRIORITY_NAMES[p - 1] ?? 'unspecified';
}

/** Whether `s` is a priority name. */
export function isPriorityName(s: unknown): s is PriorityName {
  return typeof s === 'string' && (PRIORITY_NAMES as readonly string[]).includes(s);
}

/** The `Priority` for a name. */
export function priorityFromName(name: PriorityName): Priority {
  return (PRIORITY_NAMES.indexOf(name) + 1) as Priority;
}

export type SeverityName = 'unspecified' | 'info' | 'low' | 'medium' | 'high' | 'critical';

const SEVERITY_NAMES: readonly SeverityName[] = ['unspecified', 'info', 'low', 'medium', 'high', 'critical'];

/** A severity a source can state (every name but `unspecified`), lowest first. */
export type SeverityLevel = Exclude<SeverityName, 'unspecified'>;
export const SEVERITY_LEVELS: readonly SeverityLevel[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Whether `s` is a severity level name. */
export function isSeverityLevel(s: unknown): s is SeverityLevel {
  return typeof s === 'string' && (SEVERITY_LEVELS as readonly string[]).includes(s);
}

/** The `Severity` for a level name. */
export function severityFromName(name: SeverityLevel): Severity {
  return SEVERITY_NAMES.indexOf(name) as Severity;
}

/** `info` … `critical`, or `unspecified`. */
export function severityName(s: Severity): SeverityName {
  return SEVERITY_NAMES[s] ?? 'unspecified';
}

/**
 * Reads an enum value written by name: `"high"`, `"SEVERITY_HIGH"` / `"PRIORITY_HIGH"` or the number.
 * Undefined when the name is unknown.
 */
export function enumValue(kind: 'severity' | 'priority', v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const name = v.toLowerCase().replace(/^(severity|priority)_/, '');
  if (kind === 'severity') {
    const i = (SEVERITY_NAMES as readonly string[]).indexOf(name);
    return i >= 0 ? (i as Severity) : undefined;
  }
  if (isPriorityName(name)) return priorityFromName(name);
  return name === 'unspecified' ? Priority.PRIORITY_UNSPECIFIED : undefined;
}
