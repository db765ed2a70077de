import type { BusMessage } from '@patternmesh/bus';
import type { Normalizer } from '@patternmesh/normalize';
import { decodePattern, extendPattern, MessageProps, type PipelineTopics } from '@patternmesh/pattern';
import type { Pattern } from '@patternmesh/proto';
import type { Logger, StageOutput } from '@patternmesh/service-kit';
import { AttributeKeys, forwardProperties, pipelineMetrics } from '@patternmesh/telemetry';

const STAGE_PROPS = { [MessageProps.stage]: 'normalize' };

/**
 * raw → normalized. Input that cannot be normalized (undecodable envelope, unparseable payload, no
 * mapping) is not an error to retry: it goes to `quarantine` with its reason, visibly, and is acked.
 */
export class NormalizeStage {
  private readonly metrics = pipelineMetrics();

  constructor(
    private readonly topics: PipelineTopics,
    readonly normalizer: Normalizer,
    private readonly logger: Logger,
  ) {}

  transform(message: BusMessage): StageOutput[] {
    let pattern: Pattern;
    try {
      pattern = decodePattern(message.payload);
    } catch (error) {
      return [
        this.quarantine(
          message,
          undefined,
          'ENVELOPE_UNDECODABLE',
          `not a Pattern envelope: ${(error as Error).message}`,
        ),
      ];
    }
    const outcome = this.normalizer.normalize(pattern);
    if (!outcome.ok) return [this.quarantine(message, pattern, outcome.code, outcome.reason)];
    if (outcome.notes.length > 0)
      this.logger.debug({ patternId: pattern.id, notes: outcome.notes }, 'normalized with notes');
    return [
      {
        topic: this.topics.normalized,
        message: {
          key: message.key,
          payload: extendPattern(message.payload, pattern, { normalized: outcome.pattern.normalized }),
          properties: forwardProperties(message.properties, STAGE_PROPS),
          eventTime: message.eventTime,
        },
      },
    ];
  }

  private quarantine(
    message: BusMessage,
    pattern: Pattern | undefined,
    code: string,
    reason: string,
  ): StageOutput {
    // The reason stays out of the logs: parser messages can quote payload text. It travels with the
    // quarantined message instead.
    this.logger.info({ patternId: pattern?.id, code }, 'quarantined');
    this.metrics.quarantined.add(1, { [AttributeKeys.stage]: 'normalize', [AttributeKeys.reason]: code });
    return {
      topic: this.topics.quarantine,
      message: {
        key: message.key,
        payload: message.payload,
        properties: forwardProperties(message.properties, {
          [MessageProps.stage]: 'normalize',
          [MessageProps.errorCode]: code,
          [MessageProps.reason]: reason,
        }),
        eventTime: message.eventTime,
      },
    };
  }
}
