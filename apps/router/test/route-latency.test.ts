// The latency a lane's subscribers see, as the router measures it: from the gateway's acceptance (the
// pattern's received_at) to every destination of the lane accepting it, per lane, on /metrics.
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { BusMessage } from '@patternmesh/bus';
import { encodePattern } from '@patternmesh/pattern';
import { aPattern } from '@patternmesh/pattern/testing';
import { Classification, Priority } from '@patternmesh/proto';
import { DEFAULT_ROUTE_TABLE, Router } from '@patternmesh/route';
import { prometheusExporter } from '@patternmesh/telemetry';
import { describe, expect, it } from 'vitest';
import { RouteStage } from '../src/route-stage';

async function scrape(): Promise<string> {
  const { resourceMetrics } = await prometheusExporter().collect();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

function sample(text: string, name: string, lane: string): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && l.includes(`patternmesh_lane="${lane}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('patternmesh.route.latency', () => {
  it('records acceptance-to-lane time per lane, once the lane has the pattern', async () => {
    const stage = new RouteStage(() => new Router(DEFAULT_ROUTE_TABLE));
    const critical = aPattern({
      receivedAt: new Date(Date.now() - 250),
      classification: Classification.fromPartial({ category: 'fraud', priority: Priority.PRIORITY_CRITICAL }),
    });
    const message = { key: 'k', payload: encodePattern(critical), properties: {} } as unknown as BusMessage;
    const before = await scrape();
    const outputs = stage.transform(message);
    // Not published yet: nothing measured.
    expect(sample(await scrape(), 'patternmesh_route_latency_count', 'critical')).toBe(
      sample(before, 'patternmesh_route_latency_count', 'critical'),
    );
    stage.published(outputs);
    const after = await scrape();
    expect(sample(after, 'patternmesh_route_latency_count', 'critical')).toBe(
      sample(before, 'patternmesh_route_latency_count', 'critical') + 1,
    );
    const seconds =
      sample(after, 'patternmesh_route_latency_sum', 'critical') -
      sample(before, 'patternmesh_route_latency_sum', 'critical');
    expect(seconds).toBeGreaterThanOrEqual(0.25);
    expect(seconds).toBeLessThan(60);
  });
});
