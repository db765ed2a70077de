/**
 * One connection per broker, shared by all producers, consumers and lookups of a client (the protocol's
 * "connection sharing"). Connections are created lazily, and a connection that closes is forgotten so
 * the next user dials a fresh one.
 */
import type { AuthProvider } from './auth';
import { Connection } from './connection';
import type { TlsOptions } from './connection';

export interface PoolOptions {
  tls?: TlsOptions | undefined;
  auth?: AuthProvider | undefined;
  connectionTimeoutMs: number;
  operationTimeoutMs: number;
  keepAliveIntervalMs: number;
}

export class ConnectionPool {
  private readonly conns = new Map<string, Promise<Connection>>();
  private closed = false;

  constructor(private readonly opts: PoolOptions) {}

  /**
   * The connection to `logicalAddress` (dialled at `physicalAddress`, which differs only through a
   * proxy), opening it if needed. Concurrent callers share one dial.
   */
  get(logicalAddress: string, physicalAddress = logicalAddress): Promise<Connection> {
    const key = `${logicalAddress}|${physicalAddress}`;
    const existing = this.conns.get(key);
    if (existing) return existing;
    const p = Connection.connect({ ...this.opts, logicalAddress, physicalAddress });
    this.conns.set(key, p);
    p.then(
      (cnx) => {
        cnx.onClose(() => {
          if (this.conns.get(key) === p) this.conns.delete(key);
        });
        if (this.closed) cnx.close();
      },
      () => {
        if (this.conns.get(key) === p) this.conns.delete(key);
      },
    );
    return p;
  }

  /** Number of open or opening connections (for tests). */
  get size(): number {
    return this.conns.size;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.conns.values()];
    this.conns.clear();
    const settled = await Promise.allSettled(all);
    for (const s of settled) if (s.status === 'fulfilled') s.value.close();
  }
}
