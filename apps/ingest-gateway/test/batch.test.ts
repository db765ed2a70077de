import { EmbeddedBus } from '@patternmesh/bus';
import { pipelineTopics } from '@patternmesh/pattern';
import { createLogger, startHost, type RunningHost } from '@patternmesh/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

let host: RunningHost;
let base: string;
beforeAll(async () => {
  const logger = createLogger('test', { level: 'silent' });
  const config = loadGatewayConfig({ PATTERNMESH_API_KEYS: 'k=acme', PATTERNMESH_MAX_BATCH_ITEMS: '3' });
  host = await startHost({
    logger,
    modules: [createIngestGateway({ bus: new EmbeddedBus(), logger, topics: pipelineTopics(), config })],
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
