import { resolvePath, type PathHit } from '@patternmesh/pattern';

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
