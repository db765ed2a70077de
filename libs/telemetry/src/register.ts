/**
 * Telemetry bootstrap, loaded with `node --import` (or `tsx --import`) before any app code, so
 * instrumentation patches modules before they are first required.
 * - Metrics: always, served on each service's `/metrics` (Prometheus).
 * - Traces: a share of patterns is recorded (PATTERNMESH_TRACE_SAMPLE_RATIO, default 1 %; see
 *   `./sampling`), exported when the standard OpenTelemetry variables ask for it (OTEL_TRACES_EXPORTER
 *   or OTEL_EXPORTER_OTLP_ENDPOINT). Every pattern's messages carry trace context (`traceparent`)
 *   whether recorded or not, so traces join up across services and clients.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { adoptPrometheusExporter, adoptSdk } from './provider';
import { traceSampler } from './sampling';
import { telemetrySettings } from './settings';

/** Keeps spans in-process only: context propagation without an export destination. */
const discardSpans: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

const exporter = new PrometheusExporter({ preventServerStart: true });
adoptPrometheusExporter(exporter);

// An invalid ratio falls back to the default here: the service's own config load reports it, with
// every other problem, and exits — the bootstrap is not the place to fail.
const ratioSetting = telemetrySettings.PATTERNMESH_TRACE_SAMPLE_RATIO;
const parsedRatio = ratioSetting.parse(process.env.PATTERNMESH_TRACE_SAMPLE_RATIO);
const ratio = parsedRatio.ok ? parsedRatio.value : Number(ratioSetting.defaultText);

const tracesConfigured = Boolean(process.env.OTEL_TRACES_EXPORTER || process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
const sdk = new NodeSDK({
  metricReaders: [exporter],
  // The standard OTEL_TRACES_SAMPLER, when an operator sets it, is honoured by the SDK itself.
  ...(process.env.OTEL_TRACES_SAMPLER ? {} : { sampler: traceSampler(ratio) }),
  ...(tracesConfigured ? {} : { spanProcessors: [discardSpans] }),
});
sdk.start();
adoptSdk(sdk);

// A natural exit (no process.exit) flushes here; graceful stops call flushTelemetry() themselves.
process.once('beforeExit', () => {
  void sdk.shutdown();
});
