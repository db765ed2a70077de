import { randomUUID } from 'node:crypto';
import type { Bus, Subscription } from '@patternmesh/bus';
import { ControlProps } from '@patternmesh/pattern';

/** Message key of a kind's document on its control topic (compaction keeps the latest per key). */
export const DOCUMENT_KEY = 'document';
/** Key of the markers replicas publish to learn they have read everything before them. */
const SYNC_KEY = 'sync';

/**
 * Follows a compacted control topic: replays the latest document, then every new one. `start()`
 * resolves only once everything published before it has been read: it publishes a marker and waits
 * to read it back, so a replica never starts working on a stale document.
 */
export class ControlTopicReader {
  private subscription: Subscription | undefined;

  constructor(
    private readonly bus: Bus,
    readonly topic: string,
    private readonly onDocument: (json: unknown, messageId: string) => void,
    private readonly onUnreadable: (messageId: string, error: string) => void,
  ) {}

  async start(timeoutMs = 30_000): Promise<void> {
    const nonce = randomUUID();
    let synced!: () => void;
    const caughtUp = new Promise<void>((resolve) => (synced = resolve));
    this.subscription = await this.bus.subscribe(
      {
        topic: this.topic,
        // Each replica reads on its own: every one of them must see every document.
        subscription: `control-reader-${randomUUID()}`,
        type: 'Shared',
        durable: false,
        readCompacted: true,
        initialPosition: 'earliest',
        maxInFlight: 1,
      },
      async (message) => {
        if (message.key === SYNC_KEY) {
          if (message.properties[ControlProps.sync] === nonce) synced();
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(Buffer.from(message.payload).toString('utf8'));
        } catch (error) {
          this.onUnreadable(message.id, (error as Error).message);
          return;
        }
        this.onDocument(json, message.id);
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`control topic ${this.topic}: not caught up within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await this.bus.publish(this.topic, {
        key: SYNC_KEY,
        payload: new Uint8Array(),
        properties: { [ControlProps.sync]: nonce },
      });
      await Promise.race([caughtUp, timeout]);
    } catch (error) {
      // Not started: leave nothing subscribed behind.
      await this.stop().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }
}

/** Publishes a document (its JSON form) as the kind's current one; resolves on the bus's receipt. */
export async function publishDocument(bus: Bus, topic: string, json: unknown): Promise<string> {
  return bus.publish(topic, {
    key: DOCUMENT_KEY,
    payload: Buffer.from(JSON.stringify(json), 'utf8'),
    properties: { 'content-type': 'application/json' },
  });
}
