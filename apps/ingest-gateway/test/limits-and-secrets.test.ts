import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { EmbeddedBus } from '@patternmesh/bus';
import { pipelineTopics } from '@patternmesh/pattern';
import { IngestServiceClient } from '@patternmesh/proto';
import { createLogger, startHost, type RunningHost } from '@patternmesh/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createIngestGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

const KEY = 'sk-live-7f3a9c2e11';
let host: RunningHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function gateway(env: Record<string, string>, bus = new EmbeddedBus()) {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('test', { level: 'debug', destination });
  const config = loadGatewayConfig({ PATTERNMESH_API_KEYS: `${KEY}=acme`, ...env });
  host = await startHost({
    logger,
    modules: [createIngestGateway({ bus, logger, topics: pipelineTopics(), config })],
    httpPort: 0,
    grpcPort: 0,
  });
  return { base: `http://127.0.0.1:${host.httpPort}`, grpcPort: host.grpcPort, logs };
}

const post = (base: string, headers: Record<string, string>) =>
  fetch(`${base}/v1/patterns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ source: 'app.logs', payload: { message: 'hi' } }),
  });

describe('per-tenant rate limit', () => {
  it('answers 429 RATE_LIMITED with retry-after over REST, RESOURCE_EXHAUSTED over gRPC', async () => {
    const { base, grpcPort } = await gateway({ PATTERNMESH_TENANT_RATE_LIMIT: '1' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(base, { 'x-api-key': KEY })).status);
    expect(statuses.slice(0, 2)).toEqual([202, 202]); // the burst (twice the rate)
    expect(statuses.slice(2)).toEqual([429, 429]);
    const limited = await post(base, { 'x-api-key': KEY });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited.json()) as { error: { code: string; retryable: boolean } }).error).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
    });

    const client = new IngestServiceClient(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('x-api-key', KEY);
    const error = await new Promise<grpc.ServiceError>((resolve) =>
      client.publish(
        {
          pattern: {
            source: 'app.logs',
            contentType: '',
            payload: Buffer.from('{}'),
            attributes: {},
            idempotencyKey: '',
            entity: '',
          },
        },
        metadata,
        (e) => resolve(e!),
      ),
    );
    expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error.metadata.get('pm-error-code')).toEqual(['RATE_LIMITED']);
    expect(error.metadata.get('retry-after')[0]).toMatch(/^\d+$/);
    client.close();
  });
});

describe('secrets', () => {
  it('never writes an API key to the logs, whatever happens to the request', async () => {
    const failing = new EmbeddedBus();
    await failing.close(); // every publish fails: the gateway logs the failure
    const { base, logs } = await gateway({}, failing);
    expect((await post(base, { 'x-api-key': KEY })).status).toBe(503);
    expect((await post(base, { authorization: `Bearer ${KEY}` })).status).toBe(503);
    expect((await post(base, { 'x-api-key': `${KEY}-wrong` })).status).toBe(401);
    expect(logs.join('\n')).toContain('bus did not accept the pattern');
    expect(logs.join('\n')).not.toContain(KEY);
  });
});
