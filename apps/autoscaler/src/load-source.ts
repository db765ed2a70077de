import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { StageRate } from '@patternmesh/forecast';
import { TelemetryServiceClient, type GetLoadResponse } from '@patternmesh/proto';

/** Where the autoscaler reads current load from. */
export type LoadSource = () => Promise<StageRate[]>;

/** Every address a host name stands for. */
export type ResolveHost = (host: string) => Promise<string[]>;

const resolveWithDns: ResolveHost = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * `host:port` targets expanded to one per address: a headless Service's name stands for every ready pod,
 * and each must be asked, not whichever one a ClusterIP would pick. A name that does not resolve stays as
 * it is (that round's call to it fails and is left out).
 */
export async function expandTargets(
  targets: readonly string[],
  resolve: ResolveHost = resolveWithDns,
): Promise<string[]> {
  const out = new Set<string>();
  for (const target of targets) {
    const match = /^(?:\[(.+)\]|([^:]+)):(\d+)$/.exec(target);
    const host = match?.[1] ?? match?.[2];
    if (!match || !host || isIP(host)) {
      out.add(target);
      continue;
    }
    const addresses = await resolve(host).catch(() => [] as string[]);
    if (addresses.length === 0) out.add(target);
    for (const address of addresses) out.add(`${isIP(address) === 6 ? `[${address}]` : address}:${match[3]}`);
  }
  return [...out];
}

/**
 * Pulls TelemetryService.GetLoad from every replica behind each target (re-resolved every round, so
 * replicas that come and go are followed), with a deadline per call, and sums the figures per stage
 * across replicas. A replica that does not answer is left out of this round, never fatal.
 */
export function grpcLoadSource(
  targets: readonly string[],
  deadlineMs = 2_000,
  resolve: ResolveHost = resolveWithDns,
): { source: LoadSource; close(): void; replicas(): string[] } {
  const clients = new Map<string, TelemetryServiceClient>();
  const source: LoadSource = async () => {
    const addresses = await expandTargets(targets, resolve);
    for (const [address, client] of clients) {
      if (!addresses.includes(address)) {
        client.close();
        clients.delete(address);
      }
    }
    for (const address of addresses) {
      if (!clients.has(address))
        clients.set(address, new TelemetryServiceClient(address, grpc.credentials.createInsecure()));
    }
    const answers = await Promise.allSettled(
      [...clients.values()].map(
        (client) =>
          new Promise<GetLoadResponse>((resolve, reject) =>
            client.getLoad(
              {},
              new grpc.Metadata(),
              { deadline: Date.now() + deadlineMs },
              (error, response) => (error ? reject(error) : resolve(response)),
            ),
          ),
      ),
    );
    const byStage = new Map<string, { stage: string; inRate: number; outRate: number; inFlight: number }>();
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue;
      for (const s of answer.value.stages) {
        const sum = byStage.get(s.stage) ?? { stage: s.stage, inRate: 0, outRate: 0, inFlight: 0 };
        sum.inRate += s.inRate;
        sum.outRate += s.outRate;
        sum.inFlight += s.inFlight;
        byStage.set(s.stage, sum);
      }
    }
    return [...byStage.values()];
  };
  return { source, close: () => clients.forEach((c) => c.close()), replicas: () => [...clients.keys()] };
}
