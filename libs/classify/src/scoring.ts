import { Priority, Severity } from '@patternmesh/proto';

/**
 * Base score by normalized severity, before any rule. An unknown severity sits just above `info`:
 * the source said nothing, which is no evidence either way.
 */
export const SEVERITY_BASE_SCORE: Readonly<Record<Severity, number>> = {
  [Severity.SEVERITY_UNSPECIFIED]: 0.2,
  [Severity.SEVERITY_INFO]: 0.1,
  [Severity.SEVERITY_LOW]: 0.25,
  [Severity.SEVERITY_MEDIUM]: 0.5,
  [Severity.SEVERITY_HIGH]: 0.75,
  [Severity.SEVERITY_CRITICAL]: 0.95,
  [Severity.UNRECOGNIZED]: 0.2,
};

/**
 * Lowest score for each priority: score ≥ 0.9 is critical, ≥ 0.6 high, ≥ 0.3 medium, else low.
 * Each severity's base score lands on its own priority (info and low both on low).
 */
export const PRIORITY_THRESHOLDS: readonly { min: number; priority: Priority }[] = [
  { min: 0.9, priority: Priority.PRIORITY_CRITICAL },
  { min: 0.6, priority: Priority.PRIORITY_HIGH },
  { min: 0.3, priority: Priority.PRIORITY_MEDIUM },
  { min: 0, priority: Priority.PRIORITY_LOW },
];

/** The priority a score earns on its own. */
export function priorityForScore(score: number): Priority {
  return PRIORITY_THRESHOLDS.find((t) => score >= t.min)?.priority ?? Priority.PRIORITY_LOW;
}

/** Clamps to [0, 1] and rounds away floating-point noise (0.75 + 0.2 must be 0.95, not 0.9500000000000001). */
export function clampScore(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 1e6) / 1e6;
}
