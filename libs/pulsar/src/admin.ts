/**
 * A small client for the Pulsar admin REST API (`/admin/v2`), built on `fetch`. It covers what the
 * platform needs: topic stats for autoscaling (KEDA reads the same `msgBacklog` fields), topic and
 * namespace set-up, and namespace policies (de-duplication, retention, backlog quota).
 */
import { tokenAuth } from './auth';
import type { AuthProvider, TokenSource } from './auth';
import { PulsarError } from './errors';
import { parseTopicName, topicRestPath } from './topic-name';

export interface PulsarAdminOptions {
  /** Web service URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  authToken?: TokenSource;
  /** Per-request timeout (default 30 000 ms). */
  timeoutMs?: number;
}

/** Subset of topic stats (the broker returns more; all fields are passed through). */
export interface SubscriptionStats {
  msgBacklog: number;
  msgBacklogNoDelayed?: number;
  msgRateOut: number;
  unackedMessages: number;
  type: string;
  blockedSubscriptionOnUnackedMsgs?: boolean;
  consumers: Record<string, unknown>[];
  [k: string]: unknown;
}
export interface TopicStats {
  msgRateIn: number;
  msgRateOut: number;
  msgThroughputIn: number;
  msgThroughputOut: number;
  msgInCounter: number;
  bytesInCounter: number;
  averageMsgSize: number;
  storageSize: number;
  backlogSize: number;
  publishers: Record<string, unknown>[];
  subscriptions: Record<string, SubscriptionStats>;
  deduplicationStatus?: string;
  [k: string]: unknown;
}
export interface PartitionedTopicStats extends TopicStats {
  metadata: { partitions: number };
  partitions?: Record<string, TopicStats>;
}

export interface RetentionPolicy {
  retentionTimeInMinutes: number;
  retentionSizeInMB: number;
}
export interface BacklogQuota {
  /** Bytes (−1 unlimited). */
  limitSize?: number;
  /** Seconds (−1 unlimited). */
  limitTime?: number;
  policy: 'producer_request_hold' | 'producer_exception' | 'consumer_backlog_eviction';
}

/** A topic's schema as the registry holds it (`GET /admin/v2/schemas/…/schema`). */
export interface TopicSchema {
  version: number;
  /** Type name, e.g. `PROTOBUF_NATIVE`, `JSON`, `STRING`. */
  type: string;
  data: string;
  properties: Record<string, string>;
  timestamp?: number;
  [k: string]: unknown;
}

function splitNamespace(ns: string): [string, string] {
  const parts = ns.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `namespace must be 'tenant/ns', got '${ns}'`);
  return [encodeURIComponent(parts[0]), encodeURIComponent(parts[1])];
}

export class PulsarAdmin {
  private readonly base: string;
  private readonly auth: AuthProvider | undefined;
  private readonly timeoutMs: number;

