/**
 * Bounds how many messages a consumer works on and, for Key_Shared, keeps one key's messages
 * strictly sequential: the broker delivers a key's messages in order to one consumer, but a handler
 * pool running them concurrently would finish them out of order. Messages that wait behind their key
 * still count against the bound, so memory stays bounded while one key is slow.
 */
export class DeliveryGate<T> {
  private held = 0;
  private readonly waitingByKey = new Map<string, T[]>();
  private readonly busyKeys = new Set<string>();
  private capacityWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly serializeKeys: boolean,
    private readonly run: (item: T) => Promise<void>,
  ) {}

  get size(): number {
    return this.held;
  }

  /** Resolves when there is room for one more message. */
  async room(): Promise<void> {
    while (this.held >= this.limit) await new Promise<void>((resolve) => this.capacityWaiters.push(resolve));
  }

  /** Resolves when nothing is held. */
  async idle(): Promise<void> {
    while (this.held > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  admit(item: T, key: string | undefined): void {
    this.held++;
    if (this.serializeKeys && key !== undefined) {
      if (this.busyKeys.has(key)) {
        const queue = this.waitingByKey.get(key);
        if (queue) queue.push(item);
        else this.waitingByKey.set(key, [item]);
        return;
      }
      this.busyKeys.add(key);
    }
    this.start(item, key);
  }

  private start(item: T, key: string | undefined): void {
    void this.run(item).finally(() => this.finished(key));
  }

  private finished(key: string | undefined): void {
    this.held--;
    if (this.serializeKeys && key !== undefined) {
      const queue = this.waitingByKey.get(key);
      const next = queue?.shift();
      if (queue && queue.length === 0) this.waitingByKey.delete(key);
      if (next !== undefined) this.start(next, key);
      else this.busyKeys.delete(key);
    }
    const capacity = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const wake of capacity) wake();
    if (this.held === 0) {
      const idle = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of idle) wake();
    }
  }
}
