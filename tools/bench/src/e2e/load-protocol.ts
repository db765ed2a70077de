/** What the bench asks the load-generator process to do, and what it answers (over IPC). */
export type Transport = 'ndjson' | 'unary' | 'grpc';

export interface LoadJob {
  readonly transport: Transport;
  /** REST base URL (`http://127.0.0.1:port`) or, for grpc, `127.0.0.1:port`. */
  readonly target: string;
  /** REST path for `unary`; the peer and the hello-world server take the same bodies elsewhere. */
  readonly path?: string;
  readonly apiKey: string;
  readonly seconds: number;
  /** Events per second; 0 = as fast as the target answers (closed loop, `concurrency` in flight). */
  readonly rate: number;
  /** Requests (or stream messages for grpc) in flight at most. */
  readonly concurrency: number;
  /** Patterns per NDJSON request. */
  readonly batch: number;
  readonly entities: number;
  /** First sequence number, so consecutive phases send different patterns. */
  readonly firstSeq: number;
  /** Send back every acknowledged id (the checker needs them; hello-world and peer runs do not). */
  readonly collectIds: boolean;
}

export interface LoadResult {
  readonly requests: number;
  /** Patterns the target acknowledged with an id (2xx and a per-item id). */
  readonly acked: number;
  /** Patterns the target refused or failed (error items, non-2xx, transport errors). */
  readonly failed: number;
  readonly firstError?: string;
  readonly elapsedMs: number;
  /** Acknowledged ids, newline-separated (only with `collectIds`). */
  readonly ids?: string;
}
