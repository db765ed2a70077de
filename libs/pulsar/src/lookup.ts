/**
 * Topic lookup over the binary protocol: PARTITIONED_METADATA (is the topic partitioned, and how many
 * partitions?) and LOOKUP (which broker owns it?), following Redirect answers to the named broker with
 * the `authoritative` flag it returned, up to 20 hops as the Go client does.
 */
import type { ConnectionPool } from './connection-pool';
import { PulsarError } from './errors';
import type {
  CommandGetTopicsOfNamespaceResponse,
  CommandLookupTopicResponse,
  CommandPartitionedTopicMetadataResponse,
} from './proto/commands';
import { CommandType, LookupType } from './proto/commands';

export const MAX_LOOKUP_REDIRECTS = 20;

/** Where a topic lives. */
export interface BrokerAddress {
  /** The owning broker's URL (pool key; what the broker calls itself). */
  logicalAddress: string;
  /** Where to dial: the broker itself, or the service URL when the answer says to go through a proxy. */
  physicalAddress: string;
}

export class LookupService {
  private next = 0;

  constructor(
    private readonly pool: ConnectionPool,
    /** Service URLs (a comma-separated service URL splits into several; tried in turn on failure). */
    private readonly serviceUrls: readonly string[],
    private readonly useTls: boolean,
    private readonly newRequestId: () => number,
  ) {}

  /**
   * The broker a CLOSE_PRODUCER / CLOSE_CONSUMER (topic transferred by the load manager) or
   * TOPIC_MIGRATED (topic moved to another cluster) names as the topic's new home, in the scheme this
   * client uses; undefined when it names none, and the next connect looks the topic up as usual.
   */
  assignedBroker(cmd: {
    assignedBrokerServiceUrl?: string;
    assignedBrokerServiceUrlTls?: string;
    brokerServiceUrl?: string;
    brokerServiceUrlTls?: string;
  }): string | undefined {
    const url = this.useTls
      ? (cmd.assignedBrokerServiceUrlTls ?? cmd.brokerServiceUrlTls)
      : (cmd.assignedBrokerServiceUrl ?? cmd.brokerServiceUrl);
    return url || undefined;
  }

  /** A service URL to talk to; rotates after failures so a dead host in the list is skipped. */
  private serviceUrl(): string {
    return this.serviceUrls[this.next % this.serviceUrls.length]!;
  }

  private rotate(): void {
    this.next++;
  }

  /** Number of partitions of `topic` (0 when it is not partitioned). */
  async partitions(topic: string): Promise<number> {
    try {
      const cnx = await this.pool.get(this.serviceUrl());
      const res = await cnx.request<CommandPartitionedTopicMetadataResponse>({
        type: CommandType.PARTITIONED_METADATA,
        body: { topic, requestId: this.newRequestId(), metadataAutoCreationEnabled: true },
      });
      return res.partitions ?? 0;
    } catch (e) {
      this.rotate();
      throw e;
    }
  }

  /**
   * Topics of `namespace` (`tenant/ns`) in the given domain mode (GET_TOPICS_OF_NAMESPACE). Partitioned
   * topics appear as their `-partition-N` topics. Any broker can answer.
   */
  async topicsOfNamespace(namespace: string, mode: number): Promise<CommandGetTopicsOfNamespaceResponse> {
    try {
      const cnx = await this.pool.get(this.serviceUrl());
      return await cnx.request<CommandGetTopicsOfNamespaceResponse>({
        type: CommandType.GET_TOPICS_OF_NAMESPACE,
        body: { requestId: this.newRequestId(), namespace, mode },
      });
    } catch (e) {
      this.rotate();
      throw e;
    }
  }

  /** Finds the broker serving `topic`. */
  async lookup(topic: string): Promise<BrokerAddress> {
    const service = this.serviceUrl();
    let url = service;
    let authoritative = false;
    try {
      for (let hop = 0; hop <= MAX_LOOKUP_REDIRECTS; hop++) {
        const cnx = await this.pool.get(url);
        const res: CommandLookupTopicResponse = await cnx.request<CommandLookupTopicResponse>({
          type: CommandType.LOOKUP,
          body: { topic, requestId: this.newRequestId(), authoritative },
        });
        const target = this.useTls ? res.brokerServiceUrlTls : res.brokerServiceUrl;
        if (!target)
          throw new PulsarError(
            'PULSAR_LOOKUP',
            `lookup of ${topic} returned no ${this.useTls ? 'TLS ' : ''}broker URL`,
          );
        if (res.response === LookupType.Redirect) {
          url = target;
          authoritative = res.authoritative ?? false;
          continue;
        }
        return { logicalAddress: target, physicalAddress: res.proxyThroughServiceUrl ? service : target };
      }
    } catch (e) {
      this.rotate();
      throw e;
    }
    throw new PulsarError(
      'PULSAR_TOO_MANY_REDIRECTS',
      `lookup of ${topic} exceeded ${MAX_LOOKUP_REDIRECTS} redirects`,
      {
        retryable: true,
      },
    );
  }
}
