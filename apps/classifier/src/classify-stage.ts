import type { BusMessage } from '@patternmesh/bus';
import type { RuleClassifier } from '@patternmesh/classify';
import { decodePattern, extendPattern, MessageProps, type PipelineTopics } from '@patternmesh/pattern';
import type { StageOutput } from '@patternmesh/service-kit';
import { forwardProperties } from '@patternmesh/telemetry';
import type { DecisionMetrics } from './decision-metrics';

const STAGE_PROPS = { [MessageProps.stage]: 'classify' };

/** normalized → classified: category, priority, score, labels and the rules that decided them. */
export class ClassifyStage {
  constructor(
    private readonly topics: PipelineTopics,
    private readonly classifier: RuleClassifier,
    private readonly decisions?: DecisionMetrics,
  ) {}

  transform(message: BusMessage): StageOutput[] {
    // An undecodable message here is a bug upstream, not bad input: failing it sends it through
    // retries to the dead-letter topic with the reason, where it is visible.
    const pattern = decodePattern(message.payload);
    const classification = this.classifier.classify(pattern);
    this.decisions?.record(classification);
    return [
      {
        topic: this.topics.classified,
        message: {
          key: message.key,
          payload: extendPattern(message.payload, pattern, { classification }),
          properties: forwardProperties(message.properties, STAGE_PROPS),
          eventTime: message.eventTime,
        },
      },
    ];
  }
}
