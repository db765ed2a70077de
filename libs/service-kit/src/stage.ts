import {
  isRetryable,
  type Bus,
  type BusMessage,
  type MessageOutcome,
  type OutgoingMessage,
  type Subscription,
} from '@patternmesh/bus';
import {
  AttributeKeys,
  endSpan,
  pipelineMetrics,
  runInSpan,
  StageStats,
  startConsumerSpan,
} from '@patternmesh/telemetry';
import type { ConfigOf } from '@patternmesh/config';
import type { GrpcServiceRegistration } from './grpc';
import type { ServiceModule } from './host';
import type { Logger } from './logger';
import type { stageSettings } from './settings';

/** A message a stage publishes for the one it is processing. */
export interface StageOutput {
  readonly topic: string;
  readonly message: OutgoingMessage;
}

/**
 * What a stage makes of one input: the messages to publish (none, one, or several — a lane and the
 * archive). Throwing fails this input alone (retried, then dead-lettered). Synchronous in the common
 * case, so a batch is transformed in one pass; a promise is accepted for stages that must wait.
 */
export type StageTransform = (
  message: BusMessage,
) => readonly StageOutput[] | Promise<readonly StageOutput[]>;

export interface StageWorkerOptions {
  readonly bus: Bus;
  readonly logger: Logger;
  /** Stage name for metrics, logs and telemetry: normalize, classify, route. */
  readonly stage: string;
  readonly topic: string;
  readonly subscription: string;
  /** Messages processed concurrently by this replica (the bound on unsettled messages). */
  readonly concurrency: number;
  /** Deliveries before a failing message is dead-lettered. */
  readonly maxDeliveries: number;
  readonly retryDelayMs: number;
  readonly transform: StageTransform;
  /** Told once the bus accepted every output of a message, just before it is acked (e.g. per-lane counts). */
  readonly onPublished?: ((outputs: readonly StageOutput[]) => void) | undefined;
}

/**
 * A pipeline stage's consuming side: a Key_Shared subscription (per-key order while replicas scale
 * out), bounded concurrency, retries with delay, a dead-letter topic with context after the limit,
 * and the stage's metrics and load figures. `drain()` stops intake and waits for in-flight work.
 *
 * It works in batches: it takes what the bus has ready (up to half the concurrency, so a second batch
 * is processed while the first one's receipts come back), transforms every message of it in one pass,
 * publishes all outputs, and the batch settles when every receipt is back — each message on its own
 * outcome: one whose transform threw or whose publish failed is retried or dead-lettered alone, the
 * others are acked together. Per-key order holds because a batch never holds two messages of a key
 * and a key's next message comes only after its previous one settled (the bus's batch contract).
 *
 * Per message it does no more than the work needs: spans only for sampled traces, metrics per batch.
 */
export class StageWorker {
  readonly stats: StageStats;
  private subscription: Subscription | undefined;
  private failure: Error | undefined;

  /** False once the subscription stopped on its own: the service turns not-ready and gets replaced. */
  get healthy(): boolean {
    return this.failure === undefined;
  }

  /** Metric attributes of this stage, built once (they go with every batch). */
  private readonly attrs: Readonly<Record<string, string>>;
  private readonly spanName: string;
  private readonly metrics = pipelineMetrics();

  constructor(private readonly options: StageWorkerOptions) {
    this.stats = new StageStats(options.stage);
    this.attrs = { [AttributeKeys.stage]: options.stage };
    this.spanName = `${options.stage} process`;
  }

  async start(): Promise<void> {
    const { bus, logger, stage } = this.options;
    const metrics = this.metrics;
    const attrs = this.attrs;
    this.subscription = await bus.subscribeBatch(
      {
        topic: this.options.topic,
        subscription: this.options.subscription,
        type: 'Key_Shared',
        maxInFlight: this.options.concurrency,
        maxBatchSize: Math.max(1, Math.ceil(this.options.concurrency / 2)),
        nackDelayMs: this.options.retryDelayMs,
        deadLetter: { maxDeliveries: this.options.maxDeliveries },
        onDeadLetter: (message, deadLetterTopic, failure) => {
          metrics.deadLettered.add(1, attrs);
          logger.error(
            {
              stage,
              messageId: message.id,
              deadLetterTopic,
              code: failure.code,
              attempts: message.redeliveryCount + 1,
            },
            'dead-lettered',
          );
        },
        onError: (error) => {
          this.failure = error;
          logger.error(
            { err: error, stage, topic: this.options.topic },
            'subscription stopped: marking not ready',
          );
        },
      },
      (messages) => this.processBatch(messages),
    );
  }

  private processBatch(messages: readonly BusMessage[]): Promise<readonly MessageOutcome[]> {
    const started = performance.now();
    this.stats.started(messages.length);
    return new Promise((resolve) => {
      const run = new BatchRun(messages, this.options, this.spanName, (outcomes, failed) => {
        const ok = outcomes.length - failed;
        this.stats.finished(ok, failed);
        if (ok > 0) this.metrics.stageProcessed.add(ok, this.attrs);
        if (failed > 0) this.metrics.stageFailed.add(failed, this.attrs);
        this.metrics.stageDuration.record((performance.now() - started) / 1000, this.attrs);
        this.metrics.stageBatchSize.record(outcomes.length, this.attrs);
        resolve(outcomes);
      });
      run.start();
    });
  }

