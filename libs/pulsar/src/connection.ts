/**
 * One TCP (or TLS) connection to one broker, shared by every producer, consumer and lookup that goes to
 * that broker. It owns: the CONNECT handshake, request/response correlation by `request_id` with
 * timeouts, dispatch of producer/consumer commands by id, PING/PONG keep-alive in both directions with
 * idle detection, and write coalescing (all frames written in one event-loop turn go out in one corked
 * write, i.e. one `writev` syscall).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AuthProvider } from './auth';
import { PulsarError, fromServerError, isPulsarError } from './errors';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  FRAME_PADDING,
  FrameDecoder,
  decodeFrame,
  encodeCommandFrame,
} from './frame';
import type {
  BaseCommand,
  CommandActiveConsumerChange,
  CommandCloseConsumer,
  CommandCloseProducer,
  CommandConnected,
  CommandMessage,
  CommandSendError,
  CommandSendReceipt,
  CommandTopicMigrated,
} from './proto/commands';
import { CommandType, LookupType, PROTOCOL_VERSION } from './proto/commands';

export const CLIENT_VERSION = 'patternmesh-pulsar-ts/0.1.0';

/** TLS settings for `pulsar+ssl://` URLs. */
export interface TlsOptions {
  /** Trusted CA certificate(s), PEM. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Client certificate and key for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Verify the broker certificate chain (default true). */
  rejectUnauthorized?: boolean;
  /** Check the certificate's host name (default true; Pulsar's Java client defaults to false). */
  verifyHostname?: boolean;
  /** SNI / expected host name override. */
  servername?: string;
}

export interface ConnectionOptions {
  /** The broker URL as the lookup named it (what the pool keys on). */
  logicalAddress: string;
  /** Where to actually connect (differs from logical only through a proxy). */
  physicalAddress: string;
  tls?: TlsOptions | undefined;
  auth?: AuthProvider | undefined;
  connectionTimeoutMs: number;
  operationTimeoutMs: number;
  keepAliveIntervalMs: number;
}

/** Callbacks a producer registers for its producer id. */
export interface ProducerListener {
  onSendReceipt(r: CommandSendReceipt): void;
  onSendError(e: CommandSendError): void;
  /** The broker closed this producer (unload, migration); the connection stays up. */
  onClosedByBroker(cmd: CommandCloseProducer | CommandTopicMigrated): void;
  onConnectionClosed(cnx: Connection): void;
  /** The connection's write backlog drained below {@link WRITE_BACKLOG_LIMIT_BYTES}: write more. */
  onWritable(): void;
}

/**
 * Bytes queued on a connection (not yet taken by the kernel) beyond which producers stop writing frames
 * and keep them in their own queues until the socket drains. It bounds what a slow or stalled broker
 * makes this process buffer, keeps small commands (ACK, FLOW, PING) from queueing behind megabytes of
 * messages, and leaves unsent messages where the send timeout and close() can still reach them.
 */
export const WRITE_BACKLOG_LIMIT_BYTES = 1024 * 1024;

/** Callbacks a consumer registers for its consumer id. */
export interface ConsumerListener {
  /** A MESSAGE frame; `data`/`payloadStart` locate its payload section in the frame. */
  onMessage(cmd: CommandMessage, data: Buffer, payloadStart: number, cnx: Connection): void;
  onClosedByBroker(cmd: CommandCloseConsumer | CommandTopicMigrated): void;
  onConnectionClosed(cnx: Connection): void;
  onActiveConsumerChange?(cmd: CommandActiveConsumerChange): void;
  onReachedEndOfTopic?(): void;
}

interface PendingRequest {
  resolve: (body: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
  /** Commands for which a PRODUCER_SUCCESS with producer_ready=false means "keep waiting". */
  what: string;
}

/** Parses `pulsar://host:port` / `pulsar+ssl://host:port`. */
export function parseBrokerUrl(url: string): { host: string; port: number; tls: boolean } {
  const u = new URL(url);
  const tlsOn = u.protocol === 'pulsar+ssl:';
  if (!tlsOn && u.protocol !== 'pulsar:') {
    throw new PulsarError(
      'PULSAR_INVALID_ARGUMENT',
      `unsupported service URL scheme '${u.protocol}' in ${url}`,
    );
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: u.port ? Number(u.port) : tlsOn ? 6651 : 6650, tls: tlsOn };
}

export class Connection {
  readonly logicalAddress: string;
  /** The broker's max message size (CONNECTED.max_message_size). */
  maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  /** Negotiated protocol version: min(ours, broker's). */
  protocolVersion = 0;
  serverVersion = '';

