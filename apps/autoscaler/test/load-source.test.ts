// The autoscaler asks every replica behind a headless Service, not one: targets are re-resolved each
// round, and each address gets its own TelemetryService call. Two real gRPC servers on two loopback
// addresses stand in for two pods; the resolver is what DNS would answer for the headless name.
import * as grpc from '@grpc/grpc-js';
import { TelemetryServiceService, type TelemetryServiceServer } from '@patternmesh/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandTargets, grpcLoadSource } from '../src/load-source';

describe('expandTargets', () => {
  it('expands a name to one target per address, keeps IP literals and names that do not resolve', async () => {
    const dns: Record<string, string[]> = {
      'pm-normalizer-headless.pm.svc.cluster.local': ['10.1.0.4', '10.1.0.7'],
      'v6-headless': ['fd00::5'],
    };
    const resolve = async (host: string) => dns[host] ?? [];
    expect(
      await expandTargets(
        [
          'pm-normalizer-headless.pm.svc.cluster.local:7481',
          'v6-headless:7481',
          '10.9.9.9:7481',
          '[::1]:7481',
          'gone:7481',
        ],
        resolve,
      ),
    ).toEqual([
      '10.1.0.4:7481',
      '10.1.0.7:7481',
      '[fd00::5]:7481',
      '10.9.9.9:7481',
      '[::1]:7481',
      'gone:7481',
    ]);
  });
});

describe('grpcLoadSource', () => {
  const servers: grpc.Server[] = [];
  let port = 0;

  async function serve(host: string, inRate: number): Promise<void> {
    const server = new grpc.Server();
    const impl: TelemetryServiceServer = {
      getLoad: (_call, callback) =>
        callback(null, {
          stages: [
            { stage: 'normalize', inRate, outRate: inRate, inFlight: 1, processedTotal: 0, failedTotal: 0 },
          ],
        } as never),
    };
    server.addService(TelemetryServiceService, impl);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    servers.push(server);
  }

  beforeAll(async () => {
    await serve('127.0.0.1', 100);
    await serve('127.0.0.2', 250);
  });
  afterAll(() => servers.forEach((s) => s.forceShutdown()));

  it('sums the load of every replica the name resolves to, and follows replicas as they go', async () => {
    let replicas = ['127.0.0.1', '127.0.0.2'];
    const polled = grpcLoadSource([`stage-headless:${port}`], 2000, async () => replicas);
    try {
      expect(await polled.source()).toEqual([{ stage: 'normalize', inRate: 350, outRate: 350, inFlight: 2 }]);
      replicas = ['127.0.0.2'];
      expect(await polled.source()).toEqual([{ stage: 'normalize', inRate: 250, outRate: 250, inFlight: 1 }]);
      expect(polled.replicas()).toEqual([`127.0.0.2:${port}`]);
    } finally {
      polled.close();
    }
  });
});
