/**
 * The load generator, a process of its own so building and sending requests does not take the
 * pipeline's event loop (it still shares the machine's cores). It receives one `LoadJob` per IPC
 * message and answers with a `LoadResult`. Each of `concurrency` slots sends a request, waits for
 * the answer and sends the next one; with a `rate`, a slot also waits until its events are due, so
 * the target sees a fixed rate as long as it keeps up.
 */
import { credentials, Metadata } from '@grpc/grpc-js';
import { IngestServiceClient, type PublishStreamResponse } from '@patternmesh/proto';
import http from 'node:http';
import type { LoadJob, LoadResult } from './load-protocol';
import { patternFor } from './payloads';

const ID_PATTERN = /"id":"([^"]+)"/g;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tally {
  requests: number;
  acked: number;
  failed: number;
  firstError?: string;
  ids: string[];
}

function post(
  agent: http.Agent,
  url: URL,
  contentType: string,
  apiKey: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'x-api-key': apiKey,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Paces slots to `rate` events/s from `start`; no-op when rate is 0. */
function pacer(rate: number, start: number) {
  let scheduled = 0;
  return async (events: number): Promise<void> => {
    const due = start + (scheduled / rate) * 1000;
    scheduled += events;
    if (rate > 0) {
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    }
  };
}

async function runHttp(job: LoadJob, tally: Tally): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const ndjson = job.transport === 'ndjson';
  const url = new URL(job.path ?? (ndjson ? '/v1/patterns/batch' : '/v1/patterns'), job.target);
  const start = performance.now();
  const end = start + job.seconds * 1000;
  const pace = pacer(job.rate, start);
  let seq = job.firstSeq;
  const fail = (n: number, why: string) => {
    tally.failed += n;
    tally.firstError ??= why;
  };
  const slot = async (): Promise<void> => {
    while (performance.now() < end) {
      const n = ndjson ? job.batch : 1;
      await pace(n);
      if (performance.now() >= end) return;
      const first = seq;
      seq += n;
      let body = '';
      if (ndjson)
        for (let i = first; i < first + n; i++) body += JSON.stringify(patternFor(i, job.entities)) + '\n';
      else body = JSON.stringify(patternFor(first, job.entities));
      tally.requests++;
      try {
        const { status, text } = await post(
          agent,
          url,
          ndjson ? 'application/x-ndjson' : 'application/json',
          job.apiKey,
          body,
        );
        if (status < 200 || status >= 300) {
          fail(n, `HTTP ${status}: ${text.slice(0, 200)}`);
          // A refusal (429/503) is answered at once; do not spin on it.
          await sleep(50);
          continue;
        }
        // Every `"id":"…"` is one acknowledged pattern: the gateway answers `{id}` or
        // `{results:[{id}|{error}]}`, Benthos a multipart body of `{id}` parts.
        let ids = 0;
        for (const match of text.matchAll(ID_PATTERN)) {
          ids++;
          if (job.collectIds) tally.ids.push(match[1]!);
        }
        tally.acked += ids;
        if (ids < n) fail(n - ids, text.slice(0, 200));
      } catch (error) {
        fail(n, String(error));
        await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, slot));
  agent.destroy();
}

/** One PublishStream with up to `concurrency` unacknowledged messages (the gateway's own limit is 256). */
async function runGrpc(job: LoadJob, tally: Tally): Promise<void> {
  const client = new IngestServiceClient(job.target, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('x-api-key', job.apiKey);
  const call = client.publishStream(metadata);
  const start = performance.now();
  const end = start + job.seconds * 1000;
  const pace = pacer(job.rate, start);
  let outstanding = 0;
  let wake: (() => void) | undefined;
  const done = new Promise<void>((resolve, reject) => {
    call.on('end', resolve);
    call.on('error', reject);
  });
  call.on('data', (response: PublishStreamResponse) => {
    outstanding--;
    const id = response.result?.id;
    if (id) {
      tally.acked++;
      if (job.collectIds) tally.ids.push(id);
    } else {
      tally.failed++;
      tally.firstError ??= JSON.stringify(response.result?.error);
    }
    wake?.();
  });
  let seq = job.firstSeq;
  while (performance.now() < end) {
    if (outstanding >= job.concurrency) {
      await new Promise<void>((r) => (wake = r));
      continue;
    }
    await pace(1);
    const p = patternFor(seq, job.entities);
    call.write({
      correlationId: String(seq++),
      pattern: {
        source: p.source,
        entity: p.entity,
        contentType: 'application/json',
        payload: Buffer.from(JSON.stringify(p.payload)),
        attributes: {},
        idempotencyKey: '',
      },
    });
    outstanding++;
    tally.requests++;
  }
  call.end();
  await done.catch((error: unknown) => {
    tally.firstError ??= String(error);
  });
  client.close();
}

process.on('message', (job: LoadJob) => {
  void (async () => {
    const tally: Tally = { requests: 0, acked: 0, failed: 0, ids: [] };
    const started = performance.now();
    if (job.transport === 'grpc') await runGrpc(job, tally);
    else await runHttp(job, tally);
    const result: LoadResult = {
      requests: tally.requests,
      acked: tally.acked,
      failed: tally.failed,
      ...(tally.firstError ? { firstError: tally.firstError } : {}),
      elapsedMs: performance.now() - started,
      ...(job.collectIds ? { ids: tally.ids.join('\n') } : {}),
    };
    process.send!(result);
  })();
});
