// Locks: an exclusive file created with O_EXCL holding {pid}; a lock whose owner died is stale.
// Serializes builds into a shared cache and starts of one server per data dir across processes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Log, errorCode, noopLog } from './basics';
import { isAlive } from './process';

export interface LockOptions {
  timeoutMs?: number;
  log?: Log;
  what?: string;
}

interface LockOwner {
  pid: number;
  host: string;
  at: string;
}

export async function withLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  { timeoutMs = 15 * 60_000, log = noopLog, what = 'lock' }: LockOptions = {},
): Promise<T> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const t0 = Date.now();
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(
        fd,
        JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() }),
      );
      fs.closeSync(fd);
      break;
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e;
      let owner: LockOwner | null = null;
      try {
        owner = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockOwner;
      } catch {
        // Being written right now, or garbage: treat garbage older than 10 s as stale.
        try {
          if (Date.now() - fs.statSync(lockPath).mtimeMs > 10_000) fs.rmSync(lockPath, { force: true });
        } catch {
          /* gone */
        }
      }
      if (owner && owner.host === os.hostname() && !isAlive(owner.pid)) {
        fs.rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(`Timed out waiting for ${what} ${lockPath}`, { cause: e });
      }
      if (!announced && owner) {
        log(`waiting for ${what} held by pid ${owner.pid} (${lockPath})`);
        announced = true;
      }
      await sleep(300);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}
