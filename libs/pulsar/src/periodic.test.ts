import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientContext } from './client-context';
import { runPeriodically } from './periodic';

function context() {
  const warnings: unknown[] = [];
  const ctx = {
    closed: false,
    log: { debug() {}, info() {}, warn: (_m: string, c: unknown) => warnings.push(c), error() {} },
  } as unknown as ClientContext & { closed: boolean };
  return { ctx, warnings };
}

afterEach(() => vi.useRealTimers());

describe('runPeriodically', () => {
  it('never starts a run while the previous one is still going', async () => {
    vi.useFakeTimers();
    const { ctx } = context();
    let running = 0;
    let maxRunning = 0;
    let finish: () => void = () => {};
    const task = runPeriodically(ctx, 100, 'test', {}, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((r) => (finish = r));
      running--;
    });
    await vi.advanceTimersByTimeAsync(350); // three ticks, the first run still going
    expect(maxRunning).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(running).toBe(1); // the next tick started a new run
    task.stop();
  });

  it('logs a failed run and tries again at the next tick; nothing after the client closed', async () => {
    vi.useFakeTimers();
    const { ctx, warnings } = context();
    let runs = 0;
    runPeriodically(ctx, 100, 'test', { topic: 't' }, async () => {
      runs++;
      throw new Error('lookup failed');
    });
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toBe(2);
    expect(warnings[0]).toEqual({ topic: 't', error: 'lookup failed' });
    (ctx as { closed: boolean }).closed = true;
    await vi.advanceTimersByTimeAsync(300);
    expect(runs).toBe(2);
  });

  it('does nothing with an interval of 0', async () => {
    vi.useFakeTimers();
    const { ctx } = context();
    let runs = 0;
    runPeriodically(ctx, 0, 'test', {}, async () => void runs++).stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(0);
  });
});
