import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc times (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** CPU time a process has used so far (user + system, all its threads), in seconds; undefined once gone. */
export function readCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid …`: comm may hold spaces, so fields are counted after its closing paren;
  // utime and stime are fields 14 and 15 of the line, 12th and 13th after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The pid of a process on this machine whose command line contains `marker` (e.g. the broker's main class). */
export function findProcess(marker: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

export type Processes = ReadonlyArray<{ name: string; pid: number | undefined }>;

/**
 * CPU seconds each process spent between `start()` and `stop()`: on a machine whose cores every part
 * shares (pipeline, broker, load generator), CPU per pattern is the budget that sets the throughput,
 * and it is much steadier from run to run than the throughput itself.
 */
export class CpuMeter {
  readonly #start = new Map<string, number>();

  constructor(private readonly processes: () => Processes) {}

  start(): void {
    this.#start.clear();
    for (const { name, pid } of this.processes()) {
      const seconds = pid === undefined ? undefined : readCpuSeconds(pid);
      if (seconds !== undefined) this.#start.set(name, seconds);
    }
  }

  /** Seconds per process since `start()`, for the processes alive at both ends. */
  stop(): Map<string, number> {
    const used = new Map<string, number>();
    for (const { name, pid } of this.processes()) {
      const before = this.#start.get(name);
      const now = pid === undefined ? undefined : readCpuSeconds(pid);
      if (before !== undefined && now !== undefined) used.set(name, now - before);
    }
    return used;
  }
}

/** `name=<µs>` per process and the total, for `count` patterns: the INFO line's figures. */
export function microsPerPattern(used: Map<string, number>, count: number): string {
  if (count <= 0) return 'none';
  const parts = [...used].map(([name, seconds]) => `${name}=${Math.round((seconds * 1e6) / count)}`);
  const total = [...used.values()].reduce((a, b) => a + b, 0);
  return [...parts, `total=${Math.round((total * 1e6) / count)}`].join(' ');
}
