/**
 * Parses the summary lines the Java `pulsar-perf` tool prints at the end of a run, e.g.
 *   "Aggregated throughput stats --- 52780 records sent --- 5274.816 msg/s --- 41.209 Mbit/s"
 *   "Aggregated latency stats --- Latency: mean:  44.566 ms - med:  39.386 - 95pct:  87.583 - 99pct:  93.400 - ..."
 */
export interface PerfSummary {
  readonly records?: number;
  /** pulsar-perf's own aggregate: records over the whole run, including the idle tail after DONE. */
  readonly msgPerSec?: number;
  /** Milliseconds from "Created N producers" / "Start receiving" to "DONE": the active window. */
  readonly activeMs?: number;
  readonly latencyMs?: {
    readonly mean: number;
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
  };
}

const STAMP = /^(\d\d):(\d\d):(\d\d)\.(\d{3}) /;

function stampMs(line: string | undefined): number | undefined {
  const m = line ? STAMP.exec(line) : null;
  return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) : undefined;
}

/**
 * The producer's aggregate divides by the run's whole duration, which goes on for several seconds
 * after the last message (until the next stats interval), so it understates throughput; the active
 * window between the start marker and DONE is what is comparable with our own measurement.
 */
function activeWindow(lines: string[]): number | undefined {
  const start = stampMs(lines.find((l) => /Created \d+ producers|Start receiving from/.test(l)));
  const done = stampMs(lines.find((l) => /-+ DONE/.test(l)));
  if (start === undefined || done === undefined) return undefined;
  return done >= start ? done - start : done + 86_400_000 - start; // across midnight
}

export function parsePerfOutput(output: string): PerfSummary {
  const active = activeWindow(output.split('\n'));
  const throughput =
    /Aggregated throughput stats --- (\d+) records (?:sent|received) --- ([\d.]+) msg\/s/.exec(output);
  const latency =
    /Aggregated latency stats --- Latency: mean:\s*([\d.]+) ms - med:\s*([\d.]+) - 95pct:\s*([\d.]+) - 99pct:\s*([\d.]+)/.exec(
      output,
    );
  return {
    ...(active !== undefined ? { activeMs: active } : {}),
    ...(throughput ? { records: Number(throughput[1]), msgPerSec: Number(throughput[2]) } : {}),
    ...(latency
      ? {
          latencyMs: {
            mean: Number(latency[1]),
            p50: Number(latency[2]),
            p95: Number(latency[3]),
            p99: Number(latency[4]),
          },
        }
      : {}),
  };
}
