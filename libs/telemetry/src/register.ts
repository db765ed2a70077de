/**
 * Telemetry bootstrap, loaded with `node --import` (or `tsx --import`) before any app code, so
 * instrumentation patches modules before they are first required.
 * - Metrics: always, served on each service's `/metrics` (Prometheus).
 * - Traces: exported when the standard OpenTelemetry variables ask for it (OTEL_TRACES_EXPORTER or
 *   OTEL_EXPORTER_OTLP_ENDPOINT); otherwise spans are still created, so trace context travels on
 *   every message (`traceparent`) and joins up once an exporter is configured.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { adoptPrometheusExporter, adoptSdk } from './provider';

/** Keeps spans in-process only: context propagation without an export destination. */
const discardSpans: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

const exporter = new PrometheusExporter({ preventServerStart: true });
adoptPrometheusExporter(exporter);

const tracesConfigured = Boolean(process.env.OTEL_TRACES_EXPORTER || process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
const sdk = new NodeSDK({
  metricReaders: [exporter],
  ...(tracesConfigured ? {} : { spanProcessors: [discardSpans] }),
});
sdk.start();
adoptSdk(sdk);

// A natural exit (no process.exit) flushes here; graceful stops call flushTelemetry() themselves.
process.once('beforeExit', () => {
  void sdk.shutdown();
});
