/**
 * What producers and consumers need from their client, as an interface so that they do not import
 * `client.ts` (which imports them).
 */
import type { ConnectionPool } from './connection-pool';
import type { LookupService } from './lookup';
import type { MemoryLimit } from './memory-limit';

/** Anything the client must close on shutdown. */
export interface Closable {
  close(): Promise<void>;
}

/** Logger hook; defaults to silent. */
export interface PulsarLogger {
  debug(msg: string, ctx?: Record<string, unknown>): void;
  info(msg: string, ctx?: Record<string, unknown>): void;
  warn(msg: string, ctx?: Record<string, unknown>): void;
  error(msg: string, ctx?: Record<string, unknown>): void;
}

export const silentLogger: PulsarLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

export interface ClientContext {
  readonly pool: ConnectionPool;
  readonly lookup: LookupService;
  readonly operationTimeoutMs: number;
  /** How often producers and consumers of partitioned topics look for added partitions (0: never). */
  readonly partitionDiscoveryIntervalMs: number;
  /** The byte budget every producer of the client reserves its pending messages from. */
  readonly memory: MemoryLimit;
  readonly log: PulsarLogger;
  newRequestId(): number;
  newProducerId(): number;
  newConsumerId(): number;
  track(c: Closable): void;
  untrack(c: Closable): void;
  readonly closed: boolean;
}
