/**
 * Liveness and readiness. A service is ready once it has started and every registered check passes;
 * it turns not-ready first thing on shutdown, so load balancers stop sending before intake closes.
 * Listeners (the gRPC health service) follow every change.
 */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export class Readiness {
  private started = false;
  private lastReady = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<{ ready: boolean; failing: string[] }> | undefined;
  private stopping = false;
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly listeners = new Set<(ready: boolean) => void>();

  addCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  onChange(listener: (ready: boolean) => void): void {
    this.listeners.add(listener);
  }

  markStarted(): void {
    this.started = true;
    this.emit();
  }

  markStopping(): void {
    this.stopping = true;
    this.emit();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /**
   * Re-evaluates the checks every `intervalMs` so listeners (gRPC health, which Kubernetes' native
   * `grpc:` probes read) see a check turn false without anyone asking `/readyz`.
   */
  watch(intervalMs = 1_000): void {
    this.unwatch();
    this.timer = setInterval(() => void this.evaluate(), intervalMs);
    this.timer.unref();
  }

  unwatch(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Ready, and which checks fail when not. Listeners hear about every change it finds. Concurrent
   * callers share one evaluation, and a check that does not answer within a second counts as failing,
   * so a hung check can neither pile up evaluations nor leave a stale answer last.
   */
  evaluate(): Promise<{ ready: boolean; failing: string[] }> {
    this.inFlight ??= this.runChecks().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async runChecks(): Promise<{ ready: boolean; failing: string[] }> {
    if (!this.started || this.stopping) {
      return { ready: false, failing: [this.stopping ? 'shutting-down' : 'starting'] };
    }
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => ((await withTimeout(check, 1_000)) ? undefined : name)),
    );
    const failing = results.filter((name): name is string => name !== undefined);
    const ready = failing.length === 0 && this.started && !this.stopping;
    if (ready !== this.lastReady) this.notify(ready);
    return { ready, failing };
  }

  private emit(): void {
    if (this.stopping || !this.started) {
      this.notify(false);
      return;
    }
    void this.evaluate();
  }

  private notify(ready: boolean): void {
    this.lastReady = ready;
    for (const listener of this.listeners) listener(ready);
  }
}

/** A check's answer, or false when it throws or takes longer than `ms`. */
async function withTimeout(check: ReadinessCheck, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
