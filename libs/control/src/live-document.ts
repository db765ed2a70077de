import type { Bus } from '@patternmesh/bus';
import { AttributeKeys, pipelineMetrics } from '@patternmesh/telemetry';
import { DocumentInvalidError, type DocumentKind, type Versioned } from './document';
import { watchDocuments, type FileDocument } from './file-source';
import { DocumentHolder, documentDigest, type Current } from './holder';
import { ControlTopicReader, publishDocument, publishFileRecord } from './topic-source';

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
  /** How long `publish` waits to read its document back before giving up. Default 10 s. */
  readonly publishTimeoutMs?: number;
}

/** Publishing worked but the document did not come back in time: retry (it may still apply). */
export class PublishTimeoutError extends Error {
  constructor(readonly version: string) {
    super(`document ${version} was published but not read back in time`);
    this.name = 'PublishTimeoutError';
  }
}

/**
 * One kind of live configuration in a replica. The compacted control topic is the one order every
 * replica follows: admin calls publish there, and so does a replica whose mounted file changed (or
 * whose file holds content the cluster has not seen yet, checked at start against the topic's `file`
 * record). So every replica — running or restarted — ends on the same document: the latest change,
 * from either source. A document that fails validation never replaces a good one; it is logged and
 * counted. Before the topic is read the file's document (or the built-in one) is in force.
 */
export class LiveDocument<T> {
  readonly holder: DocumentHolder<T>;
  private readonly reader: ControlTopicReader;
  private watcher: { close(): void } | undefined;
  /** Callers waiting for a document (by digest) to come back from the topic. */
  private readonly waiting = new Map<string, Set<() => void>>();
  /** Digest of the last file content the cluster has seen (the topic's `file` record). */
  private clusterFileDigest: string | undefined;
  /** Digest of the file content this replica last looked at. */
  private localFileDigest: string | undefined;
  private started = false;
  private failure: Error | undefined;

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
          'document refused: the one in force stays',
        );
      },
    });
    this.reader = new ControlTopicReader(options.bus, options.topic, {
      onDocument: ({ json, id, origin }) => {
        const result = this.holder.offer(json, {
          source: origin === 'file' ? 'file' : 'topic',
          detail: `${options.topic} ${id}`,
        });
        if (result.outcome !== 'rejected') this.release(result.digest);
      },
      onFileRecord: (digest) => {
        this.clusterFileDigest = digest;
      },
      onUnreadable: (messageId, error) =>
        this.holder.refuse([`not JSON: ${error}`], { source: 'topic', detail: messageId }),
      onError: (error) => {
        this.failure = error;
        options.logger.error({ err: error, topic: options.topic }, 'control topic reader stopped');
      },
    });
  }

  get current(): Current<T> {
    return this.holder.current;
  }

  /** False once the topic reader stopped: the replica would no longer converge (turn not-ready). */
  get healthy(): boolean {
    return this.failure === undefined;
  }

  /**
   * Puts the file's document in force (if any), reads the control topic up to now, then tells the
   * cluster about file content it has not seen. Resolves when this replica is up to date.
   */
  async start(): Promise<void> {
    let initialFile: FileDocument[] = [];
    if (this.options.path) {
      this.watcher = watchDocuments(this.options.path, (documents) => {
        if (!this.started) initialFile = documents;
        else void this.fileChanged(documents);
      });
      // The file is the fallback until the topic is read (and the only source if the topic is empty).
      const candidate = this.fileCandidate(initialFile);
      if (candidate) this.holder.offer(candidate.json, { source: 'file', detail: candidate.file });
    }
    try {
      await this.reader.start();
    } catch (error) {
      this.watcher?.close();
      this.watcher = undefined;
      throw error;
    }
    this.started = true;
    if (this.options.path) await this.fileChanged(initialFile);
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    await this.reader.stop();
    for (const waiters of this.waiting.values()) for (const release of waiters) release();
    this.waiting.clear();
  }

  /**
   * Validates a document and publishes it to the control topic, then waits until this replica has
   * read it back and put it in force (every other replica reads the same message).
   * @throws DocumentInvalidError before publishing anything when the document is invalid, or when it
   *   reuses the version in force for different content.
   * @throws PublishTimeoutError when it was published but not read back in time.
   */
  async publish(value: T): Promise<string> {
    const json = this.options.kind.toJson(value);
    const { version } = this.options.kind.parse(json);
    const digest = documentDigest(this.options.kind, value);
    const current = this.holder.current;
    if (version === current.version && digest !== current.digest) {
      throw new DocumentInvalidError(this.options.kind.kind, [
        `version "${version}" is in force with different content: give the new document a new version`,
      ]);
    }
    await this.publishAndWait(json, digest, version, 'api');
    return version;
  }

  private async publishAndWait(json: unknown, digest: string, version: string, origin: 'api' | 'file') {
    let release!: () => void;
    const back = new Promise<void>((resolve) => (release = resolve));
    const waiters = this.waiting.get(digest) ?? new Set();
    waiters.add(release);
    this.waiting.set(digest, waiters);
    let timer: NodeJS.Timeout | undefined;
    try {
      await publishDocument(this.options.bus, this.options.topic, json, origin);
      await Promise.race([
        back,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new PublishTimeoutError(version)),
            this.options.publishTimeoutMs ?? 10_000,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      waiters.delete(release);
      if (waiters.size === 0 && this.waiting.get(digest) === waiters) this.waiting.delete(digest);
    }
  }

  /** The document a file source holds: the last valid one, in name order (invalid ones are refused). */
  private fileCandidate(
    documents: readonly FileDocument[],
  ): { file: string; json: unknown; digest: string } | undefined {
    let candidate: { file: string; json: unknown; digest: string } | undefined;
    for (const document of documents) {
      const origin = { source: 'file' as const, detail: document.file };
      if ('error' in document) {
        this.holder.refuse([document.error], origin);
        continue;
      }
      const checked = this.holder.validate(document.json, origin);
      if ('digest' in checked)
        candidate = { file: document.file, json: document.json, digest: checked.digest };
    }
    return candidate;
  }

  /** A file event: act only on content that changed here and that the cluster has not seen. */
  private async fileChanged(documents: readonly FileDocument[]): Promise<void> {
    const candidate = this.fileCandidate(documents);
    if (!candidate || candidate.digest === this.localFileDigest) return;
    this.localFileDigest = candidate.digest;
    if (candidate.digest === this.clusterFileDigest) return;
    try {
      const { version } = this.options.kind.parse(candidate.json);
      await this.publishAndWait(candidate.json, candidate.digest, version, 'file');
      await publishFileRecord(this.options.bus, this.options.topic, candidate.digest);
      this.clusterFileDigest = candidate.digest;
    } catch (error) {
      // The next file event (or restart) tries again.
      this.localFileDigest = undefined;
      this.options.logger.warn({ err: error, file: candidate.file }, 'could not publish the file document');
    }
  }

  private release(digest: string): void {
    for (const release of this.waiting.get(digest) ?? []) release();
    this.waiting.delete(digest);
  }
}
