import type { Bus, BusMessage } from '@patternmesh/bus';
import type { Normalizer } from '@patternmesh/normalize';
import { decodePattern, extendPattern, MessageProps, type PipelineTopics } from '@patternmesh/pattern';
import type { Pattern } from '@patternmesh/proto';
import type { Logger } from '@patternmesh/service-kit';
import { AttributeKeys, forwardProperties, pipelineMetrics } from '@patternmesh/telemetry';

/**
 * raw → normalized. Input that cannot be normalized (undecodable envelope, unparseable payload, no
 * mapping) is not an error to retry: it goes to `quarantine` with its reason, visibly, and is acked.
 */
export class NormalizeStage {
  private readonly metrics = pipelineMetrics();

  constructor(
    private readonly bus: Bus,
    private readonly topics: PipelineTopics,
    readonly normalizer: Normalizer,
    private readonly logger: Logger,
  ) {}

  async process(message: BusMessage): Promise<void> {
    let pattern: Pattern;
    try {
      pattern = decodePattern(message.payload);
    } catch (error) {
      await this.quarantine(
        message,
        undefined,
        'ENVELOPE_UNDECODABLE',
        `not a Pattern envelope: ${(error as Error).message}`,
      );
      return;
    }
    const outcome = this.normalizer.normalize(pattern);
    if (!outcome.ok) {
      await this.quarantine(message, pattern, outcome.code, outcome.reason);
      return;
    }
    if (outcome.notes.length > 0)
      this.logger.debug({ patternId: pattern.id, notes: outcome.notes }, 'normalized with notes');
    await this.bus.publish(this.topics.normalized, {
      key: message.key,
      payload: extendPattern(message.payload, pattern, { normalized: outcome.pattern.normalized }),
      properties: forwardProperties(message.properties, { [MessageProps.stage]: 'normalize' }),
      eventTime: message.eventTime,
    });
  }

  private async quarantine(
    message: BusMessage,
    pattern: Pattern | undefined,
    code: string,
    reason: string,
  ): Promise<void> {
    // The reason stays out of the logs: parser messages can quote payload text. It travels with the
    // quarantined message instead.
    this.logger.info({ patternId: pattern?.id, code }, 'quarantined');
    await this.bus.publish(this.topics.quarantine, {
      key: message.key,
      payload: message.payload,
      properties: forwardProperties(message.properties, {
        [MessageProps.stage]: 'normalize',
        [MessageProps.errorCode]: code,
        [MessageProps.reason]: reason,
      }),
      eventTime: message.eventTime,
    });
    this.metrics.quarantined.add(1, { [AttributeKeys.stage]: 'normalize', [AttributeKeys.reason]: code });
  }
}
