import type { DocumentKind, DocumentOrigin, Versioned } from './document';
import { isDocumentInvalidError } from './document';

/** What happened to one offered document. */
export type OfferResult =
  | { readonly outcome: 'applied'; readonly version: string }
  | { readonly outcome: 'unchanged'; readonly version: string }
  | { readonly outcome: 'rejected'; readonly problems: readonly string[] };

export interface HolderEvents {
  onApplied?(kind: string, version: string, origin: DocumentOrigin): void;
  onRejected?(kind: string, problems: readonly string[], origin: DocumentOrigin): void;
}

/**
 * The document of one kind in force, swapped atomically: a reader gets either the old or the new
 * one, never half of each. An offered document is validated first; one that fails never replaces a
 * good one (the failure is reported, the current version stays). Offering the version already in
 * force changes nothing.
 */
export class DocumentHolder<T> {
  #current: Versioned<T> & { origin: DocumentOrigin };
  readonly #listeners = new Set<(current: Versioned<T>) => void>();

  constructor(
    readonly kind: DocumentKind<T>,
    initial: Versioned<T>,
    private readonly events: HolderEvents = {},
  ) {
    this.#current = { ...initial, origin: { source: 'built-in' } };
  }

  get current(): Versioned<T> & { readonly origin: DocumentOrigin } {
    return this.#current;
  }

  /** Validates `json` and puts it in force when it is valid and a different version. */
  offer(json: unknown, origin: DocumentOrigin): OfferResult {
    let parsed: Versioned<T>;
    try {
      parsed = this.kind.parse(json);
    } catch (error) {
      const problems = isDocumentInvalidError(error) ? error.problems : [(error as Error).message];
      this.events.onRejected?.(this.kind.kind, problems, origin);
      return { outcome: 'rejected', problems };
    }
    if (parsed.version === this.#current.version) return { outcome: 'unchanged', version: parsed.version };
    this.#current = { ...parsed, origin };
    this.events.onApplied?.(this.kind.kind, parsed.version, origin);
    for (const listener of this.#listeners) listener(this.#current);
    return { outcome: 'applied', version: parsed.version };
  }

  /** Reports a document that could not even be read (not JSON, unreadable file); nothing changes. */
  refuse(problems: readonly string[], origin: DocumentOrigin): OfferResult {
    this.events.onRejected?.(this.kind.kind, problems, origin);
    return { outcome: 'rejected', problems };
  }

  /** Told after every swap (the router rebuilds its compiled table here). */
  onChange(listener: (current: Versioned<T>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
