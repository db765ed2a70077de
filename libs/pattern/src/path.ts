/**
 * Path resolution into payloads and envelopes: the one implementation every stage uses (mappings in
 * the normalizer, rule fields in the classifier, route conditions).
 */

/** A value found in a record, with the exact key chain that reached it. */
export interface PathHit {
  value: unknown;
  /** Keys walked from the root; a key may itself contain dots (flattened producers). */
  keys: string[];
}

/** Whether a dotted path is well formed: non-empty segments, no surrounding whitespace. */
export function isValidPath(path: string): boolean {
  return path.length > 0 && path.trim() === path && path.split('.').every((s) => s.length > 0);
}

/**
 * Resolves a dotted path such as `source.ip` (or its pre-split segments, for hot paths that resolve
 * the same path many times).
 *
 * Producers disagree on nesting: some send `{"source": {"ip": ...}}`, others the flattened
 * `{"source.ip": ...}` (ECS, logfmt); attribute keys may contain dots (`attributes.k8s.namespace`).
 * At each level the longest literal key wins, so every shape resolves with one path. Array elements
 * are reached with numeric segments only (`answers.0.name`); binary values (payload bytes) are leaves.
 */
export function resolvePath(root: unknown, path: string | readonly string[]): PathHit | undefined {
  const segments = typeof path === 'string' ? path.split('.') : path;
  return resolveFrom(root, segments, 0, []);
}

/**
 * `segments[start…]` from `node`. Walks with an offset and one shared key chain (copied only for the
 * hit) instead of slicing per level: every stage resolves paths for every pattern.
 */
function resolveFrom(
  node: unknown,
  segments: readonly string[],
  start: number,
  keys: string[],
): PathHit | undefined {
  if (start === segments.length) return { value: node, keys: keys.slice() };
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return undefined;
  if (Array.isArray(node)) {
    // Only indices reach into arrays ("length" and friends are not data), and an index has no dot.
    const key = segments[start]!;
    if (!INDEX.test(key)) return undefined;
    // By the string itself, as before: "01" is not element 1.
    return descend((node as unknown as Record<string, unknown>)[key], key, segments, start + 1, keys);
  }
  const record = node as Record<string, unknown>;
  for (let end = segments.length; end > start; end--) {
    const key = end === start + 1 ? segments[start]! : joinSegments(segments, start, end);
    if (!Object.hasOwn(record, key)) continue;
    const hit = descend(record[key], key, segments, end, keys);
    if (hit) return hit;
  }
  return undefined;
}

function descend(
  child: unknown,
  key: string,
  segments: readonly string[],
  next: number,
  keys: string[],
): PathHit | undefined {
  if (child === undefined) return undefined;
  keys.push(key);
  const hit = resolveFrom(child, segments, next, keys);
  keys.pop();
  return hit;
}

function joinSegments(segments: readonly string[], start: number, end: number): string {
  let key = segments[start]!;
  for (let i = start + 1; i < end; i++) key += `.${segments[i]!}`;
  return key;
}

const INDEX = /^\d+$/;
