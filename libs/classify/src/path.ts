/**
 * Resolves a dotted path in a plain object tree. At each level the longest literal key wins, so
 * attribute keys with dots (`attributes.k8s.namespace`) and flattened extra fields resolve too.
 * Kept local to this lib: domain libs do not share code with each other.
 */
export function resolvePath(root: unknown, segments: readonly string[]): unknown {
  if (segments.length === 0) return root;
  if (root === null || typeof root !== 'object' || Buffer.isBuffer(root)) return undefined;
  for (let n = segments.length; n >= 1; n--) {
    const key = segments.slice(0, n).join('.');
    if (Array.isArray(root) ? !/^\d+$/.test(key) : !Object.hasOwn(root, key)) continue;
    const value = resolvePath((root as Record<string, unknown>)[key], segments.slice(n));
    if (value !== undefined) return value;
  }
  return undefined;
}
