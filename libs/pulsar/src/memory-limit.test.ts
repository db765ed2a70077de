import { describe, expect, it } from 'vitest';
import { MemoryLimit } from './memory-limit';

describe('MemoryLimit', () => {
  it('reserves while the bytes fit and refuses beyond the limit', () => {
    const m = new MemoryLimit(100);
    expect(m.tryReserve(60)).toBe(true);
    expect(m.tryReserve(40)).toBe(true);
    expect(m.tryReserve(1)).toBe(false);
    expect(m.usedBytes).toBe(100);
    m.release(50);
    expect(m.tryReserve(50)).toBe(true);
  });

  it('lets one message larger than the whole limit through when nothing else is reserved', () => {
    const m = new MemoryLimit(100);
    expect(m.tryReserve(500)).toBe(true);
    expect(m.tryReserve(1)).toBe(false);
    m.release(500);
    expect(m.tryReserve(1)).toBe(true);
    expect(m.tryReserve(500)).toBe(false);
  });

  it('never refuses without a limit', () => {
    const m = new MemoryLimit(0);
    expect(m.tryReserve(1e12)).toBe(true);
    expect(m.tryReserve(1e12)).toBe(true);
  });

  it('wakes parked waiters in the order they parked, stopping at the first that still waits', () => {
    const m = new MemoryLimit(10);
    m.tryReserve(10);
    const calls: string[] = [];
    const wants = { a: 6, b: 3 };
    const waiter = (name: 'a' | 'b') => () => {
      calls.push(name);
      return !m.tryReserve(wants[name]); // true = still waiting
    };
    const a = waiter('a');
    const b = waiter('b');
    m.park(a);
    m.park(b);
    m.park(a); // parking twice keeps one turn
    m.release(4); // 6 used: a (6) does not fit, and b must not overtake it
    expect(calls).toEqual(['a']);
    m.release(6); // 0 used: a takes 6, then b takes 3
    expect(calls).toEqual(['a', 'a', 'b']);
    expect(m.usedBytes).toBe(9);
    m.release(9);
    expect(calls).toHaveLength(3); // both left the queue once served
  });

  it('does not re-enter the wake loop when a woken waiter releases bytes itself', () => {
    const m = new MemoryLimit(10);
    m.tryReserve(10);
    let depth = 0;
    let maxDepth = 0;
    m.park(() => {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      m.tryReserve(5);
      m.release(5); // e.g. a message that failed at once
      depth--;
      return false;
    });
    m.release(10);
    expect(maxDepth).toBe(1);
  });
});