  async drain(): Promise<void> {
    await this.subscription?.drain();
    this.subscription = undefined;
  }
}

/**
 * One batch in progress: each message counts its outstanding steps (its transform, if asynchronous,
 * and each output's receipt); when a message's count reaches zero it has its outcome, and when every
 * message has one the batch is done. Counters instead of a promise chain per message and per output.
 */
class BatchRun {
  private readonly outcomes: MessageOutcome[];
  private readonly pending: Int32Array;
  private readonly spans: Array<ConsumerSpan>;
  private readonly outputs: Array<readonly StageOutput[] | undefined>;
  private open: number;
  private failed = 0;

  constructor(
    private readonly messages: readonly BusMessage[],
    private readonly options: StageWorkerOptions,
    private readonly spanName: string,
    private readonly done: (outcomes: readonly MessageOutcome[], failed: number) => void,
  ) {
    const n = messages.length;
    this.outcomes = new Array<MessageOutcome>(n).fill(OK);
    this.pending = new Int32Array(n);
    this.spans = new Array<ConsumerSpan>(n);
    this.outputs = new Array<readonly StageOutput[] | undefined>(n);
    this.open = n;
  }

  start(): void {
    const { bus, transform, topic } = this.options;
    const target = { system: bus.kind, topic };
    for (let i = 0; i < this.messages.length; i++) {
      const message = this.messages[i]!;
      const span = startConsumerSpan(this.spanName, target, message.properties);
      this.spans[i] = span;
      this.pending[i] = 1; // the transform itself, released below
      let result: readonly StageOutput[] | Promise<readonly StageOutput[]>;
      try {
        result = runInSpan(span, () => transform(message));
      } catch (error) {
        this.fail(i, error);
        continue;
      }
      if (isPromise(result)) {
        result.then(
          (outputs) => this.publish(i, outputs),
          (error: unknown) => this.fail(i, error),
        );
      } else {
        this.publish(i, result);
      }
    }
  }

  private publish(i: number, outputs: readonly StageOutput[]): void {
    this.outputs[i] = outputs;
    const bus = this.options.bus;
    const span = this.spans[i];
    for (const output of outputs) {
      this.pending[i]!++;
      // In the span's context, so a bus that traces its publishes parents them on this message's span.
      runInSpan(span, () => bus.publish(output.topic, output.message)).then(
        () => this.step(i),
        (error: unknown) => this.fail(i, error),
      );
    }
    this.step(i); // the transform's own step
  }

  private fail(i: number, error: unknown): void {
    if (this.outcomes[i]!.ok) {
      this.outcomes[i] = { ok: false, error };
      this.failed++;
      const { logger, stage, maxDeliveries } = this.options;
      const message = this.messages[i]!;
      // The bus decides: retry later, or dead-letter (limit reached or not retryable; see onDeadLetter).
      const willRetry = isRetryable(error) && message.redeliveryCount + 1 < maxDeliveries;
      logger.warn(
        { err: error, stage, messageId: message.id, attempt: message.redeliveryCount + 1, willRetry },
        'processing failed',
      );
    }
    this.step(i);
  }

  private step(i: number): void {
    if (--this.pending[i]! > 0) return;
    const outcome = this.outcomes[i]!;
    endSpan(this.spans[i], outcome.ok ? undefined : outcome.error);
    if (outcome.ok) this.options.onPublished?.(this.outputs[i]!);
    if (--this.open === 0) this.done(this.outcomes, this.failed);
  }
}

type ConsumerSpan = ReturnType<typeof startConsumerSpan>;

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

const OK: MessageOutcome = { ok: true };

/** The wiring every consuming stage's app shares. */
export interface StageModuleDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly config: ConfigOf<typeof stageSettings>;
}

export interface StageModuleSpec {
  /** Service name, e.g. "normalizer". */
  readonly name: string;
  /** Stage name for metrics and telemetry, e.g. "normalize". */
  readonly stage: string;
  readonly topic: string;
  readonly subscription: string;
  readonly transform: StageTransform;
  readonly onPublished?: ((outputs: readonly StageOutput[]) => void) | undefined;
  readonly grpcServices?: readonly GrpcServiceRegistration[];
}

/** A consuming stage as a module: its StageWorker (from the shared stage settings) plus its gRPC API. */
export function stageModule(deps: StageModuleDeps, spec: StageModuleSpec): ServiceModule {
  const worker = new StageWorker({
    bus: deps.bus,
    logger: deps.logger,
    stage: spec.stage,
    topic: spec.topic,
    subscription: spec.subscription,
    concurrency: deps.config.PATTERNMESH_STAGE_CONCURRENCY,
    maxDeliveries: deps.config.PATTERNMESH_MAX_DELIVERIES,
    retryDelayMs: deps.config.PATTERNMESH_RETRY_DELAY_MS,
    transform: spec.transform,
    onPublished: spec.onPublished,
  });
  return {
    name: spec.name,
    ...(spec.grpcServices ? { grpcServices: spec.grpcServices } : {}),
    ready: () => worker.healthy,
    stats: [worker.stats],
    start: () => worker.start(),
    drain: () => worker.drain(),
  };
}
