import type { Bus, BusMessage, Subscription } from '@patternmesh/bus';
import { ControlProps } from '@patternmesh/pattern';
import { followCompacted } from './compacted';

/**
 * Keys on a control topic. Compaction keeps the latest message per key:
 * - `document`: the document in force (its JSON form);
 * - `file`: the digest of the last file content a replica published, so a replica knows whether the
 *   file it mounts is news to the cluster;
 * - `sync/<nonce>`: one replica's catch-up marker, deleted (an empty payload, a compaction tombstone)
 *   once read back, so markers do not accumulate and no replica can erase another's.
 */
export const ControlKeys = { document: 'document', file: 'file', syncPrefix: 'sync/' } as const;

/** A document message, with what orders it. */
export interface DocumentMessage {
  readonly json: unknown;
  readonly id: string;
  /** Where the document came from (`api`, `file`), as its publisher said. */
  readonly origin: string;
}

export interface ControlTopicHandlers {
  /** A document to offer; during the initial catch-up only the latest one is handed over. */
  onDocument(message: DocumentMessage): void;
  /** The digest of the last file content published to the cluster. */
  onFileRecord(digest: string): void;
  onUnreadable(messageId: string, error: string): void;
  /** The subscription stopped for good (the owner turns not-ready). */
  onError(error: Error): void;
}

/**
 * Follows a compacted control topic: the latest document, then every new one. `start()` resolves only
 * once everything published before it has been read (`followCompacted`) and hands over only the latest document of that history, so a replica never routes by a
 * stale one and never replays old ones. Messages already read (a re-delivery from the start after
 * the reader reconnected) are skipped by their id, whatever the publishers' clocks say.
 */
export class ControlTopicReader {
  private subscription: Subscription | undefined;
  /** Ids of the document and file messages read so far (bounded: control changes are rare). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly bus: Bus,
    readonly topic: string,
    private readonly handlers: ControlTopicHandlers,
  ) {}

  async start(timeoutMs = 30_000): Promise<void> {
    let caughtUp = false;
    let pending: { document?: DocumentMessage; file?: string } = {};

    const deliver = (message: BusMessage): void => {
      if (message.payload.length === 0) return; // a tombstone: nothing to read
      if (this.alreadyHandled(message)) return;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(message.payload).toString('utf8'));
      } catch (error) {
        this.handlers.onUnreadable(message.id, (error as Error).message);
        return;
      }
      if (message.key === ControlKeys.file) {
        const digest = (json as { digest?: unknown } | null)?.digest;
        if (typeof digest !== 'string') return;
        if (caughtUp) this.handlers.onFileRecord(digest);
        else pending.file = digest;
        return;
      }
      const document = { json, id: message.id, origin: message.properties[ControlProps.origin] ?? 'api' };
      if (caughtUp) this.handlers.onDocument(document);
      else pending.document = document; // only the latest of the history counts
    };

    this.subscription = await followCompacted(this.bus, this.topic, {
      markerPrefix: ControlKeys.syncPrefix,
      markerProperties: (nonce) => ({ [ControlProps.sync]: nonce }),
      // Each replica reads on its own: every one of them must see every document.
      subscriptionPrefix: 'control-reader-',
      timeoutMs,
      onMessage: deliver,
      onCaughtUp: () => {
        caughtUp = true;
        if (pending.file !== undefined) this.handlers.onFileRecord(pending.file);
        if (pending.document) this.handlers.onDocument(pending.document);
        pending = {};
      },
      onError: (error) => this.handlers.onError(error),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }

  /** A message read before: the reader re-delivering its history (e.g. after a reconnect). */
  private alreadyHandled(message: BusMessage): boolean {
    if (this.seen.has(message.id)) return true;
    this.seen.add(message.id);
    if (this.seen.size > 100_000) this.seen.delete(this.seen.values().next().value!);
    return false;
  }
}

/** Publishes a document (its JSON form) as the kind's current one; resolves on the bus's receipt. */
export async function publishDocument(
  bus: Bus,
  topic: string,
  json: unknown,
  origin: 'api' | 'file',
): Promise<string> {
  return bus.publish(topic, {
    key: ControlKeys.document,
    payload: Buffer.from(JSON.stringify(json), 'utf8'),
    properties: { [ControlProps.origin]: origin },
  });
}

/** Records on the topic that the cluster has seen this file content. */
export async function publishFileRecord(bus: Bus, topic: string, digest: string): Promise<string> {
  return bus.publish(topic, {
    key: ControlKeys.file,
    payload: Buffer.from(JSON.stringify({ digest }), 'utf8'),
  });
}
