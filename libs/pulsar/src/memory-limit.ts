/**
 * The client-wide budget for message bytes held by producers (accepted by `send()`, not yet
 * acknowledged by the broker), shared by every producer of one client — as the Go client's
 * `MemoryLimitBytes` (64 MiB by default).
 *
 * Producers reserve a message's payload size when they accept it and release it once the message is
 * settled (acknowledged, failed or timed out). A producer whose reservation fails parks its sender and
 * asks to be woken: released bytes wake the parked producers in the order they started waiting, so one
 * busy producer cannot starve the others.
 */
import { Deque } from './deque';

/** Woken when bytes were released; returns true while it still waits for more. */
export type MemoryWaiter = () => boolean;

export class MemoryLimit {
  private used = 0;
  private readonly parked = new Deque<MemoryWaiter>();
  private readonly parkedSet = new Set<MemoryWaiter>();
  private waking = false;

  /** @param limitBytes 0 (or less) means no limit. */
  constructor(readonly limitBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /**
   * Reserves `bytes` if they fit. A message larger than the whole budget still goes through when
   * nothing else is reserved (as in the Go client): it could never fit otherwise.
   */
  tryReserve(bytes: number): boolean {
    if (this.limitBytes > 0 && this.used > 0 && this.used + bytes > this.limitBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used -= bytes;
    if (this.parked.length > 0) this.wake();
  }

  /** Calls `waiter` whenever bytes are released, until it returns false. Parking twice is a no-op. */
  park(waiter: MemoryWaiter): void {
    if (this.parkedSet.has(waiter)) return;
    this.parkedSet.add(waiter);
    this.parked.push(waiter);
  }

  private wake(): void {
    // A woken producer accepts messages and may settle some synchronously (a failed compression):
    // those releases must not re-enter this loop.
    if (this.waking) return;
    this.waking = true;
    try {
      while (this.parked.length > 0) {
        const w = this.parked.peek()!;
        // Still waiting: its next message does not fit yet. It keeps its turn at the front.
        if (w()) break;
        this.parked.shift();
        this.parkedSet.delete(w);
      }
    } finally {
      this.waking = false;
    }
  }
}
