import { randomUUID } from 'node:crypto';
import type { Bus, BusMessage, Subscription } from '@patternmesh/bus';

export interface FollowCompactedOptions {
  /**
   * Key prefix of the catch-up markers on this topic (`<prefix><nonce>`). Every reader of the topic must
   * skip keys with it; the marker is deleted (a compaction tombstone) once read back.
   */
  readonly markerPrefix: string;
  /** Properties on the marker message (so other languages' readers can tell it apart too). */
  readonly markerProperties?: (nonce: string) => Record<string, string>;
  /** Every message that is not a marker, tombstones (empty payloads) included; `live` once caught up. */
  readonly onMessage: (message: BusMessage, live: boolean) => void;
  /** Called once, in delivery order, between the last message of the history and the first live one. */
  readonly onCaughtUp?: () => void;
  /** The subscription stopped for good after it was set up. */
  readonly onError?: (error: Error) => void;
  readonly timeoutMs?: number;
  /** Name prefix of the reader's own subscription (a nonce follows). */
  readonly subscriptionPrefix?: string;
}

/**
 * Reads a compacted topic from its beginning — every key's latest message, possibly older ones first —
 * and resolves only once everything published before the call has been read: it publishes a marker and
 * waits to read it back, so "caught up" never depends on a timeout or on clocks. The subscription stays
 * open (live messages follow) until the caller closes it. Each caller reads on its own non-durable
 * subscription, one message at a time, so order is the topic's.
 */
export async function followCompacted(
  bus: Bus,
  topic: string,
  options: FollowCompactedOptions,
): Promise<Subscription> {
  const nonce = randomUUID();
  const markerKey = `${options.markerPrefix}${nonce}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let live = false;
  let synced!: () => void;
  const synchronized = new Promise<void>((resolve) => (synced = resolve));

  const subscription = await bus.subscribe(
    {
      topic,
      subscription: `${options.subscriptionPrefix ?? 'compacted-reader-'}${nonce}`,
      type: 'Shared',
      durable: false,
      readCompacted: true,
      initialPosition: 'earliest',
      maxInFlight: 1,
      ...(options.onError ? { onError: options.onError } : {}),
    },
    async (message) => {
      if (message.key?.startsWith(options.markerPrefix)) {
        if (message.key === markerKey && !live) {
          live = true;
          options.onCaughtUp?.();
          synced();
        }
        return;
      }
      options.onMessage(message, live);
    },
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await bus.publish(topic, {
      key: markerKey,
      payload: Buffer.from(nonce, 'utf8'),
      ...(options.markerProperties ? { properties: options.markerProperties(nonce) } : {}),
    });
    await Promise.race([
      synchronized,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`compacted topic ${topic}: not caught up within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    // Not caught up: leave nothing subscribed behind.
    await subscription.close().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // The marker did its job: delete it, so compaction drops it (best effort).
  await bus.publish(topic, { key: markerKey, payload: new Uint8Array() }).catch(() => undefined);
  return subscription;
}
