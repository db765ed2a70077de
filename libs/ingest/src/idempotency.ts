/**
 * Remembers which pattern id an idempotency key produced, per tenant, for a while. A retry with the
 * same key gets the first id back instead of a second pattern; concurrent duplicates share one
 * publish. Bounded by entry count and age, so memory stays flat under any load.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, { id: Promise<string>; at: number }>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `publish` unless the key was seen; a failed publish is forgotten so a retry can succeed. */
  async once(
    tenant: string,
    key: string,
    publish: () => Promise<string>,
  ): Promise<{ id: string; duplicate: boolean }> {
    const cacheKey = `${tenant}\u0000${key}`;
    const hit = this.entries.get(cacheKey);
    if (hit && this.now() - hit.at < this.ttlMs) return { id: await hit.id, duplicate: true };
    const id = publish();
    this.entries.set(cacheKey, { id, at: this.now() });
    this.evict();
    try {
      return { id: await id, duplicate: false };
    } catch (error) {
      if (this.entries.get(cacheKey)?.id === id) this.entries.delete(cacheKey);
      throw error;
    }
  }

  private evict(): void {
    // Map iteration order is insertion order: the oldest entries go first.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
