import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBroker, type BrokerHandle } from '@patternmesh/pulsar-tools';
import {
  createLogger,
  loadServicesConfig,
  startServices,
  type RunningServices,
} from '@patternmesh/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestGatewayService } from '../src/service';

/**
 * Durable ack on a real broker — one of its own, so freezing and killing it disturbs no other suite:
 * the gateway answers only once the broker has the pattern (a frozen broker holds the answer back),
 * and answers 503 BUS_UNAVAILABLE with retry-after once the broker is gone.
 */
let broker: BrokerHandle;
let gateway: RunningServices;
let base: string;
const dataDir = path.join(os.tmpdir(), `patternmesh-durable-ack-${process.pid}`);

beforeAll(async () => {
  broker = await ensureBroker({ dataDir, wipe: true, port: 0, webPort: 0, log: true });
  const config = loadServicesConfig([ingestGatewayService], {
    PATTERNMESH_BUS: 'pulsar',
    PULSAR_URL: broker.serviceUrl,
    PULSAR_ADMIN_URL: broker.adminUrl,
    PATTERNMESH_PULSAR_PROVISION: 'true',
    PATTERNMESH_API_KEYS: 'k=acme',
    PATTERNMESH_HTTP_PORT: '0',
    PATTERNMESH_GRPC_PORT: '0',
  });
  gateway = await startServices([ingestGatewayService], {
    config,
    logger: createLogger('test', { level: 'silent' }),
  });
  base = `http://127.0.0.1:${gateway.httpPort}`;
});

afterAll(async () => {
  try {
    process.kill(broker?.pid, 'SIGCONT');
  } catch {
    // not stopped, or gone
  }
  await gateway?.stop();
  await broker?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = (entity: string) =>
  fetch(`${base}/v1/patterns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: JSON.stringify({ source: 'app.logs', entity, payload: { message: 'hello' } }),
  });

describe('durable ack on a real broker', () => {
  it('holds the answer while the broker is frozen and gives it once the broker stored the pattern', async () => {
    expect((await post('warm-up')).status).toBe(202);
    process.kill(broker.pid, 'SIGSTOP');
    let answered = false;
    const response = post('frozen').then((r) => {
      answered = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(answered).toBe(false);
    process.kill(broker.pid, 'SIGCONT');
    expect((await response).status).toBe(202);
  });

  it(
    'answers 503 BUS_UNAVAILABLE with retry-after once the broker is gone',
    { timeout: 120_000 },
    async () => {
      await broker.kill9();
      const r = await post('broker-down');
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('1');
      const body = (await r.json()) as { error: { code: string; retryable: boolean } };
      expect(body.error).toMatchObject({ code: 'BUS_UNAVAILABLE', retryable: true });
    },
  );
});