  constructor(opts: PulsarAdminOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.auth = opts.authToken !== undefined ? tokenAuth(opts.authToken) : undefined;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** Low-level request; returns parsed JSON (or undefined for empty bodies). 404 → PULSAR_TOPIC_NOT_FOUND. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    okStatuses: readonly number[] = [],
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = await this.auth?.httpHeader();
    if (auth) headers.authorization = auth;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new PulsarError('PULSAR_ADMIN', `${method} ${path}: ${(e as Error).message}`, {
        cause: e,
        retryable: true,
      });
    }
    const text = await res.text();
    if (!res.ok && !okStatuses.includes(res.status)) {
      let reason = text;
      try {
        reason = (JSON.parse(text) as { reason?: string }).reason ?? text;
      } catch {
        // plain-text error body
      }
      const code =
        res.status === 404
          ? 'PULSAR_TOPIC_NOT_FOUND'
          : res.status === 401
            ? 'PULSAR_AUTHENTICATION'
            : res.status === 403
              ? 'PULSAR_AUTHORIZATION'
              : 'PULSAR_ADMIN';
      throw new PulsarError(code, `${method} ${path} → ${res.status}: ${reason}`, {
        status: res.status,
        retryable: res.status >= 500 || res.status === 429,
      });
    }
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }

  // ---- topics ----

  topicStats(topic: string): Promise<TopicStats> {
    return this.request('GET', `/admin/v2/${topicRestPath(topic)}/stats`);
  }

  partitionedTopicStats(topic: string, perPartition = false): Promise<PartitionedTopicStats> {
    return this.request(
      'GET',
      `/admin/v2/${topicRestPath(topic)}/partitioned-stats?perPartition=${perPartition}`,
    );
  }

  internalStats(topic: string): Promise<Record<string, unknown>> {
    return this.request('GET', `/admin/v2/${topicRestPath(topic)}/internalStats`);
  }

  /** Creates a partitioned topic (409 "already exists" is not an error). */
  async createPartitionedTopic(topic: string, partitions: number): Promise<void> {
    await this.request('PUT', `/admin/v2/${topicRestPath(topic)}/partitions`, partitions, [409]);
  }

  /** Raises a partitioned topic's partition count (Pulsar cannot lower it). */
  async updatePartitionedTopic(topic: string, partitions: number): Promise<void> {
    await this.request('POST', `/admin/v2/${topicRestPath(topic)}/partitions`, partitions);
  }

  /** Creates a non-partitioned topic (409 is not an error). */
  async createTopic(topic: string): Promise<void> {
    await this.request('PUT', `/admin/v2/${topicRestPath(topic)}`, undefined, [409]);
  }

  /** `{ partitions: 0 }` for a non-partitioned topic. */
  getPartitionedMetadata(topic: string): Promise<{ partitions: number }> {
    return this.request('GET', `/admin/v2/${topicRestPath(topic)}/partitions`);
  }

  /** Deletes a topic, partitioned or not (404 is not an error). */
  async deleteTopic(topic: string, force = true): Promise<void> {
    const meta = await this.getPartitionedMetadata(topic).catch(() => ({ partitions: 0 }));
    const path = meta.partitions > 0 ? `${topicRestPath(topic)}/partitions` : topicRestPath(topic);
    await this.request('DELETE', `/admin/v2/${path}?force=${force}`, undefined, [404]);
  }

  subscriptions(topic: string): Promise<string[]> {
    return this.request('GET', `/admin/v2/${topicRestPath(topic)}/subscriptions`);
  }

  async createSubscription(
    topic: string,
    subscription: string,
    position: 'earliest' | 'latest' = 'latest',
  ): Promise<void> {
    const id =
      position === 'earliest'
        ? { ledgerId: -1, entryId: -1 }
        : { ledgerId: Number.MAX_SAFE_INTEGER, entryId: Number.MAX_SAFE_INTEGER };
    await this.request(
      'PUT',
      `/admin/v2/${topicRestPath(topic)}/subscription/${encodeURIComponent(subscription)}`,
      id,
      [409],
    );
  }

  async deleteSubscription(topic: string, subscription: string, force = true): Promise<void> {
    await this.request(
      'DELETE',
      `/admin/v2/${topicRestPath(topic)}/subscription/${encodeURIComponent(subscription)}?force=${force}`,
      undefined,
      [404],
    );
  }

  /** Unloads a topic from its broker: producers and consumers get CLOSE_* and reconnect. */
  async unloadTopic(topic: string): Promise<void> {
    await this.request('PUT', `/admin/v2/${topicRestPath(topic)}/unload`);
  }

  /**
   * Terminates a topic: no more messages can be published to it (producers fail with
   * TopicTerminated), and consumers that read everything get REACHED_END_OF_TOPIC.
   */
  async terminateTopic(topic: string): Promise<void> {
    await this.request('POST', `/admin/v2/${topicRestPath(topic)}/terminate`);
  }

  // ---- tenants and namespaces ----

  clusters(): Promise<string[]> {
    return this.request('GET', '/admin/v2/clusters');
  }

  /** Creates a tenant allowed on `allowedClusters` (default: every cluster). 409 is not an error. */
  async createTenant(
    tenant: string,
    opts: { allowedClusters?: string[]; adminRoles?: string[] } = {},
  ): Promise<void> {
    const allowedClusters = opts.allowedClusters ?? (await this.clusters());
    await this.request(
      'PUT',
      `/admin/v2/tenants/${encodeURIComponent(tenant)}`,
      { allowedClusters, adminRoles: opts.adminRoles ?? [] },
      [409],
    );
  }

  /** Deletes a tenant (its namespaces must be gone, or pass `force` where the broker allows it); 404 is not an error. */
  async deleteTenant(tenant: string, force = false): Promise<void> {
    await this.request(
      'DELETE',
      `/admin/v2/tenants/${encodeURIComponent(tenant)}?force=${force}`,
      undefined,
      [404],
    );
  }

  /** Creates `tenant/ns` (409 is not an error). */
  async createNamespace(namespace: string): Promise<void> {
    const [t, n] = splitNamespace(namespace);
    await this.request('PUT', `/admin/v2/namespaces/${t}/${n}`, undefined, [409]);
  }

  async deleteNamespace(namespace: string, force = false): Promise<void> {
    const [t, n] = splitNamespace(namespace);
    await this.request('DELETE', `/admin/v2/namespaces/${t}/${n}?force=${force}`, undefined, [404]);
  }

  namespaces(tenant: string): Promise<string[]> {
    return this.request('GET', `/admin/v2/namespaces/${encodeURIComponent(tenant)}`);
  }

  topics(namespace: string): Promise<string[]> {
    const [t, n] = splitNamespace(namespace);
    return this.request('GET', `/admin/v2/namespaces/${t}/${n}/topics`);
  }

  /** Turns broker de-duplication on or off for a namespace. */
  async setNamespaceDeduplication(namespace: string, enabled: boolean): Promise<void> {
    const [t, n] = splitNamespace(namespace);
    await this.request('POST', `/admin/v2/namespaces/${t}/${n}/deduplication`, enabled);
  }

  async setRetention(namespace: string, policy: RetentionPolicy): Promise<void> {
    const [t, n] = splitNamespace(namespace);
    await this.request('POST', `/admin/v2/namespaces/${t}/${n}/retention`, policy);
  }

  async setBacklogQuota(
    namespace: string,
    quota: BacklogQuota,
    type: 'destination_storage' | 'message_age' = 'destination_storage',
  ): Promise<void> {
    const [t, n] = splitNamespace(namespace);
    await this.request('POST', `/admin/v2/namespaces/${t}/${n}/backlogQuota?backlogQuotaType=${type}`, {
      limitSize: quota.limitSize ?? -1,
      limitTime: quota.limitTime ?? -1,
      policy: quota.policy,
    });
  }

  /**
   * Bytes a topic of the namespace keeps in BookKeeper before the broker offloads older ledgers to tiered
   * storage (-1: never, 0: as soon as possible). Takes effect where the cluster has an offloader.
   */
  async setOffloadThreshold(namespace: string, bytes: number): Promise<void> {
    const [t, n] = splitNamespace(namespace);
    await this.request('PUT', `/admin/v2/namespaces/${t}/${n}/offloadThreshold`, bytes);
  }

  /** Backlog size in bytes past which the broker compacts a namespace's topics on its own. */
  async setCompactionThreshold(namespace: string, bytes: number): Promise<void> {
    const [t, n] = splitNamespace(namespace);
    await this.request('PUT', `/admin/v2/namespaces/${t}/${n}/compactionThreshold`, bytes);
  }

  /** Starts compaction of a topic now (it runs in the background on the broker). */
  async compact(topic: string): Promise<void> {
    await this.request('PUT', `/admin/v2/${topicRestPath(topic)}/compaction`);
  }

  /** Topic-level de-duplication (needs topic-level policies enabled on the broker). */
  async setTopicDeduplication(topic: string, enabled: boolean): Promise<void> {
    await this.request('POST', `/admin/v2/${topicRestPath(topic)}/deduplicationEnabled`, enabled);
  }

  // ---- schema registry ----

  /**
   * The topic's schema in the registry — the latest, or `version` — or undefined when it has none (a
   * partitioned topic's schema is on its base name). `data` is the definition as text: for
   * PROTOBUF_NATIVE the JSON with the base64 FileDescriptorSet.
   */
  async getSchema(topic: string, version?: number): Promise<TopicSchema | undefined> {
    const t = parseTopicName(topic);
    const path =
      `/admin/v2/schemas/${encodeURIComponent(t.tenant)}/${encodeURIComponent(t.namespace)}/` +
      `${encodeURIComponent(t.local)}/schema${version !== undefined ? `/${version}` : ''}`;
    const res = await this.request<TopicSchema | undefined>('GET', path, undefined, [404]);
    // 404 is the answer for "no schema" (the body then has a reason, not a schema).
    return res && typeof res === 'object' && 'type' in res ? res : undefined;
  }

  /** True once the broker answers its readiness probe. */
  async ready(): Promise<boolean> {
    try {
      await this.request('GET', '/admin/v2/brokers/ready');
      return true;
    } catch {
      return false;
    }
  }

  /** Full topic name helper for callers that hold short names. */
  static fullTopicName(topic: string): string {
    return parseTopicName(topic).full;
  }
}
