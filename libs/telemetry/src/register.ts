/**
 * Telemetry bootstrap, loaded with `node --import` (or `tsx --import`) before any app code, so
 * instrumentation patches modules before they are first required. Traces go to OTLP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (standard OpenTelemetry env); metrics are always served on
 * each service's `/metrics`.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { adoptPrometheusExporter } from './provider';

const exporter = new PrometheusExporter({ preventServerStart: true });
adoptPrometheusExporter(exporter);

const sdk = new NodeSDK({ metricReaders: [exporter] });
sdk.start();

process.once('beforeExit', () => {
  void sdk.shutdown();
});
