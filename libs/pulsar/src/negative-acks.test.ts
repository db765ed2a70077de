import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NackEntry } from './negative-acks';
import { NegativeAckTracker } from './negative-acks';

describe('NegativeAckTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('redelivers after the delay, coalescing entries that are due together', () => {
    const due: NackEntry<string>[][] = [];
    const t = new NegativeAckTracker<string>(1000, (e) => due.push(e));
    t.add('a', 'A', 'bad input');
    vi.advanceTimersByTime(5);
    t.add('b', 'B');
    vi.advanceTimersByTime(994);
    expect(due).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(due).toHaveLength(1);
    expect(due[0]!.map((e) => [e.message, e.reason])).toEqual([
      ['A', 'bad input'],
      ['B', undefined],
    ]);
    expect(t.size).toBe(0);
  });

  it('re-nacking restarts the delay; remove() forgets', () => {
    const due: string[] = [];
    const t = new NegativeAckTracker<string>(100, (e) => due.push(...e.map((x) => x.message)));
    t.add('a', 'A');
    t.add('b', 'B');
    vi.advanceTimersByTime(60);
    t.add('a', 'A');
    t.remove('b');
    vi.advanceTimersByTime(60);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(60);
    expect(due).toEqual(['A']);
  });

  it('does nothing after close', () => {
    const due: string[] = [];
    const t = new NegativeAckTracker<string>(10, (e) => due.push(...e.map((x) => x.message)));
    t.add('a', 'A');
    t.close();
    vi.advanceTimersByTime(100);
    expect(due).toEqual([]);
  });
});
