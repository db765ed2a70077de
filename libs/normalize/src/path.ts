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
 * Resolves a dotted path such as `source.ip` in a parsed record.
 *
 * Producers disagree on nesting: some send `{"source": {"ip": ...}}`, others the flattened
 * `{"source.ip": ...}` (ECS, logfmt). At each level the longest literal key wins, so both shapes
 * resolve with one path. Array elements are reached with numeric segments (`answers.0.name`).
 */
export function resolvePath(root: unknown, path: string): PathHit | undefined {
  return resolveSegments(root, path.split('.'), []);
}

function resolveSegments(node: unknown, segments: string[], keys: string[]): PathHit | undefined {
  if (segments.length === 0) return { value: node, keys };
  if (node === null || typeof node !== 'object') return undefined;
  for (let n = segments.length; n >= 1; n--) {
    const key = segments.slice(0, n).join('.');
    // Only indices reach into arrays: "length" and friends are not data.
    if (Array.isArray(node) ? !/^\d+$/.test(key) : !Object.hasOwn(node, key)) continue;
    const child: unknown = (node as Record<string, unknown>)[key];
    if (child === undefined) continue;
    const hit = resolveSegments(child, segments.slice(n), [...keys, key]);
    if (hit) return hit;
  }
  return undefined;
}

/** Whether a value counts as present for "first present wins": not missing, null or blank. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  return true;
}

/**
 * Resolves the first candidate path whose value is present.
 * Returns the path that matched alongside the hit, or undefined when none is present.
 */
export function firstPresent(
  root: unknown,
  paths: readonly string[],
): (PathHit & { path: string }) | undefined {
  for (const path of paths) {
    const hit = resolvePath(root, path);
    if (hit && isPresent(hit.value)) return { ...hit, path };
  }
  return undefined;
}

/** Deep copy of JSON-like data. Objects are rebuilt with own data properties, so a "__proto__" key stays data. */
export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneJson(v)]));
  }
  return value;
}

/**
 * Removes the value at a key chain from a plain-object tree, in place, and prunes objects along the
 * chain that this removal left empty. Chains that pass through arrays are left alone: a hole in a
 * list would change what the remaining elements mean.
 */
export function removeKeys(root: Record<string, unknown>, keys: readonly string[]): void {
  const parents: Record<string, unknown>[] = [];
  let node: unknown = root;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node)) return;
    parents.push(node);
    node = node[key];
  }
  const last = keys.at(-1);
  if (last === undefined || !isPlainObject(node) || !Object.hasOwn(node, last)) return;
  delete node[last];
  // Walk back up: drop containers that only held what we just moved into a typed field.
  let child = node;
  for (let i = parents.length - 1; i >= 0; i--) {
    if (Object.keys(child).length > 0) break;
    const parent = parents[i] as Record<string, unknown>;
    delete parent[keys[i] as string];
    child = parent;
  }
}

/** Whether a value is a non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
