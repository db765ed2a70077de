/**
 * Finds the mapping for a source name. An exact source beats any glob; among globs the one with more
 * literal characters (the more specific) wins, then the one with fewer `*`, then the one listed first.
 */
export class MappingIndex<T extends { readonly source: string }> {
  readonly #exact = new Map<string, T>();
  readonly #globs: { item: T; regex: RegExp }[] = [];

  constructor(items: readonly T[]) {
    const globs: { item: T; regex: RegExp; literal: number; stars: number; order: number }[] = [];
    items.forEach((item, order) => {
      if (!item.source.includes('*')) {
        if (!this.#exact.has(item.source)) this.#exact.set(item.source, item);
        return;
      }
      const stars = item.source.split('*').length - 1;
      globs.push({
        item,
        regex: globToRegExp(item.source),
        literal: item.source.length - stars,
        stars,
        order,
      });
    });
    globs.sort((a, b) => b.literal - a.literal || a.stars - b.stars || a.order - b.order);
    this.#globs.push(...globs.map(({ item, regex }) => ({ item, regex })));
  }

  /** The item for a source name, or undefined when nothing matches. */
  find(source: string): T | undefined {
    return this.#exact.get(source) ?? this.#globs.find((g) => g.regex.test(source))?.item;
  }
}

/** A glob where `*` matches any run of characters (dots included) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}
