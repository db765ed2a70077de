import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

// One exporter per process, found through a registered symbol so the --import bootstrap and the
// app code (loaded later, possibly through another module instance) share it.
const KEY = Symbol.for('patternmesh.telemetry.prometheus');
type Holder = { [KEY]?: PrometheusExporter };

/**
 * The Prometheus exporter that serves `/metrics`. The bootstrap (`./register`) creates it before app
 * code loads; when something runs without the bootstrap (unit tests, scripts), it is created here on
 * first use so metrics still work rather than silently becoming no-ops.
 */
export function prometheusExporter(): PrometheusExporter {
  const holder = globalThis as Holder;
  let exporter = holder[KEY];
  if (!exporter) {
    exporter = new PrometheusExporter({ preventServerStart: true });
    holder[KEY] = exporter;
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
  }
  return exporter;
}

/** Registers an exporter made by the SDK bootstrap, so `prometheusExporter()` returns that one. */
export function adoptPrometheusExporter(exporter: PrometheusExporter): void {
  (globalThis as Holder)[KEY] = exporter;
}