  private socket!: net.Socket;
  private readonly decoder = new FrameDecoder();
  private readonly requests = new Map<number, PendingRequest>();
  private readonly producers = new Map<number, ProducerListener>();
  private readonly consumers = new Map<number, ConsumerListener>();
  private readonly closeListeners: ((cnx: Connection, err: PulsarError) => void)[] = [];
  private outQueue: Buffer[] = [];
  private outQueueBytes = 0;
  private drainTurn = 0;
  private flushScheduled = false;
  private lastReceived = Date.now();
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private handshake: PendingRequest | undefined;
  private closedWith: PulsarError | undefined;

  private constructor(private readonly opts: ConnectionOptions) {
    this.logicalAddress = opts.logicalAddress;
  }

  /** Opens the socket and completes the CONNECT handshake. */
  static async connect(opts: ConnectionOptions): Promise<Connection> {
    const cnx = new Connection(opts);
    await cnx.open();
    return cnx;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  private open(): Promise<void> {
    const { host, port, tls: useTls } = parseBrokerUrl(this.opts.physicalAddress);
    return new Promise<void>((resolve, reject) => {
      const fail = (e: PulsarError) => {
        this.close(e);
        reject(e);
      };
      const timer = setTimeout(
        () =>
          fail(
            new PulsarError('PULSAR_CONNECTION_FAILED', `connect to ${this.opts.physicalAddress} timed out`),
          ),
        this.opts.connectionTimeoutMs,
      );
      this.handshake = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        timer: undefined,
        what: 'CONNECT',
      };
      const onConnect = () => {
        this.socket.setNoDelay(true);
        this.socket.setKeepAlive(true, 60_000);
        this.sendConnect().catch((e: unknown) =>
          fail(isPulsarError(e) ? e : new PulsarError('PULSAR_AUTHENTICATION', String(e), { cause: e })),
        );
      };
      if (useTls) {
        const t = this.opts.tls ?? {};
        const servername = t.servername ?? (net.isIP(host) ? undefined : host);
        this.socket = tls.connect({
          host,
          port,
          ...(t.ca !== undefined ? { ca: t.ca } : {}),
          ...(t.cert !== undefined ? { cert: t.cert } : {}),
          ...(t.key !== undefined ? { key: t.key } : {}),
          rejectUnauthorized: t.rejectUnauthorized ?? true,
          ...(servername !== undefined ? { servername } : {}),
          ...(t.verifyHostname === false ? { checkServerIdentity: () => undefined } : {}),
        });
        this.socket.once('secureConnect', onConnect);
      } else {
        this.socket = net.connect({ host, port });
        this.socket.once('connect', onConnect);
      }
      this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
      this.socket.on('drain', () => this.onDrain());
      this.socket.on('error', (e) =>
        this.close(
          new PulsarError('PULSAR_CONNECTION_FAILED', `${this.opts.physicalAddress}: ${e.message}`, {
            cause: e,
          }),
        ),
      );
      this.socket.on('close', () =>
        this.close(
          new PulsarError('PULSAR_CONNECTION_CLOSED', `connection to ${this.opts.physicalAddress} closed`),
        ),
      );
    });
  }

