/**
 * The checker: subscribes to a tenant's three lane topics and the archive on any `Bus`, remembers
 * which pattern ids arrived where, and records per lane the latency from gateway acceptance
 * (`received_at` in the envelope) to arrival here. Only the id and `received_at` are read from each
 * envelope (see envelope-peek.ts), so the checker costs the pipeline little when it shares its process.
 */
import type { Bus, Subscription } from '@patternmesh/bus';
import { laneTopic, type PipelineTopics } from '@patternmesh/pattern';
import { peekEnvelope } from './envelope-peek';
import { LatencyHistogram } from './histogram';

export const LANES = ['critical', 'standard', 'bulk'] as const;
export type LaneName = (typeof LANES)[number];

/** What the checker saw, in a form that crosses IPC. */
export interface CheckerReport {
  readonly lanes: Record<LaneName, { count: number; histogram: ReturnType<LatencyHistogram['toJSON']> }>;
  readonly archived: number;
  /** Ids that arrived on a lane and on the archive, newline-separated. */
  readonly deliveredIds: string;
  readonly firstArrivalMs: number;
  readonly lastArrivalMs: number;
}

export class Checker {
  readonly #onLane = new Set<string>();
  readonly #archived = new Set<string>();
  readonly #histograms = new Map<LaneName, LatencyHistogram>(LANES.map((l) => [l, new LatencyHistogram()]));
  readonly #counts = new Map<LaneName, number>(LANES.map((l) => [l, 0]));
  #subscriptions: Subscription[] = [];
  #first = Number.NaN;
  #last = Number.NaN;

  /** Subscribes before any load is sent; the subscriptions are non-durable and leave with the checker. */
  async start(bus: Bus, topics: PipelineTopics, tenant: string, runId: string): Promise<void> {
    const common = {
      type: 'Shared' as const,
      durable: false,
      maxInFlight: 1000,
      initialPosition: 'latest' as const,
    };
    for (const lane of LANES) {
      this.#subscriptions.push(
        await bus.subscribe(
          { ...common, topic: laneTopic(tenant, lane), subscription: `bench-e2e-${runId}-${lane}` },
          async (message) => {
            const now = Date.now();
            const { id, receivedAtMs } = peekEnvelope(message.payload);
            this.#arrived(now);
            this.#onLane.add(id);
            this.#counts.set(lane, this.#counts.get(lane)! + 1);
            // Looked up per message: resetLatency() replaces the histograms.
            this.#histograms.get(lane)!.record(now - receivedAtMs);
          },
        ),
      );
    }
    this.#subscriptions.push(
      await bus.subscribe(
        { ...common, topic: topics.archive, subscription: `bench-e2e-${runId}-archive` },
        async (message) => {
          this.#arrived(Date.now());
          this.#archived.add(peekEnvelope(message.payload).id);
        },
      ),
    );
  }

  #arrived(now: number): void {
    if (Number.isNaN(this.#first)) this.#first = now;
    this.#last = now;
  }

  /** Patterns seen so far on a lane and on the archive (the fewer of the two), to watch the drain. */
  get arrivals(): number {
    return Math.min(this.#onLane.size, this.#archived.size);
  }

  /** Time of the latest arrival since the last reset (Unix ms; NaN before any). */
  get lastArrivalMs(): number {
    return this.#last;
  }

  /** Forgets latencies and arrival times (not ids): the next phase's figures start from here. */
  resetLatency(): void {
    for (const lane of LANES) this.#histograms.set(lane, new LatencyHistogram());
    this.#first = Number.NaN;
    this.#last = Number.NaN;
  }

  report(): CheckerReport {
    const delivered: string[] = [];
    for (const id of this.#onLane) if (this.#archived.has(id)) delivered.push(id);
    return {
      lanes: Object.fromEntries(
        LANES.map((l) => [l, { count: this.#counts.get(l)!, histogram: this.#histograms.get(l)!.toJSON() }]),
      ) as CheckerReport['lanes'],
      archived: this.#archived.size,
      deliveredIds: delivered.join('\n'),
      firstArrivalMs: this.#first,
      lastArrivalMs: this.#last,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.#subscriptions.map((s) => s.close()));
    this.#subscriptions = [];
  }
}
