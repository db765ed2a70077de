import type { Bus, BusMessage } from '@patternmesh/bus';
import type { RuleClassifier } from '@patternmesh/classify';
import { decodePattern, extendPattern, MessageProps, type PipelineTopics } from '@patternmesh/pattern';
import { forwardProperties } from '@patternmesh/telemetry';

/** normalized → classified: category, priority, score, labels and the rules that decided them. */
export class ClassifyStage {
  constructor(
    private readonly bus: Bus,
    private readonly topics: PipelineTopics,
    private readonly classifier: RuleClassifier,
  ) {}

  async process(message: BusMessage): Promise<void> {
    // An undecodable message here is a bug upstream, not bad input: failing it sends it through
    // retries to the dead-letter topic with the reason, where it is visible.
    const pattern = decodePattern(message.payload);
    const classification = this.classifier.classify(pattern);
    await this.bus.publish(this.topics.classified, {
      key: message.key,
      payload: extendPattern(message.payload, pattern, { classification }),
      properties: forwardProperties(message.properties, { [MessageProps.stage]: 'classify' }),
      eventTime: message.eventTime,
    });
  }
}
