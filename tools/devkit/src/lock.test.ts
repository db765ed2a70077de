import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLock } from './lock';

describe('withLock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devkit-lock-'));

  it('runs holders one after another and removes the lock file', async () => {
    const lock = path.join(dir, 'a.lock');
    const order: string[] = [];
    const hold = (name: string) =>
      withLock(lock, async () => {
        order.push(`${name}:in`);
        await new Promise((r) => setTimeout(r, 50));
        order.push(`${name}:out`);
      });
    await Promise.all([hold('first'), hold('second')]);
    expect(order).toEqual(['first:in', 'first:out', 'second:in', 'second:out']);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose owner is dead', async () => {
    const lock = path.join(dir, 'b.lock');
    // pid 2^22 + 1 is above Linux's pid_max default, so no process has it.
    fs.writeFileSync(lock, JSON.stringify({ pid: 4194305, host: os.hostname(), at: '' }));
    await expect(withLock(lock, async () => 'ran', { timeoutMs: 2000 })).resolves.toBe('ran');
  });

  it('times out behind a live owner', async () => {
    const lock = path.join(dir, 'c.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), at: '' }));
    await expect(withLock(lock, async () => 'ran', { timeoutMs: 400 })).rejects.toThrow(/Timed out/);
    fs.rmSync(lock);
  });
});
