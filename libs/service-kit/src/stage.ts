import {
  isRetryable,
  type Bus,
  type BusMessage,
  type MessageOutcome,
  type Subscription,
} from '@patternmesh/bus';
import { AttributeKeys, pipelineMetrics, StageStats, withConsumerSpan } from '@patternmesh/telemetry';
import type { ConfigOf } from '@patternmesh/config';
import type { GrpcServiceRegistration } from './grpc';
import type { ServiceModule } from './host';
import type { Logger } from './logger';
import type { stageSettings } from './settings';

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
  /** Consume → process → produce → await the broker's receipt; resolving acks the input. */
  readonly process: (message: BusMessage) => Promise<void>;
}

/**
 * A pipeline stage's consuming side: a Key_Shared subscription (per-key order while replicas scale
 * out), bounded concurrency, retries with delay, a dead-letter topic with context after the limit,
 * and the stage's metrics and load figures. `drain()` stops intake and waits for in-flight work.
 *
 * It works in batches: it takes what the bus has ready (up to half the concurrency, so a second batch
 * is processed while the first one's receipts come back), processes every message of it at once —
 * each transforms and publishes, then all receipts are awaited together — and the bus acks the batch
 * together. Each message keeps its own outcome: a failed one is retried or dead-lettered alone.
 */
export class StageWorker {
  readonly stats: StageStats;
  private subscription: Subscription | undefined;
  private failure: Error | undefined;

  /** False once the subscription stopped on its own: the service turns not-ready and gets replaced. */
  get healthy(): boolean {
    return this.failure === undefined;
  }

  /** Metric attributes of this stage, built once (they go with every processed message). */
  private readonly attrs: Readonly<Record<string, string>>;

  constructor(private readonly options: StageWorkerOptions) {
    this.stats = new StageStats(options.stage);
    this.attrs = { [AttributeKeys.stage]: options.stage };
  }

  async start(): Promise<void> {
    const { bus, logger, stage } = this.options;
    const metrics = pipelineMetrics();
    const attrs = { [AttributeKeys.stage]: stage };
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
      (messages) => Promise.all(messages.map((message) => this.processOne(message))),
    );
  }

  /** One message of a batch, with its span, metrics and log line; its failure is its outcome alone. */
  private async processOne(message: BusMessage): Promise<MessageOutcome> {
    const { bus, logger, stage } = this.options;
    const metrics = pipelineMetrics();
    const attrs = this.attrs;
    const started = performance.now();
    this.stats.started();
    try {
      await withConsumerSpan(
        `${stage} process`,
        { system: bus.kind, topic: this.options.topic },
        message.properties,
        () => this.options.process(message),
      );
      this.stats.succeeded();
      metrics.stageProcessed.add(1, attrs);
      return OK;
    } catch (error) {
      this.stats.failedOnce();
      metrics.stageFailed.add(1, attrs);
      // The bus decides: retry later, or dead-letter (limit reached or not retryable; see onDeadLetter).
      const willRetry = isRetryable(error) && message.redeliveryCount + 1 < this.options.maxDeliveries;
      logger.warn(
        { err: error, stage, messageId: message.id, attempt: message.redeliveryCount + 1, willRetry },
        'processing failed',
      );
      return { ok: false, error };
    } finally {
      metrics.stageDuration.record((performance.now() - started) / 1000, attrs);
    }
  }

  async drain(): Promise<void> {
    await this.subscription?.drain();
    this.subscription = undefined;
  }
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
  readonly process: (message: BusMessage) => Promise<void>;
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
    process: spec.process,
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
