/** Small statistics helpers for benchmark reports. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in [0, 100]) of an unsorted sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** A number for a RESULT line: integers stay integers, others keep a few significant digits. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return 'nan';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(digits + 2)));
}
