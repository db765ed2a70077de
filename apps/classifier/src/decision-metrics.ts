import { DistributionDrift } from '@patternmesh/classify';
import { priorityName } from '@patternmesh/pattern';
import type { Classification } from '@patternmesh/proto';
import { AttributeKeys, attributesOf, pipelineMetrics } from '@patternmesh/telemetry';

type Attributes = ReturnType<typeof attributesOf>;

export interface DecisionMetricsOptions {
  /** Window of the drift figures, ms. */
  readonly driftWindowMs: number;
  readonly now?: () => number;
}

/**
 * What the classifier decides, as metrics: decisions by category and priority, the score distribution,
 * and the drift (PSI) of the category and priority mixes window by window. The dashboard's classification
 * panels read these; they need no labels, only the decisions.
 */
export class DecisionMetrics {
  private readonly metrics = pipelineMetrics();
  private readonly now: () => number;
  private readonly byCategory: DistributionDrift;
  private readonly byPriority: DistributionDrift;
  /** One attribute object per category × priority seen (categories come from the rules: a bounded set). */
  private readonly decisionAttributes = new Map<string, Attributes>();

  constructor(options: DecisionMetricsOptions) {
    this.now = options.now ?? Date.now;
    this.byCategory = new DistributionDrift({ windowMs: options.driftWindowMs });
    this.byPriority = new DistributionDrift({ windowMs: options.driftWindowMs });
  }

  record(classification: Classification): void {
    const priority = priorityName(classification.priority);
    const key = `${classification.category}\0${priority}`;
    let attributes = this.decisionAttributes.get(key);
    if (!attributes) {
      attributes = Object.freeze({
        [AttributeKeys.category]: classification.category,
        [AttributeKeys.priority]: priority,
      });
      this.decisionAttributes.set(key, attributes);
    }
    this.metrics.classifyDecisions.add(1, attributes);
    this.metrics.classifyScore.record(classification.score);
    const at = this.now();
    const categoryPsi = this.byCategory.observe(classification.category, at);
    if (categoryPsi !== undefined) {
      this.metrics.classifyDrift.record(categoryPsi, attributesOf(AttributeKeys.driftOf, 'category'));
    }
    const priorityPsi = this.byPriority.observe(priority, at);
    if (priorityPsi !== undefined) {
      this.metrics.classifyDrift.record(priorityPsi, attributesOf(AttributeKeys.driftOf, 'priority'));
    }
  }
}
