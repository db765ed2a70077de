// What the dashboard's classification panels read: decisions by category and priority, the score
// distribution and the drift of the mix, on /metrics as the Prometheus exporter serves it.
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { BusMessage } from '@patternmesh/bus';
import { DEFAULT_RULES, RuleClassifier } from '@patternmesh/classify';
import { decodePattern, encodePattern, pipelineTopics, priorityName } from '@patternmesh/pattern';
import { aPattern } from '@patternmesh/pattern/testing';
import { Classification, Priority } from '@patternmesh/proto';
import { prometheusExporter } from '@patternmesh/telemetry';
import { describe, expect, it } from 'vitest';
import { ClassifyStage } from '../src/classify-stage';
import { DecisionMetrics } from '../src/decision-metrics';

async function scrape(): Promise<string> {
  const { resourceMetrics } = await prometheusExporter().collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

function sample(text: string, name: string, ...labels: string[]): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('the classifier’s decision metrics', () => {
  it('counts each decision by its category and priority and records its score', async () => {
    const stage = new ClassifyStage(
      pipelineTopics(),
      new RuleClassifier([...DEFAULT_RULES]),
      new DecisionMetrics({ driftWindowMs: 60_000 }),
    );
    const message = { key: 'k', payload: encodePattern(aPattern()), properties: {} } as unknown as BusMessage;
    const before = await scrape();
    const [output] = stage.transform(message);
    const decided = decodePattern(output!.message.payload).classification!;
    const after = await scrape();
    const labels = [
      `patternmesh_category="${decided.category}"`,
      `patternmesh_priority="${priorityName(decided.priority)}"`,
    ];
    expect(sample(after, 'patternmesh_classify_decisions_total', ...labels)).toBe(
      sample(before, 'patternmesh_classify_decisions_total', ...labels) + 1,
    );
    expect(sample(after, 'patternmesh_classify_score_count')).toBe(
      sample(before, 'patternmesh_classify_score_count') + 1,
    );
  });

  it('publishes the drift of the category mix when what the classifier decides changes', async () => {
    let now = 0;
    const metrics = new DecisionMetrics({ driftWindowMs: 1000, now: () => now });
    const decide = (category: string, n: number) => {
      for (let i = 0; i < n; i++) {
        metrics.record(
          Classification.fromPartial({ category, priority: Priority.PRIORITY_MEDIUM, score: 0.5 }),
        );
      }
    };
    const drift = async () =>
      sample(await scrape(), 'patternmesh_classify_drift', 'patternmesh_drift_of="category"');
    for (let w = 0; w < 3; w++, now += 1000) {
      decide('intrusion', 400);
      decide('fraud', 100);
    }
    decide('intrusion', 1); // closes the third window: the mix held
    expect(await drift()).toBeLessThan(0.01);
    now += 1000;
    decide('fraud', 400);
    decide('intrusion', 100);
    now += 1000;
    decide('fraud', 1); // closes the shifted window
    expect(await drift()).toBeGreaterThan(0.25);
    // The priority mix did not move.
    expect(
      sample(await scrape(), 'patternmesh_classify_drift', 'patternmesh_drift_of="priority"'),
    ).toBeLessThan(0.01);
  });
});
