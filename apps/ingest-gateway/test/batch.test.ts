import * as grpc from '@grpc/grpc-js';
import { EmbeddedBus } from '@patternmesh/bus';
import { decodePattern, pipelineTopics } from '@patternmesh/pattern';
import { IngestServiceClient, type PatternInput, type PublishBatchResponse } from '@patternmesh/proto';
import { createLogger, startHost, type RunningHost } from '@patternmesh/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

let host: RunningHost;
let base: string;
const bus = new EmbeddedBus();
const raw: string[] = [];
beforeAll(async () => {
  const logger = createLogger('test', { level: 'silent' });
  const config = loadGatewayConfig({ PATTERNMESH_API_KEYS: 'k=acme', PATTERNMESH_MAX_BATCH_ITEMS: '3' });
  // What reaches `raw`, as the normalizer would read it.
  await bus.subscribe({ topic: pipelineTopics().raw, subscription: 'probe', type: 'Shared' }, async (m) => {
    raw.push(decodePattern(m.payload).entity);
  });
  host = await startHost({
    logger,
    modules: [createIngestGateway({ bus, logger, topics: pipelineTopics(), config })],
    httpPort: 0,
    grpcPort: 0,
  });
  base = `http://127.0.0.1:${host.httpPort}`;
});
afterAll(() => host.stop());

const batch = async (contentType: string, body: string) => {
  const r = await fetch(`${base}/v1/patterns/batch`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-api-key': 'k' },
    body,
  });
  return {
    status: r.status,
    body: (await r.json()) as { results?: Array<Record<string, any>>; error?: Record<string, any> },
  };
};

describe('POST /v1/patterns/batch', () => {
  it('accepts JSON and answers per item, in order, one bad item failing alone', async () => {
    const r = await batch(
      'application/json',
      JSON.stringify({
        patterns: [
          { source: 'app.logs', payload: { a: 1 } },
          { source: 'BAD SOURCE', payload: { a: 2 } },
        ],
      }),
    );
    expect(r.status).toBe(200);
    expect(r.body.results![0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.results![1]!.error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
  });

  it('accepts NDJSON, one pattern per line, and names the line that is not JSON', async () => {
    const ndjson = [
      '{"source":"app.logs","payload":{"n":1}}',
      '',
      '{"source": oops',
      '{"source":"app.logs","payload":"text"}',
    ].join('\n');
    const r = await batch('application/x-ndjson', ndjson);
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(3);
    expect(r.body.results![0]!.id).toBeDefined();
    expect(r.body.results![1]!.error).toMatchObject({
      code: 'BODY_MALFORMED_JSON',
      message: 'Line 3 is not valid JSON.',
    });
    expect(r.body.results![2]!.id).toBeDefined();
  });

  it('refuses a batch over the limit as a whole', async () => {
    const lines = Array.from({ length: 4 }, () => '{"source":"app.logs","payload":{}}').join('\n');
    const r = await batch('application/x-ndjson', lines);
    expect(r.status).toBe(400);
    expect(r.body.error!.code).toBe('BATCH_TOO_LARGE');
  });

  it('refuses other media types with 415', async () => {
    const r = await batch('text/csv', 'a,b');
    expect(r.status).toBe(415);
    expect(r.body.error!.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('gRPC IngestService.PublishBatch', () => {
  const input = (entity: string, source = 'app.logs'): PatternInput => ({
    source,
    entity,
    contentType: 'application/json',
    payload: Buffer.from('{"ok":true}'),
    attributes: {},
    idempotencyKey: '',
  });
  const publishBatch = (patterns: PatternInput[]) => {
    const client = new IngestServiceClient(`127.0.0.1:${host.grpcPort}`, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('x-api-key', 'k');
    return new Promise<{ error: grpc.ServiceError | null; response?: PublishBatchResponse }>((resolve) =>
      client.publishBatch({ patterns }, metadata, (error, response) => {
        client.close();
        resolve({ error, response });
      }),
    );
  };

  it('answers per item, in order; a bad item fails alone and the others are published', async () => {
    const { error, response } = await publishBatch([input('g-1'), input('g-2', ''), input('g-3')]);
    expect(error).toBeNull();
    const results = response!.results;
    expect(results).toHaveLength(3);
    expect(results[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(results[1]!.error?.code).toBe('VALIDATION_FAILED');
    expect(results[2]!.id).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(raw.filter((e) => e.startsWith('g-'))).toEqual(['g-1', 'g-3']);
  });

  it('refuses a batch over the limit as a whole, with the catalog code', async () => {
    const { error } = await publishBatch(['a', 'b', 'c', 'd'].map((e) => input(e)));
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.metadata.get('pm-error-code')).toEqual(['BATCH_TOO_LARGE']);
  });
});
