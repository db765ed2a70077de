/**
 * The client: owns the connection pool, the lookup service and the id counters, and creates producers
 * and consumers. `request_id`, `producer_id` and `consumer_id` come from client-wide counters, so they
 * are unique on every (shared) connection.
 */
import { tokenAuth } from './auth';
import type { TokenSource } from './auth';
import type { ClientContext, Closable, PulsarLogger } from './client-context';
import { silentLogger } from './client-context';
import type { TlsOptions } from './connection';
import { parseBrokerUrl } from './connection';
import { ConnectionPool } from './connection-pool';
import { ConsumerImpl } from './consumer';
import type { Consumer, ConsumerOptions } from './consumer';
import { PulsarError } from './errors';
import { LookupService } from './lookup';
import { ProducerImpl } from './producer';
import { MemoryLimit } from './memory-limit';
import { ReaderImpl } from './reader';
import type { Reader, ReaderOptions } from './reader';
import type { Producer, ProducerOptions } from './producer';
import { parseTopicName, partitionTopic } from './topic-name';

/** Options for {@link PulsarClient}. */
export interface PulsarClientOptions {
  /** `pulsar://host:6650` or `pulsar+ssl://host:6651`; several hosts: `pulsar://h1:6650,h2:6650`. */
  serviceUrl: string;
  /** JWT for token authentication, or a function returning a fresh one (called on connect and refresh). */
  authToken?: TokenSource;
  tls?: TlsOptions;
  /** Lookup, producer/consumer creation and close timeout (default 30 000 ms). */
  operationTimeoutMs?: number;
  /** TCP + TLS + CONNECT handshake timeout (default 10 000 ms). */
  connectionTimeoutMs?: number;
  /** PING interval; a connection silent for twice this is dropped (default 30 000 ms; 0 disables). */
  keepAliveIntervalMs?: number;
  /**
   * How often producers and consumers of partitioned topics check for partitions added since they were
   * created, and start using them (default 60 000 ms; 0 never checks).
   */
  partitionDiscoveryIntervalMs?: number;
  /**
   * Bytes of messages all producers of this client may hold between `send()` and the broker's receipt
   * (default 64 MiB, as the Go client; 0 = no limit). When it is used up, `send()` waits for room (or
   * fails with PULSAR_PRODUCER_QUEUE_FULL where the producer says not to block).
   */
  memoryLimitBytes?: number;
  logger?: PulsarLogger;
}

/** Splits `pulsar://h1:6650,h2:6650` into one URL per host. */
export function splitServiceUrl(serviceUrl: string): string[] {
  const m = /^(pulsar(?:\+ssl)?):\/\/([^/]+)\/?$/.exec(serviceUrl.trim());
  if (!m) throw new PulsarError('PULSAR_INVALID_ARGUMENT', `invalid service URL '${serviceUrl}'`);
  const urls = m[2]!.split(',').map((h) => `${m[1]}://${h.trim()}`);
  for (const u of urls) parseBrokerUrl(u);
  return urls;
}

export class PulsarClient {
  private readonly ctx: ClientContext & { closed: boolean };
  private readonly pool: ConnectionPool;
  private readonly closables = new Set<Closable>();
  private closedFlag = false;

  constructor(opts: PulsarClientOptions) {
    const urls = splitServiceUrl(opts.serviceUrl);
    const useTls = urls[0]!.startsWith('pulsar+ssl:');
    const operationTimeoutMs = opts.operationTimeoutMs ?? 30_000;
    this.pool = new ConnectionPool({
      tls: opts.tls,
      auth: opts.authToken !== undefined ? tokenAuth(opts.authToken) : undefined,
      connectionTimeoutMs: opts.connectionTimeoutMs ?? 10_000,
      operationTimeoutMs,
      keepAliveIntervalMs: opts.keepAliveIntervalMs ?? 30_000,
    });
    let requestId = 0;
    let producerId = 0;
    let consumerId = 0;
    const newRequestId = () => requestId++;
    const lookup = new LookupService(this.pool, urls, useTls, newRequestId);
    const isClosed = () => this.closedFlag;
    this.ctx = {
      pool: this.pool,
      lookup,
      operationTimeoutMs,
      partitionDiscoveryIntervalMs: opts.partitionDiscoveryIntervalMs ?? 60_000,
      memory: new MemoryLimit(opts.memoryLimitBytes ?? 64 * 1024 * 1024),
      log: opts.logger ?? silentLogger,
      newRequestId,
      newProducerId: () => producerId++,
      newConsumerId: () => consumerId++,
      track: (c) => this.closables.add(c),
      untrack: (c) => this.closables.delete(c),
      get closed() {
        return isClosed();
      },
    };
  }

  private assertOpen(): void {
    if (this.closedFlag) throw new PulsarError('PULSAR_CLIENT_CLOSED', 'client is closed');
  }

  /** Creates a producer; resolves once every partition's producer is registered with its broker. */
  async createProducer(opts: ProducerOptions): Promise<Producer> {
    this.assertOpen();
    return ProducerImpl.create(this.ctx, opts);
  }

  /** Subscribes; resolves once every partition's consumer is subscribed and has been granted permits. */
  async subscribe(opts: ConsumerOptions): Promise<Consumer> {
    this.assertOpen();
    return ConsumerImpl.create(this.ctx, opts);
  }

  /**
   * Creates a reader (a non-durable subscription read from `startMessageId`); resolves once it is
   * subscribed.
   */
  async createReader(opts: ReaderOptions): Promise<Reader> {
    this.assertOpen();
    return ReaderImpl.create(this.ctx, opts);
  }

  /** Partition topic names of `topic` (the topic itself when not partitioned). */
  async getPartitionsForTopic(topic: string): Promise<string[]> {
    this.assertOpen();
    const full = parseTopicName(topic).full;
    const n = await this.ctx.lookup.partitions(full);
    return n === 0 ? [full] : Array.from({ length: n }, (_, i) => partitionTopic(full, i));
  }

  /** Closes all producers (flushing them), consumers and connections. */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    const all = [...this.closables];
    await Promise.allSettled(all.map((c) => c.close()));
    this.closedFlag = true;
    await this.pool.close();
  }

  /**
   * Drops every connection at once without closing producers or consumers — as if the process died.
   * For failure tests; the client is unusable afterwards.
   */
  async destroy(): Promise<void> {
    this.closedFlag = true;
    await this.pool.close();
  }
}
