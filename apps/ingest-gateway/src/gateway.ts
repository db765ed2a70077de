import type { Bus } from '@patternmesh/bus';
import { asPatternmeshError, isPatternmeshError, PatternmeshError, toPublicError } from '@patternmesh/errors';
import type { ApiKeyRegistry, TenantRateLimiter } from '@patternmesh/ingest';
import {
  buildPattern,
  DEFAULT_LIMITS,
  IdempotencyCache,
  validatePatternInput,
  type IngestLimits,
} from '@patternmesh/ingest';
import { encodePattern, messageKey, MessageProps, type PipelineTopics } from '@patternmesh/pattern';
import type { PatternInput, PublishResult } from '@patternmesh/proto';
import type { Logger } from '@patternmesh/service-kit';
import {
  AttributeKeys,
  attributesOf,
  endSpan,
  pipelineMetrics,
  StageStats,
  startProducerSpan,
} from '@patternmesh/telemetry';

export interface GatewayCoreOptions {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly topics: PipelineTopics;
  readonly apiKeys: ApiKeyRegistry;
  readonly limits?: IngestLimits;
  readonly maxBatchItems: number;
  readonly rateLimiter?: TenantRateLimiter;
}

/**
 * What both transports share: authenticate, validate, build the envelope, publish to `raw`, and
 * answer with the id only once the bus has accepted the pattern. REST and gRPC stay thin adapters.
 */
export class GatewayCore {
  readonly stats = new StageStats('ingest');
  private readonly idempotency = new IdempotencyCache();
  private readonly metrics = pipelineMetrics();

  constructor(private readonly options: GatewayCoreOptions) {}

  authenticate(apiKey: string | undefined, transport: string): string {
    try {
      return this.options.apiKeys.authenticate(apiKey);
    } catch (error) {
      this.rejected(error, transport);
      throw error;
    }
  }

  /** Validates and publishes one pattern; resolves with its id (the first id for a repeated idempotency key). */
  async publish(input: PatternInput, tenant: string, transport: string): Promise<string> {
    this.stats.started();
    try {
      this.options.rateLimiter?.take(tenant);
      validatePatternInput(input, this.options.limits ?? DEFAULT_LIMITS);
      const pattern = buildPattern(input, tenant);
      const send = () => this.send(pattern);
      const id = input.idempotencyKey
        ? (await this.idempotency.once(tenant, input.idempotencyKey, send)).id
        : await send();
      this.stats.succeeded();
      this.metrics.ingestAccepted.add(1, attributesOf(AttributeKeys.transport, transport));
      return id;
    } catch (error) {
      this.stats.failedOnce();
      this.rejected(error, transport);
      throw error;
    }
  }

  /** Publishes each item on its own: one bad item does not fail the others. */
  async publishBatch(
    inputs: readonly PatternInput[],
    tenant: string,
    transport: string,
  ): Promise<PublishResult[]> {
    this.checkBatchSize(inputs.length);
    return Promise.all(inputs.map((input) => this.settle(() => this.publish(input, tenant, transport))));
  }

  checkBatchSize(items: number): void {
    if (items > this.options.maxBatchItems) {
      throw new PatternmeshError('BATCH_TOO_LARGE', {
        message: `The batch has ${items} items; the limit is ${this.options.maxBatchItems}.`,
      });
    }
  }

  /** One item's outcome as a result instead of a throw, with the same public text as a whole-request error. */
  async settle(publish: () => Promise<string>): Promise<PublishResult> {
    try {
      return { id: await publish() };
    } catch (error) {
      const { code, message, retryable } = toPublicError(asPatternmeshError(error));
      return { error: { code, message, retryable } };
    }
  }

  private async send(pattern: ReturnType<typeof buildPattern>): Promise<string> {
    const topic = this.options.topics.raw;
    const properties: Record<string, string> = {
      [MessageProps.patternId]: pattern.id,
      [MessageProps.tenant]: pattern.tenant,
    };
    const span = startProducerSpan('ingest publish', { system: this.options.bus.kind, topic }, properties);
    try {
      await this.options.bus.publish(topic, {
        key: messageKey(pattern),
        payload: encodePattern(pattern),
        properties,
        eventTime: pattern.eventTime?.getTime(),
      });
      endSpan(span);
      return pattern.id;
    } catch (error) {
      endSpan(span, error);
      this.options.logger.error({ err: error, patternId: pattern.id }, 'bus did not accept the pattern');
      throw new PatternmeshError('BUS_UNAVAILABLE', { cause: error, retryAfterSeconds: 1 });
    }
  }

  private rejected(error: unknown, transport: string): void {
    const code = isPatternmeshError(error) ? error.code : 'INTERNAL';
    this.metrics.ingestRejected.add(1, {
      [AttributeKeys.errorCode]: code,
      [AttributeKeys.transport]: transport,
    });
  }
}
