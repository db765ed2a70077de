import { randomBytes } from 'node:crypto';

/** A topic/subscription name no other test (or earlier run against the same broker) has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Polls until `check` stops throwing. Waiting on an outcome instead of sleeping a fixed time keeps
 * tests free of timing assumptions; the limit only bounds how long a broken build hangs.
 */
export async function eventually<T>(check: () => T | Promise<T>, limitMs = 20_000, stepMs = 20): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, stepMs));
    }
  }
}

/** Resolves once `count` items were pushed into the returned array. */
export function collect<T>(count: number): { items: T[]; push(item: T): void; done: Promise<T[]> } {
  const items: T[] = [];
  let resolve!: (value: T[]) => void;
  const done = new Promise<T[]>((r) => (resolve = r));
  return {
    items,
    push(item: T) {
      items.push(item);
      if (items.length === count) resolve(items);
    },
    done,
  };
}
