// The Grafana dashboards query only what the services export. The exported names come from the services'
// own instruments (pipelineMetrics), recorded once each with every attribute key, collected and written
// by the same Prometheus exporter and serializer that serve /metrics: a renamed metric or label, or a
// panel written against a metric nobody emits, fails here instead of showing an empty panel.
import fs from 'node:fs';
import path from 'node:path';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { LANE_NAMES } from '@patternmesh/pattern';
import { AttributeKeys, pipelineMetrics, prometheusExporter } from '@patternmesh/telemetry';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './dockerfile';

const dashboardsDir = path.join(repoRoot, 'deploy/grafana');
/** Metrics from outside Patternmesh that a dashboard may use: kube-state-metrics' HPA series. */
const EXTERNAL_METRICS = new Set([
  'kube_horizontalpodautoscaler_status_current_replicas',
  'kube_horizontalpodautoscaler_spec_min_replicas',
  'kube_horizontalpodautoscaler_spec_max_replicas',
]);
/** Labels Prometheus adds when it scrapes (target labels) or a histogram has. */
const SCRAPE_LABELS = new Set(['namespace', 'pod', 'job', 'instance', 'le']);

interface Panel {
  type: string;
  id: number;
  title: string;
  targets?: { expr: string }[];
}

const dashboards = fs
  .readdirSync(dashboardsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    json: JSON.parse(fs.readFileSync(path.join(dashboardsDir, f), 'utf8')) as {
      uid: string;
      panels: Panel[];
    },
  }));

const exported = { metrics: new Set<string>(), labels: new Set<string>() };

beforeAll(async () => {
  const m = pipelineMetrics();
  const attributes = Object.fromEntries(Object.values(AttributeKeys).map((k) => [k, 'x']));
  for (const instrument of Object.values(m)) {
    if ('add' in instrument) instrument.add(1, attributes);
    else instrument.record(1, attributes);
  }
  const { resourceMetrics } = await prometheusExporter().collect();
  const text = new PrometheusSerializer().serialize(resourceMetrics);
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s/.exec(line);
    if (!sample) continue;
    exported.metrics.add(sample[1]!);
    for (const label of (sample[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g))
      exported.labels.add(label[1]!);
  }
});

describe.each(dashboards)('dashboard $file', ({ json }) => {
  const queries = json.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
  );

  it('has a uid, unique panel ids and a query in every graph', () => {
    expect(json.uid).toMatch(/^[a-z0-9-]+$/);
    expect(new Set(json.panels.map((p) => p.id)).size).toBe(json.panels.length);
    for (const panel of json.panels.filter((p) => p.type !== 'row'))
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
  });

  it('queries only metrics the services export (or kube-state-metrics’ HPA series)', () => {
    expect(exported.metrics).toContain('patternmesh_stage_processed_total');
    for (const { panel, expr } of queries) {
      for (const [, name] of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) {
        if (EXTERNAL_METRICS.has(name!)) continue;
        expect([...exported.metrics], `${panel}: ${name}`).toContain(name);
      }
    }
  });

  it('groups and filters Patternmesh metrics only by labels they carry', () => {
    for (const { panel, expr } of queries.filter((q) => q.expr.includes('patternmesh_'))) {
      const grouped = [...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) =>
        m[1]!.split(',').map((l) => l.trim()),
      );
      const filtered = [...expr.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)=~?"/g)].map((m) => m[1]!);
      for (const label of [...grouped, ...filtered]) {
        if (SCRAPE_LABELS.has(label) || label === 'horizontalpodautoscaler') continue;
        expect([...exported.labels], `${panel}: label ${label}`).toContain(label);
      }
      for (const [, lane] of expr.matchAll(/patternmesh_lane="([^"]*)"/g)) expect(LANE_NAMES).toContain(lane);
    }
  });
});
