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
  return resolveSegments(root, typeof path === 'string' ? path.split('.') : path, []);
}

function resolveSegments(node: unknown, segments: readonly string[], keys: string[]): PathHit | undefined {
  if (segments.length === 0) return { value: node, keys };
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return undefined;
  for (let n = segments.length; n >= 1; n--) {
    const key = n === 1 ? segments[0]! : segments.slice(0, n).join('.');
    // Only indices reach into arrays: "length" and friends are not data.
    if (Array.isArray(node) ? !/^\d+$/.test(key) : !Object.hasOwn(node, key)) continue;
    const child: unknown = (node as Record<string, unknown>)[key];
    if (child === undefined) continue;
    const hit = resolveSegments(child, segments.slice(n), [...keys, key]);
    if (hit) return hit;
  }
  return undefined;
}
