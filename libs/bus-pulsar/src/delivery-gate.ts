/**
 * Bounds how many messages a consumer works on, hands them to the handler in batches of what is ready,
 * and, for Key_Shared, keeps one key's messages strictly sequential: the broker delivers a key's
 * messages in order to one consumer, but a handler pool running them concurrently would finish them
 * out of order. So a batch never holds two messages of one key, and a key's next message becomes ready
 * only once its previous one finished. Messages that wait behind their key still count against the
 * bound, so memory stays bounded while one key is slow.
 */
export class DeliveryGate<T> {
  private held = 0;
  private readonly waitingByKey = new Map<string, T[]>();
  private readonly busyKeys = new Set<string>();
  private ready: Array<{ item: T; key: string | undefined }> = [];
  private flushScheduled = false;
  private capacityWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  /**
   * @param run starts a batch and returns one promise per item, settled when that item is finished
   *   (acked, nacked or dead-lettered); its key and its place under the limit are released then.
   */
  constructor(
    private readonly limit: number,
    private readonly serializeKeys: boolean,
    private readonly maxBatchSize: number,
    private readonly run: (batch: readonly T[]) => ReadonlyArray<Promise<void>>,
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
    this.makeReady(item, key);
  }

  private makeReady(item: T, key: string | undefined): void {
    this.ready.push({ item, key });
    if (this.ready.length >= this.maxBatchSize) {
      this.flush();
      return;
    }
    // What else the client has queued arrives in the next microtasks: collect it into the same batch.
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.ready.length === 0) return;
    const batch = this.ready;
    this.ready = [];
    const finished = this.run(batch.map((entry) => entry.item));
    batch.forEach((entry, i) => {
      void finished[i]!.catch(() => undefined).finally(() => this.finished(entry.key));
    });
  }

  private finished(key: string | undefined): void {
    this.held--;
    if (this.serializeKeys && key !== undefined) {
      const queue = this.waitingByKey.get(key);
      const next = queue?.shift();
      if (queue && queue.length === 0) this.waitingByKey.delete(key);
      if (next !== undefined) this.makeReady(next, key);
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
