import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { describe, expect, it } from 'vitest';
import { startHost } from './host';
import { createLogger } from './logger';

describe('startHost', () => {
  it('is not ready while a module reports its work stopped, and stops every module even if one fails', async () => {
    let consuming = true;
    const drained: string[] = [];
    let busClosed = false;
    const host = await startHost({
      logger: createLogger('test', { level: 'silent' }),
      httpPort: 0,
      grpcPort: 0,
      modules: [
        {
          name: 'stage-a',
          ready: () => consuming,
          start: async () => undefined,
          drain: async () => void drained.push('a'),
        },
        {
          name: 'stage-b',
          start: async () => undefined,
          drain: async () => {
            throw new Error('drain blew up');
          },
        },
        { name: 'stage-c', start: async () => undefined, drain: async () => void drained.push('c') },
      ],
      onStopped: async () => {
        busClosed = true;
      },
    });
    const readyz = () => fetch(`http://127.0.0.1:${host.httpPort}/readyz`);
    expect((await readyz()).status).toBe(200);
    consuming = false;
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(((await down.json()) as { failing: string[] }).failing).toEqual(['stage-a']);
    await host.stop();
    expect(drained).toEqual(['a', 'c']);
    expect(busClosed).toBe(true);
  });
});

describe('graceful stop with a shutdown delay', () => {
  it('answers not-ready while it still listens, before closing', async () => {
    const host = await startHost({
      logger: createLogger('test', { level: 'silent' }),
      httpPort: 0,
      grpcPort: 0,
      shutdownDelayMs: 300,
      modules: [],
    });
    const stopping = host.stop();
    const during = await fetch(`http://127.0.0.1:${host.httpPort}/readyz`);
    expect(during.status).toBe(503);
    expect(((await during.json()) as { failing: string[] }).failing).toEqual(['shutting-down']);
    await stopping;
    await expect(fetch(`http://127.0.0.1:${host.httpPort}/readyz`)).rejects.toThrow();
  });
});

describe('gRPC health', () => {
  it('follows readiness: a module whose work stalls turns the server NOT_SERVING without a /readyz call', async () => {
    let consuming = true;
    const host = await startHost({
      logger: createLogger('test', { level: 'silent' }),
      httpPort: 0,
      grpcPort: 0,
      modules: [
        { name: 'stage', ready: () => consuming, start: async () => undefined, drain: async () => undefined },
      ],
    });
    const definition = protoLoader.loadSync(healthProtoPath, { enums: String });
    const { grpc: pkg } = grpc.loadPackageDefinition(definition) as any;
    const health = new pkg.health.v1.Health(`127.0.0.1:${host.grpcPort}`, grpc.credentials.createInsecure());
    const check = () =>
      new Promise<string>((resolve, reject) =>
        health.check({ service: '' }, (error: Error | null, response: { status: string }) =>
          error ? reject(error) : resolve(response.status),
        ),
      );
    const until = async (status: string): Promise<void> => {
      for (let i = 0; i < 50 && (await check()) !== status; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await check()).toBe(status);
    };
    try {
      await until('SERVING');
      consuming = false;
      await until('NOT_SERVING');
      consuming = true;
      await until('SERVING');
    } finally {
      health.close();
      await host.stop();
    }
  });
});
