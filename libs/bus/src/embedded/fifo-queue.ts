/**
 * A double-ended queue on a growable ring buffer: push/shift/unshift in O(1). The embedded bus keeps
 * every backlog in one of these, so dispatch never shifts or splices an array (that was O(backlog) per
 * delivered message).
 */
export class FifoQueue<T> {
  private items: Array<T | undefined> = new Array<T | undefined>(16);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  /** Puts an item back in front (a redelivery goes before what was published after it). */
  unshift(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined; // let the message be collected
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** Empties the queue, handing every item to `each` in order (used when consumers change). */
  drainTo(each: (item: T) => void): void {
    while (this.count > 0) each(this.shift()!);
  }

  private grow(): void {
    // Capacity stays a power of two, so the index wrap is a mask.
    const next = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = next;
    this.head = 0;
  }
}
