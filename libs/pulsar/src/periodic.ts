/**
 * A background task run every `intervalMs` — partition discovery, regex topic discovery — with the
 * rules both need: never two runs at once (a slow lookup is not stacked behind another), nothing once
 * the client is closed, and a failed run only logged (`what` names it): the next tick tries again.
 */
import type { ClientContext } from './client-context';

export interface PeriodicTask {
  stop(): void;
}

export function runPeriodically(
  ctx: ClientContext,
  intervalMs: number,
  what: string,
  context: Record<string, unknown>,
  task: () => Promise<void>,
): PeriodicTask {
  if (intervalMs <= 0) return { stop: () => {} };
  let busy = false;
  const timer = setInterval(() => {
    if (busy || ctx.closed) return;
    busy = true;
    task()
      .catch((e: unknown) =>
        ctx.log.warn(`${what} failed; retrying at the next interval`, {
          ...context,
          error: (e as Error).message,
        }),
      )
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
