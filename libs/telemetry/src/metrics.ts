import { metrics, type Counter, type Gauge, type Histogram } from '@opentelemetry/api';
import { MetricNames } from './names';
import { prometheusExporter } from './provider';

export interface PipelineMetrics {
  readonly ingestAccepted: Counter;
  readonly ingestRejected: Counter;
  readonly stageProcessed: Counter;
  readonly stageFailed: Counter;
  readonly stageDuration: Histogram;
  readonly stageBatchSize: Histogram;
  readonly quarantined: Counter;
  readonly deadLettered: Counter;
  readonly classifyDecisions: Counter;
  readonly classifyScore: Histogram;
  readonly classifyDrift: Gauge;
  readonly routed: Counter;
  readonly routeLatency: Histogram;
  readonly controlApplied: Counter;
  readonly controlRejected: Counter;
  readonly tailDisconnected: Counter;
  readonly autoscalerObservedRate: Gauge;
  readonly autoscalerForecast: Gauge;
  readonly autoscalerFloor: Gauge;
}

let instruments: PipelineMetrics | undefined;

/** The pipeline's instruments, created once per process. */
export function pipelineMetrics(): PipelineMetrics {
  if (instruments) return instruments;
  prometheusExporter(); // make sure a real provider is installed before instruments bind to it
  const meter = metrics.getMeter('patternmesh');
  instruments = {
    ingestAccepted: meter.createCounter(MetricNames.ingestAccepted, {
      description: 'Patterns durably accepted by the gateway',
    }),
    ingestRejected: meter.createCounter(MetricNames.ingestRejected, {
      description: 'Requests the gateway rejected, by error code',
    }),
    stageProcessed: meter.createCounter(MetricNames.stageProcessed, {
      description: 'Messages a stage finished',
    }),
    stageFailed: meter.createCounter(MetricNames.stageFailed, {
      description: 'Messages a stage failed to process (retried or dead-lettered)',
    }),
    stageDuration: meter.createHistogram(MetricNames.stageDuration, {
      description:
        'Time a stage spent on one batch of messages: from taking it to every output accepted by the bus',
      unit: 's',
      // Seconds, from 100 µs to 10 s: the SDK's default boundaries (0, 5, 10, … 10000) assume
      // milliseconds and would put every stage in the first bucket.
      advice: {
        explicitBucketBoundaries: [
          0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        ],
      },
    }),
    stageBatchSize: meter.createHistogram(MetricNames.stageBatchSize, {
      description: 'Messages a stage took in one batch (what the bus had ready, up to half the concurrency)',
      advice: { explicitBucketBoundaries: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] },
    }),
    quarantined: meter.createCounter(MetricNames.quarantined, {
      description: 'Patterns sent to quarantine, by reason',
    }),
    deadLettered: meter.createCounter(MetricNames.deadLettered, {
      description: 'Messages sent to a dead-letter topic',
    }),
    classifyDecisions: meter.createCounter(MetricNames.classifyDecisions, {
      description: 'Patterns the classifier decided, by category and priority',
    }),
    classifyScore: meter.createHistogram(MetricNames.classifyScore, {
      description: "The classifier's score of each pattern, in [0, 1]",
      advice: { explicitBucketBoundaries: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] },
    }),
    classifyDrift: meter.createGauge(MetricNames.classifyDrift, {
      description:
        "Population stability index of the classifier's last window of decisions against its recent mix, by output (category, priority): < 0.1 stable, > 0.25 a significant shift",
    }),
    routed: meter.createCounter(MetricNames.routed, { description: 'Patterns routed, by lane' }),
    routeLatency: meter.createHistogram(MetricNames.routeLatency, {
      description:
        "Time from the gateway's acceptance (the pattern's received_at) to every destination of its lane accepting it, by lane (wall clocks of two pods)",
      unit: 's',
      advice: {
        explicitBucketBoundaries: [
          0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
        ],
      },
    }),
    controlApplied: meter.createCounter(MetricNames.controlApplied, {
      description: 'Live configuration documents put in force, by kind and source',
    }),
    controlRejected: meter.createCounter(MetricNames.controlRejected, {
      description:
        'Live configuration documents refused by validation (the previous one stays), by kind and source',
    }),
    tailDisconnected: meter.createCounter(MetricNames.tailDisconnected, {
      description: 'Tail clients the server cut off, by reason (slow_consumer: too many unread bytes)',
    }),
    autoscalerObservedRate: meter.createGauge(MetricNames.autoscalerObservedRate, {
      description: "A stage's input rate as the autoscaler last observed it, events/s, by stage",
    }),
    autoscalerForecast: meter.createGauge(MetricNames.autoscalerForecast, {
      description:
        'Upper bound of the forecast peak over the lead time, events/s, by stage (what the floor is planned for)',
    }),
    autoscalerFloor: meter.createGauge(MetricNames.autoscalerFloor, {
      description:
        "The floor (minReplicas) the autoscaler planned for a stage's HPA, by stage (in dry-run too)",
    }),
  };
  return instruments;
}
