import type { Attributes } from '@opentelemetry/api';

const cache = new Map<string, Map<string, Attributes>>();

/**
 * The one-attribute set `{ [key]: value }`, made once per key and value and then shared: hot paths
 * (a metric per pattern) would otherwise allocate an object per message. Only for attributes with a
 * small, bounded set of values (lanes, transports, stages), never ids.
 */
export function attributesOf(key: string, value: string): Attributes {
  let byValue = cache.get(key);
  if (!byValue) {
    byValue = new Map();
    cache.set(key, byValue);
  }
  let attributes = byValue.get(value);
  if (!attributes) {
    attributes = Object.freeze({ [key]: value });
    byValue.set(value, attributes);
  }
  return attributes;
}
