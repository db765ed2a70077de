import type { Bus } from '@patternmesh/bus';
import { AttributeKeys, pipelineMetrics } from '@patternmesh/telemetry';
import { DocumentInvalidError, type DocumentKind, type Versioned } from './document';
import { watchDocuments, type FileDocument } from './file-source';
import { DocumentHolder, type OfferResult } from './holder';
import { ControlTopicReader, publishDocument } from './topic-source';

/** The slice of a logger the control plane writes to (pino's satisfies it). */
export interface ControlLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface LiveDocumentOptions<T> {
  readonly kind: DocumentKind<T>;
  /** In force until a source offers a valid document (the built-in default). */
  readonly initial: Versioned<T>;
  readonly bus: Bus;
  /** `persistent://<tenant>/control/<kind>`. */
  readonly topic: string;
  /** A file or directory to watch (a mounted ConfigMap); empty for none. */
  readonly path?: string;
  readonly logger: ControlLogger;
}

/**
 * One kind of live configuration in a replica: the holder of the version in force, fed by the
 * compacted control topic (what the admin APIs publish, so every replica converges on it and a
 * restart keeps it) and by a watched file or directory. Whichever source delivered last wins; a
 * document that fails validation never replaces a good one, it is logged and counted.
 */
export class LiveDocument<T> {
  readonly holder: DocumentHolder<T>;
  private readonly reader: ControlTopicReader;
  private watcher: { close(): void } | undefined;
  /** Callers waiting for a version to come back from the topic (publish → in force here). */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly options: LiveDocumentOptions<T>) {
    const metrics = pipelineMetrics();
    const attrs = (source: string) => ({
      [AttributeKeys.controlKind]: options.kind.kind,
      [AttributeKeys.controlSource]: source,
    });
    this.holder = new DocumentHolder(options.kind, options.initial, {
      onApplied: (kind, version, origin) => {
        metrics.controlApplied.add(1, attrs(origin.source));
        options.logger.info(
          { kind, version, source: origin.source, detail: origin.detail },
          'document in force',
        );
      },
      onRejected: (kind, problems, origin) => {
        metrics.controlRejected.add(1, attrs(origin.source));
        options.logger.error(
          {
            kind,
            problems,
            source: origin.source,
            detail: origin.detail,
            inForce: this.holder.current.version,
          },
          'document refused: the version in force stays',
        );
      },
    });
    this.reader = new ControlTopicReader(
      options.bus,
      options.topic,
      (json, messageId) => {
        const result = this.holder.offer(json, { source: 'topic', detail: messageId });
        if (result.outcome !== 'rejected') this.release(result.version);
      },
      (messageId, error) =>
        this.holder.refuse([`not JSON: ${error}`], { source: 'topic', detail: messageId }),
    );
  }

  get current(): Versioned<T> {
    return this.holder.current;
  }

  /** Reads the file source, then the control topic up to now; resolves when both are in. */
  async start(): Promise<void> {
    if (this.options.path) {
      this.watcher = watchDocuments(this.options.path, (documents) => this.offerFiles(documents));
    }
    try {
      await this.reader.start();
    } catch (error) {
      this.watcher?.close();
      this.watcher = undefined;
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    await this.reader.stop();
  }

  /**
   * Validates a document and publishes it to the control topic, then waits until this replica has
   * read it back and put it in force (every other replica reads the same message).
   * @throws DocumentInvalidError before publishing anything when the document is invalid.
   */
  async publish(value: T, timeoutMs = 10_000): Promise<string> {
    const json = this.options.kind.toJson(value);
    const { version } = this.options.kind.parse(json);
    if (version === this.holder.current.version) return version;
    const inForce = new Promise<void>((resolve) => {
      this.waiting.set(version, [...(this.waiting.get(version) ?? []), resolve]);
    });
    await publishDocument(this.options.bus, this.options.topic, json);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        inForce,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`version ${version} published but not read back within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    return version;
  }

  private offerFiles(documents: readonly FileDocument[]): void {
    for (const document of documents) {
      const origin = { source: 'file' as const, detail: document.file };
      if ('error' in document) {
        this.holder.refuse([document.error], origin);
        continue;
      }
      this.holder.offer(document.json, origin);
    }
  }

  private release(version: string): void {
    for (const resolve of this.waiting.get(version) ?? []) resolve();
    this.waiting.delete(version);
  }
}

export { DocumentInvalidError, type OfferResult };
