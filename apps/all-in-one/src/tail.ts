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
import type { FastifyInstance } from 'fastify';

/** Bytes a tail client may leave unread before it is disconnected. */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

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
 * `GET /v1/tail?topic=<topic>`: Server-Sent Events, one `pattern` event per message on the topic from
 * the moment of subscribing, each the full envelope in its JSON form (quarantined messages also carry
 * the reason). It lets a newcomer watch the pipeline without a Pulsar client. Each request gets its
 * own non-durable subscription, gone when the client disconnects.
 */
export function createTail(bus: Bus, topics: PipelineTopics, apiKeys: ApiKeyRegistry): ServiceModule {
  const open = new Set<{ end(): void }>();
  let counter = 0;

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
            if (raw.writableEnded) return;
            // A client that stops reading would make the socket buffer grow without limit: cut it off.
            if (raw.writableLength > MAX_UNREAD_BYTES) {
              raw.end(
                `event: error\ndata: ${JSON.stringify({ code: 'SLOW_CONSUMER', message: 'too far behind; reconnect' })}\n\n`,
              );
              return;
            }
            raw.write(`event: pattern\nid: ${message.id}\ndata: ${JSON.stringify(tailEvent(message))}\n\n`);
          },
        );
      } catch (error) {
        request.log.error({ err: error, topic }, 'tail subscription failed');
        raw.end(`event: error\ndata: ${JSON.stringify({ code: 'BUS_UNAVAILABLE' })}\n\n`);
        return;
      }
      // Written only once the subscription exists: a client that saw this line misses nothing after it.
      raw.write(`: tailing ${topic}\n\n`);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      const stream = {
        end: () => {
          clearInterval(heartbeat);
          open.delete(stream);
          void subscription.close();
          if (!raw.writableEnded) raw.end();
        },
      };
      open.add(stream);
      request.raw.on('close', stream.end);
      if (request.raw.destroyed) stream.end();
    });
    // Open streams would keep the server from closing; end them first.
    app.addHook('preClose', async () => {
      for (const stream of [...open]) stream.end();
    });
  };

  return {
    name: 'tail',
    registerHttp,
    start: async () => undefined,
    drain: async () => {
      for (const stream of [...open]) stream.end();
    },
  };
}
