/**
 * Liveness and readiness. A service is ready once it has started and every registered check passes;
 * it turns not-ready first thing on shutdown, so load balancers stop sending before intake closes.
 * Listeners (the gRPC health service) follow every change.
 */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export class Readiness {
  private started = false;
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

  /** Ready, and which checks fail when not. */
  async evaluate(): Promise<{ ready: boolean; failing: string[] }> {
    if (!this.started || this.stopping) {
      return { ready: false, failing: [this.stopping ? 'shutting-down' : 'starting'] };
    }
    const failing: string[] = [];
    for (const [name, check] of this.checks) {
      try {
        if (!(await check())) failing.push(name);
      } catch {
        failing.push(name);
      }
    }
    return { ready: failing.length === 0, failing };
  }

  private emit(): void {
    const ready = this.started && !this.stopping;
    for (const listener of this.listeners) listener(ready);
  }
}
