import { EmbeddedBus, type BusMessage, type MessageOutcome } from '@patternmesh/bus';
import { median } from '../stats';

export interface BusBenchOptions {
  readonly messages: number;
  readonly keys: number;
  readonly rounds: number;
}

const payload = new Uint8Array(300);
const properties = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

/**
 * The embedded bus alone, on a Key_Shared subscription with 64 in flight (a stage's default):
 * - `backlog`: a backlog of `messages` over `keys` keys drained by one consumer — the case that made
 *   dispatch scan the backlog;
 * - `stream`: publish (1000 outstanding, backpressure at 10,000) while a consumer acks;
 * - `stream-batch`: the same consumed with `subscribeBatch` (batches of up to 32, as StageWorker).
 * Prints `RESULT bus-<case> msgs/s=` medians over the rounds.
 */
export async function benchBus(options: BusBenchOptions): Promise<void> {
  const results: Record<string, number[]> = { backlog: [], stream: [], 'stream-batch': [] };
  for (let round = 0; round < options.rounds; round++) {
    results['backlog']!.push(await backlogDrain(options));
    results['stream']!.push(await stream(options, false));
    results['stream-batch']!.push(await stream(options, true));
  }
  for (const [name, rates] of Object.entries(results)) {
    process.stdout.write(
      `RESULT bus-${name} msgs/s=${Math.round(median(rates))} rounds=${rates.map(Math.round).join(',')}\n`,
    );
  }
}

const key = (i: number, keys: number): string => `tenant/source/entity-${i % keys}`;

async function backlogDrain({ messages, keys }: BusBenchOptions): Promise<number> {
  const bus = new EmbeddedBus({ maxBacklogPerSubscription: messages + 1 });
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  await bus.subscribe({ topic: 't', subscription: 's', type: 'Key_Shared', maxInFlight: 64 }, async () => {
    await opened; // the whole backlog is in before the clock starts
    if (++done === messages) finish();
  });
  await Promise.all(
    Array.from({ length: messages }, (_, i) => bus.publish('t', { key: key(i, keys), payload, properties })),
  );
  const started = performance.now();
  open();
  await finished;
  const rate = (messages * 1000) / (performance.now() - started);
  await bus.close();
  return rate;
}

async function stream({ messages, keys }: BusBenchOptions, batched: boolean): Promise<number> {
  const bus = new EmbeddedBus({ maxBacklogPerSubscription: 10_000 });
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const count = (): void => {
    if (++done === messages) finish();
  };
  const options = { topic: 't', subscription: 's', type: 'Key_Shared' as const, maxInFlight: 64 };
  if (batched) {
    const ok: MessageOutcome = { ok: true };
    await bus.subscribeBatch({ ...options, maxBatchSize: 32 }, async (batch: readonly BusMessage[]) =>
      batch.map(() => (count(), ok)),
    );
  } else {
    await bus.subscribe(options, async () => count());
  }
  const started = performance.now();
  let outstanding: Array<Promise<string>> = [];
  for (let i = 0; i < messages; i++) {
    outstanding.push(bus.publish('t', { key: key(i, keys), payload, properties }));
    if (outstanding.length >= 1000) {
      await Promise.all(outstanding);
      outstanding = [];
    }
  }
  await finished;
  const rate = (messages * 1000) / (performance.now() - started);
  await bus.close();
  return rate;
}
