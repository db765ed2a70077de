import type { Bus, BusMessage, Subscription } from '@patternmesh/bus';
import { PatternmeshError } from '@patternmesh/errors';
import type { ApiKeyRegistry } from '@patternmesh/ingest';
import { apiKeyFromHeaders } from '@patternmesh/ingest';
import {
  decodePattern,
  isLaneName,
  laneTopic,
  MessageProps,
  parseTopicName,
  patternToJson,
  type PipelineTopics,
} from '@patternmesh/pattern';
import type { ServiceModule } from '@patternmesh/service-kit';
import { AttributeKeys, pipelineMetrics } from '@patternmesh/telemetry';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';

export interface TailOptions {
  /** Bytes a tail client may leave unread (queued on its socket) before it is cut off. */
  readonly maxUnreadBytes: number;
}

interface ResolvedTopic {
  readonly topic: string;
  /** For shared topics (quarantine), only messages of this tenant are shown. */
  readonly tenantFilter?: string;
}

/**
 * Which topic a tail request may read. A lane name means the caller's own lane topic; `quarantine`
 * means the shared quarantine topic filtered to the caller's tenant; a full topic name must belong
 * to the caller's tenant. A key never sees another tenant's patterns.
 */
export function resolveTailTopic(
  requested: string | undefined,
  tenant: string,
  topics: PipelineTopics,
): ResolvedTopic {
  if (!requested) {
    throw new PatternmeshError('VALIDATION_FAILED', {
      message: 'Name a topic: ?topic=critical|standard|bulk|quarantine or a full topic name of your tenant.',
      details: [{ field: 'topic', problem: 'is required' }],
    });
  }
  if (isLaneName(requested)) return { topic: laneTopic(tenant, requested) };
  if (requested === 'quarantine') return { topic: topics.quarantine, tenantFilter: tenant };
  const owner = parseTopicName(requested)?.tenant;
  if (owner === undefined) {
    throw new PatternmeshError('VALIDATION_FAILED', {
      message: `"${requested}" is neither a lane name nor a full topic name (persistent://tenant/namespace/topic).`,
      details: [{ field: 'topic', problem: 'is not a topic name' }],
    });
  }
  if (owner !== tenant)
    throw new PatternmeshError('FORBIDDEN', { message: 'That topic belongs to another tenant.' });
  return { topic: requested };
}

/** One Server-Sent Events frame. */
const sseFrame = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const SLOW_CONSUMER_FRAME = sseFrame('error', {
  code: 'SLOW_CONSUMER',
  message: 'too far behind; reconnect',
});

/** One SSE event: the envelope's JSON form; quarantined messages also carry the reason and code. */
function tailEvent(message: BusMessage): unknown {
  let pattern: unknown;
  try {
    pattern = patternToJson(decodePattern(message.payload));
  } catch {
    pattern = { undecodable: Buffer.from(message.payload).toString('base64') };
  }
  const reason = message.properties[MessageProps.reason];
  return reason ? { pattern, reason, code: message.properties[MessageProps.errorCode] } : pattern;
}

/**
 * One open tail response and what it holds (heartbeat, subscription). `finish` releases all of it,
 * whoever asks first: the client going away, the server shutting down, or a slow-consumer cut-off.
 */
class TailStream {
  private subscription: Subscription | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(
    private readonly raw: ServerResponse,
    private readonly onFinish: (stream: TailStream) => void,
  ) {}

  get isFinished(): boolean {
    return this.finished;
  }

  /** Unread bytes: what the socket has queued beyond what the kernel buffers already took. */
  get unreadBytes(): number {
    return this.raw.writableLength;
  }

  write(chunk: string): void {
    if (!this.finished) this.raw.write(chunk);
  }

  /** Takes over the subscription; if the stream already finished meanwhile, closes it at once. */
  attach(subscription: Subscription): void {
    this.subscription = subscription;
    // Comments keep proxies from timing out an idle stream.
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), 15_000);
    if (this.finished) this.release();
  }

  finish(lastFrame?: string): void {
    if (this.finished) return;
    this.finished = true;
    this.release();
    this.onFinish(this);
    if (!this.raw.writableEnded) this.raw.end(lastFrame);
  }

  private release(): void {
    clearInterval(this.heartbeat);
    void this.subscription?.close();
  }
}

/**
 * `GET /v1/tail?topic=<topic>`: Server-Sent Events, one `pattern` event per message on the topic from
 * the moment of subscribing, each the full envelope in its JSON form (quarantined messages also carry
 * the reason). It lets a newcomer watch the pipeline without a Pulsar client. Each request gets its
 * own non-durable subscription, gone when the client disconnects or is cut off for falling more than
 * `maxUnreadBytes` behind (a last `event: error` with code SLOW_CONSUMER, then the stream ends).
 */
export function createTail(
  bus: Bus,
  topics: PipelineTopics,
  apiKeys: ApiKeyRegistry,
  options: TailOptions,
): ServiceModule {
  const open = new Set<TailStream>();
  let counter = 0;
  const metrics = pipelineMetrics();

  /**
   * A client that stops reading would make the socket's queue grow without limit: tell it why and
   * end the stream. Its subscription is closed right away, not when the socket closes, since a
   * client that never reads never lets the response finish.
   */
  const cutOff = (stream: TailStream): void => {
    metrics.tailDisconnected.add(1, { [AttributeKeys.reason]: 'slow_consumer' });
    stream.finish(SLOW_CONSUMER_FRAME);
  };

  const registerHttp = (app: FastifyInstance): void => {
    app.get<{ Querystring: { topic?: string } }>('/v1/tail', async (request, reply) => {
      const tenant = apiKeys.authenticate(apiKeyFromHeaders(request.headers));
      const { topic, tenantFilter } = resolveTailTopic(request.query.topic, tenant, topics);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const stream = new TailStream(raw, (finished) => open.delete(finished));
      open.add(stream);
      request.raw.on('close', () => stream.finish());
      if (request.raw.destroyed) stream.finish();
      let subscription: Subscription;
      try {
        subscription = await bus.subscribe(
          {
            topic,
            subscription: `tail-${process.pid}-${++counter}`,
            type: 'Shared',
            durable: false,
            maxInFlight: 256,
          },
          async (message) => {
            if (tenantFilter && message.properties[MessageProps.tenant] !== tenantFilter) return;
            if (stream.isFinished) return;
            if (stream.unreadBytes > options.maxUnreadBytes) {
              cutOff(stream);
              return;
            }
            stream.write(
              `event: pattern\nid: ${message.id}\ndata: ${JSON.stringify(tailEvent(message))}\n\n`,
            );
          },
        );
      } catch (error) {
        request.log.error({ err: error, topic }, 'tail subscription failed');
        stream.finish(sseFrame('error', { code: 'BUS_UNAVAILABLE' }));
        return;
      }
      // Written only once the subscription exists: a client that saw this line misses nothing after it.
      stream.write(`: tailing ${topic}\n\n`);
      stream.attach(subscription);
    });
    // Open streams would keep the server from closing; end them first.
    app.addHook('preClose', async () => {
      for (const stream of [...open]) stream.finish();
    });
  };

  return {
    name: 'tail',
    registerHttp,
    start: async () => undefined,
    drain: async () => {
      for (const stream of [...open]) stream.finish();
    },
  };
}
