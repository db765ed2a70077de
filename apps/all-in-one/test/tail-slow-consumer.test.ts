import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { eventually } from '@patternmesh/bus/testing';
import { encodePattern, laneTopic, MessageProps, uuidv7 } from '@patternmesh/pattern';
import { aPattern } from '@patternmesh/pattern/testing';
import type { RunningServices } from '@patternmesh/service-kit';
import { startServicesForTest } from '@patternmesh/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailService } from '../src/tail-service';
import { openSse, type SseStream } from './sse-client';

const KEY = 'test-key-acme';
const MAX_UNREAD_BYTES = 64 * 1024;
/** Patterns of ~4 KiB (5.5 KiB as base64 in an event); one batch stays under the threshold. */
const PAYLOAD_BYTES = 4 * 1024;
const BATCH = 8;
/**
 * Kernel socket buffers take some megabytes (about 4.5 here) before the server's own queue grows at
 * all, so the test publishes until the server reports the cut-off; this many bytes means it never will.
 */
const GIVE_UP_AFTER_BYTES = 32 * 1024 * 1024;

/** A tail over node:http whose response is paused: it reads the head and then, until resumed, nothing. */
interface PausedTail {
  /** Resolves once the `: tailing` comment arrived, i.e. the subscription exists. */
  readonly ready: Promise<void>;
  /** Resumes reading; resolves with the whole body once the server ended the response. */
  readToEnd(): Promise<{ body: string; complete: boolean }>;
  destroy(): void;
}

function openPausedTail(url: string): PausedTail {
  let response: http.IncomingMessage | undefined;
  let request: http.ClientRequest | undefined;
  const chunks: Buffer[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    request = http.get(url, { headers: { 'x-api-key': KEY }, agent: false }, (res) => {
      response = res;
      res.once('data', (chunk: Buffer) => {
        chunks.push(chunk);
        // Paused, the response buffers one highWaterMark and then stops reading the socket, so
        // what the server writes piles up in the kernel buffers and then in the server's queue.
        res.pause();
        resolve();
      });
      res.once('error', reject);
    });
    request.once('error', reject);
  });
  return {
    ready,
    readToEnd: () =>
      new Promise((resolve, reject) => {
        const res = response!;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () =>
          resolve({ body: Buffer.concat(chunks).toString('utf8'), complete: res.complete }),
        );
        res.once('error', reject);
        res.resume();
      }),
    destroy: () => request?.destroy(),
  };
}

/** The last Server-Sent Event of a body: its `event:` and `data:` lines. */
function lastEvent(body: string): { event: string | undefined; data: string | undefined } {
  const blocks = body.split('\n\n').filter((b) => b.trim() !== '');
  const lines = blocks.at(-1)?.split('\n') ?? [];
  const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
  return { event: field('event'), data: field('data') };
}

describe('tail: a client that stops reading is cut off (embedded bus)', () => {
  let running: RunningServices;
  let base: string;
  const reading: SseStream[] = [];
  const paused: PausedTail[] = [];

  beforeAll(async () => {
    running = await startServicesForTest([tailService], {
      PATTERNMESH_API_KEYS: `${KEY}=acme`,
      PATTERNMESH_TAIL_MAX_UNREAD_BYTES: String(MAX_UNREAD_BYTES),
    });
    base = `http://127.0.0.1:${running.httpPort}`;
  });

  afterAll(async () => {
    for (const s of reading) s.close();
    for (const p of paused) p.destroy();
    await running?.stop();
  });

  const slowConsumerCutOffs = async (): Promise<number> => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('patternmesh_tail_disconnected_total{') &&
          l.includes('patternmesh_reason="slow_consumer"'),
      );
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };

  /** Publishes one batch to acme's critical lane; resolves with the ids, in order. */
  const publishBatch = async (): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const id = uuidv7();
      const payload = encodePattern(aPattern({ id, tenant: 'acme', payload: randomBytes(PAYLOAD_BYTES) }));
      await running.bus.publish(laneTopic('acme', 'critical'), {
        payload,
        properties: { [MessageProps.tenant]: 'acme' },
      });
      ids.push(id);
    }
    return ids;
  };

  it('ends the stream with SLOW_CONSUMER once too much is unread; a reading client keeps receiving', async () => {
    const url = `${base}/v1/tail?topic=critical`;
    const slow = openPausedTail(url);
    paused.push(slow);
    const reader = openSse(url, { 'x-api-key': KEY });
    reading.push(reader);
    await Promise.all([slow.ready, reader.ready]);
    // Only the last event is looked at: the reader's list grows to thousands of multi-KiB events.
    const lastReceivedId = (): string | undefined => {
      const last = reader.events.at(-1);
      return last?.event === 'pattern' ? (JSON.parse(last.data) as { id: string }).id : undefined;
    };

    const before = await slowConsumerCutOffs();
    let published = 0;
    while ((await slowConsumerCutOffs()) === before && published < GIVE_UP_AFTER_BYTES) {
      const ids = await publishBatch();
      published += BATCH * PAYLOAD_BYTES;
      // The reader catches up before the next batch, so its own queue never holds more than one
      // batch (under the threshold): it is never the one cut off.
      await eventually(() => expect(lastReceivedId()).toBe(ids.at(-1)), 20_000, 1);
    }
    expect(await slowConsumerCutOffs(), `no cut-off after publishing ${published} bytes`).toBe(before + 1);

    // The paused client, reading again, gets what was queued, then the error event, then the end.
    // `complete`: the server ended the response itself (the last chunk came), nothing was cut short.
    const { body, complete } = await slow.readToEnd();
    expect(complete).toBe(true);
    expect(body).toContain('event: pattern');
    const last = lastEvent(body);
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data ?? '{}')).toMatchObject({ code: 'SLOW_CONSUMER' });

    // The reading client on the same topic was not cut off and still receives.
    const sentinel = (await publishBatch()).at(-1);
    await eventually(() => expect(lastReceivedId()).toBe(sentinel));
    expect(reader.events.filter((e) => e.event === 'error')).toEqual([]);
  });
});