  private async sendConnect(): Promise<void> {
    const auth = this.opts.auth;
    const authData = auth ? await auth.authData() : undefined;
    const logical = this.opts.logicalAddress;
    const physical = this.opts.physicalAddress;
    this.write(
      encodeCommandFrame({
        type: CommandType.CONNECT,
        body: {
          clientVersion: CLIENT_VERSION,
          protocolVersion: PROTOCOL_VERSION,
          ...(auth ? { authMethodName: auth.methodName, authData } : {}),
          ...(logical !== physical ? { proxyToBrokerUrl: logical.replace(/^pulsar(\+ssl)?:\/\//, '') } : {}),
          // Only what we implement: token refresh on AUTH_CHALLENGE. No broker entry metadata, no
          // partial producers, no topic watchers.
          featureFlags: { supportsAuthRefresh: true },
        },
      }),
    );
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = Date.now();
    try {
      this.decoder.push(chunk, (data) => this.onFrame(data));
    } catch (e) {
      this.close(isPulsarError(e) ? e : new PulsarError('PULSAR_PROTOCOL', String(e), { cause: e }));
    }
  }

  private onFrame(data: Buffer): void {
    const frame = decodeFrame(data);
    const cmd = frame.command;
    if (cmd === undefined) return;
    switch (cmd.type) {
      case CommandType.MESSAGE: {
        const l = this.consumers.get(cmd.body.consumerId);
        if (l && frame.payloadStart >= 0) l.onMessage(cmd.body, data, frame.payloadStart, this);
        return;
      }
      case CommandType.SEND_RECEIPT:
        this.producers.get(cmd.body.producerId)?.onSendReceipt(cmd.body);
        return;
      case CommandType.SEND_ERROR:
        this.producers.get(cmd.body.producerId)?.onSendError(cmd.body);
        return;
      case CommandType.PING:
        // Answer before anything slow (pitfall: a late PONG gets the connection dropped).
        this.write(encodeCommandFrame({ type: CommandType.PONG, body: {} }));
        return;
      case CommandType.PONG:
        return;
      case CommandType.CONNECTED:
        this.onConnected(cmd.body);
        return;
      case CommandType.SUCCESS:
      case CommandType.PRODUCER_SUCCESS:
      case CommandType.LOOKUP_RESPONSE:
      case CommandType.PARTITIONED_METADATA_RESPONSE:
      case CommandType.GET_LAST_MESSAGE_ID_RESPONSE:
      case CommandType.GET_TOPICS_OF_NAMESPACE_RESPONSE:
        this.onResponse(cmd);
        return;
      case CommandType.ERROR: {
        const err = fromServerError(cmd.body.error, cmd.body.message);
        if (this.handshake) {
          this.handshake.reject(err);
          this.handshake = undefined;
          this.close(err);
          return;
        }
        this.completeRequest(cmd.body.requestId, undefined, err);
        return;
      }
      case CommandType.CLOSE_PRODUCER: {
        const l = this.producers.get(cmd.body.producerId);
        this.producers.delete(cmd.body.producerId);
        l?.onClosedByBroker(cmd.body);
        return;
      }
      case CommandType.CLOSE_CONSUMER: {
        const l = this.consumers.get(cmd.body.consumerId);
        this.consumers.delete(cmd.body.consumerId);
        l?.onClosedByBroker(cmd.body);
        return;
      }
      case CommandType.TOPIC_MIGRATED: {
        const id = cmd.body.resourceId;
        if (cmd.body.resourceType === 0) {
          const l = this.producers.get(id);
          this.producers.delete(id);
          l?.onClosedByBroker(cmd.body);
        } else {
          const l = this.consumers.get(id);
          this.consumers.delete(id);
          l?.onClosedByBroker(cmd.body);
        }
        return;
      }
      case CommandType.ACTIVE_CONSUMER_CHANGE:
        this.consumers.get(cmd.body.consumerId)?.onActiveConsumerChange?.(cmd.body);
        return;
      case CommandType.REACHED_END_OF_TOPIC:
        this.consumers.get(cmd.body.consumerId)?.onReachedEndOfTopic?.();
        return;
      case CommandType.ACK_RESPONSE:
        // The answer to an ACK sent with a request id (ack receipts).
        if (cmd.body.requestId !== undefined)
          this.completeRequest(
            cmd.body.requestId,
            cmd.body,
            cmd.body.error !== undefined ? fromServerError(cmd.body.error, cmd.body.message) : undefined,
          );
        return;
      case CommandType.AUTH_CHALLENGE:
        this.answerAuthChallenge();
        return;
      default:
        // Commands we never asked for (or newer than we know): ignore rather than drop the connection.
        return;
    }
  }

  private onConnected(c: CommandConnected): void {
    this.serverVersion = c.serverVersion;
    this.protocolVersion = Math.min(PROTOCOL_VERSION, c.protocolVersion ?? 0);
    if (c.maxMessageSize !== undefined && c.maxMessageSize > 0) this.maxMessageSize = c.maxMessageSize;
    this.decoder.maxFrameSize = this.maxMessageSize + FRAME_PADDING;
    const hs = this.handshake;
    this.handshake = undefined;
    this.startKeepAlive();
    hs?.resolve(undefined);
  }

  private answerAuthChallenge(): void {
    const auth = this.opts.auth;
    if (!auth) return;
    auth
      .authData()
      .then((data) =>
        this.write(
          encodeCommandFrame({
            type: CommandType.AUTH_RESPONSE,
            body: {
              clientVersion: CLIENT_VERSION,
              protocolVersion: PROTOCOL_VERSION,
              response: { authMethodName: auth.methodName, authData: data },
            },
          }),
        ),
      )
      .catch((e: unknown) =>
        this.close(new PulsarError('PULSAR_AUTHENTICATION', `auth refresh failed: ${String(e)}`)),
      );
  }

  private onResponse(cmd: BaseCommand): void {
    switch (cmd.type) {
      case CommandType.PRODUCER_SUCCESS:
        if (cmd.body.producerReady === false) {
          // WaitForExclusive: the producer is queued for exclusive access; keep waiting without a timeout
          // until the broker sends a second PRODUCER_SUCCESS.
          const p = this.requests.get(cmd.body.requestId);
          if (p?.timer) clearTimeout(p.timer);
          if (p) p.timer = undefined;
          return;
        }
        this.completeRequest(cmd.body.requestId, cmd.body);
        return;
      case CommandType.LOOKUP_RESPONSE:
        if (cmd.body.response === LookupType.Failed) {
          this.completeRequest(
            cmd.body.requestId,
            undefined,
            fromServerError(cmd.body.error, cmd.body.message),
          );
        } else this.completeRequest(cmd.body.requestId, cmd.body);
        return;
      case CommandType.PARTITIONED_METADATA_RESPONSE:
        if (cmd.body.response === 1) {
          this.completeRequest(
            cmd.body.requestId,
            undefined,
            fromServerError(cmd.body.error, cmd.body.message),
          );
        } else this.completeRequest(cmd.body.requestId, cmd.body);
        return;
      case CommandType.SUCCESS:
      case CommandType.GET_LAST_MESSAGE_ID_RESPONSE:
      case CommandType.GET_TOPICS_OF_NAMESPACE_RESPONSE:
        this.completeRequest(cmd.body.requestId, cmd.body);
        return;
      default:
        return;
    }
  }

  private completeRequest(requestId: number, body: unknown, err?: Error): void {
    const p = this.requests.get(requestId);
    if (!p) return;
    this.requests.delete(requestId);
    if (p.timer) clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(body);
  }

  /**
   * Sends a command carrying a `requestId` and resolves with the broker's response body (SUCCESS,
   * PRODUCER_SUCCESS, LOOKUP_RESPONSE, …) or rejects with its ERROR mapped to a {@link PulsarError}.
   */
  request<T>(
    cmd: BaseCommand & { body: { requestId: number } },
    timeoutMs = this.opts.operationTimeoutMs,
  ): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const requestId = cmd.body.requestId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.requests.delete(requestId);
        reject(
          new PulsarError(
            'PULSAR_TIMEOUT',
            `request ${requestId} (type ${cmd.type}) timed out after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      this.requests.set(requestId, {
        resolve: resolve as (b: unknown) => void,
        reject,
        timer,
        what: String(cmd.type),
      });
      this.write(encodeCommandFrame(cmd));
    });
  }

  /** Sends a command that has no response (FLOW, ACK, REDELIVER, PING). */
  send(cmd: BaseCommand): void {
    this.write(encodeCommandFrame(cmd));
  }

  /**
   * Queues raw frame bytes. Everything queued during one turn of the event loop is written together:
   * many small SENDs, ACKs and FLOWs become one syscall instead of one each. The flush runs in the
   * loop's check phase (setImmediate), after every callback and promise of the turn — a nextTick
   * flush would run before the promise continuations that write the next frames, and each of those
   * would take a syscall of its own.
   */
  write(...bufs: Uint8Array[]): void {
    if (this.closedWith) return;
    for (const b of bufs) {
      this.outQueue.push(b as Buffer);
      this.outQueueBytes += b.length;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushWrites());
    }
  }

  private flushWrites(): void {
    this.flushScheduled = false;
    const q = this.outQueue;
    if (q.length === 0 || this.closedWith) return;
    this.outQueue = [];
    this.outQueueBytes = 0;
    if (q.length === 1) {
      this.socket.write(q[0]!);
      return;
    }
    this.socket.cork();
    for (const b of q) this.socket.write(b);
    this.socket.uncork();
  }

  /** Bytes queued on this connection that the kernel has not taken yet. */
  get bufferedBytes(): number {
    return this.outQueueBytes + (this.socket?.writableLength ?? 0);
  }

  /** True while more than {@link WRITE_BACKLOG_LIMIT_BYTES} wait to be written: producers hold off. */
  get writeBacklogged(): boolean {
    return this.closedWith !== undefined || this.bufferedBytes >= WRITE_BACKLOG_LIMIT_BYTES;
  }

  private onDrain(): void {
    // Each producer on the connection writes until the backlog is full again; who goes first rotates,
    // so a busy producer cannot keep the others' frames waiting.
    const listeners = [...this.producers.values()];
    const n = listeners.length;
    const first = n > 0 ? this.drainTurn++ % n : 0;
    for (let i = 0; i < n && !this.writeBacklogged; i++) listeners[(first + i) % n]!.onWritable();
  }

  registerProducer(id: number, l: ProducerListener): void {
    this.producers.set(id, l);
  }
  removeProducer(id: number): void {
    this.producers.delete(id);
  }
  /** False once the broker closed the producer (or the connection died) after registration. */
  hasProducer(id: number, l: ProducerListener): boolean {
    return this.producers.get(id) === l;
  }
  hasConsumer(id: number, l: ConsumerListener): boolean {
    return this.consumers.get(id) === l;
  }
  registerConsumer(id: number, l: ConsumerListener): void {
    this.consumers.set(id, l);
  }
  removeConsumer(id: number): void {
    this.consumers.delete(id);
  }

  /** Registers a callback for when this connection closes (the pool uses it to forget the connection). */
  onClose(cb: (cnx: Connection, err: PulsarError) => void): void {
    if (this.closedWith) cb(this, this.closedWith);
    else this.closeListeners.push(cb);
  }

  private startKeepAlive(): void {
    const interval = this.opts.keepAliveIntervalMs;
    if (interval <= 0) return;
    this.keepAliveTimer = setInterval(() => {
      // Nothing (not even a PONG) for two intervals: the peer or the path is dead even if TCP says not.
      if (Date.now() - this.lastReceived > 2 * interval) {
        this.close(
          new PulsarError(
            'PULSAR_CONNECTION_CLOSED',
            `no data from ${this.logicalAddress} for ${2 * interval} ms`,
          ),
        );
        return;
      }
      this.send({ type: CommandType.PING, body: {} });
    }, interval);
    this.keepAliveTimer.unref();
  }

  /** Closes the socket and fails everything waiting on it; listeners are told so they can reconnect. */
  close(err: PulsarError = new PulsarError('PULSAR_CONNECTION_CLOSED', 'connection closed by client')): void {
    if (this.closedWith) return;
    this.closedWith = err;
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.socket?.destroy();
    if (this.handshake) {
      this.handshake.reject(err);
      this.handshake = undefined;
    }
    const closedErr =
      err.code === 'PULSAR_CONNECTION_CLOSED'
        ? err
        : new PulsarError('PULSAR_CONNECTION_CLOSED', err.message, { cause: err });
    for (const [, p] of this.requests) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(closedErr);
    }
    this.requests.clear();
    const producers = [...this.producers.values()];
    const consumers = [...this.consumers.values()];
    this.producers.clear();
    this.consumers.clear();
    for (const l of producers) l.onConnectionClosed(this);
    for (const l of consumers) l.onConnectionClosed(this);
    for (const cb of this.closeListeners.splice(0)) cb(this, err);
  }
}
