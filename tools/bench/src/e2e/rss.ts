import { readFileSync } from 'node:fs';

/**
 * Resident memory of a process from /proc/<pid>/status (Linux): `VmHWM` is the kernel's own peak,
 * `VmRSS` the current figure. Undefined once the process is gone.
 */
export function readRss(pid: number): { peakMb: number; currentMb: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, currentMb: kb('VmRSS') / 1024 };
}

/** Samples the processes every `intervalMs` and keeps each one's highest figure (VmHWM included). */
export class RssSampler {
  readonly #max = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly processes: () => ReadonlyArray<{ name: string; pid: number | undefined }>) {}

  start(intervalMs = 500): void {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    for (const { name, pid } of this.processes()) {
      if (pid === undefined) continue;
      const rss = readRss(pid);
      if (!rss) continue;
      const mb = Math.max(rss.peakMb, rss.currentMb);
      this.#max.set(name, Math.max(this.#max.get(name) ?? 0, mb));
    }
  }

  stop(): Map<string, number> {
    if (this.#timer) clearInterval(this.#timer);
    this.sample();
    return this.#max;
  }
}
