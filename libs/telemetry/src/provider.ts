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

const SDK_KEY = Symbol.for('patternmesh.telemetry.sdk');
type SdkHolder = { [SDK_KEY]?: { shutdown(): Promise<void> } };

/** Registers the SDK started by the bootstrap so shutdown can flush it. */
export function adoptSdk(sdk: { shutdown(): Promise<void> }): void {
  (globalThis as SdkHolder)[SDK_KEY] = sdk;
}

/**
 * Flushes and stops the telemetry SDK, if the bootstrap started one. Call it after a graceful stop and
 * before exiting: `process.exit` skips `beforeExit`, so buffered spans would otherwise be lost.
 */
export async function flushTelemetry(timeoutMs = 2_000): Promise<void> {
  const sdk = (globalThis as SdkHolder)[SDK_KEY];
  if (!sdk) return;
  await Promise.race([
    sdk.shutdown().catch(() => undefined),
    new Promise((r) => setTimeout(r, timeoutMs).unref()),
  ]);
}
