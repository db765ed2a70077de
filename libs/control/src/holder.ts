import { createHash } from 'node:crypto';
import type { DocumentKind, DocumentOrigin, Versioned } from './document';
import { isDocumentInvalidError } from './document';

/** What happened to one offered document. */
export type OfferResult =
  | { readonly outcome: 'applied'; readonly version: string; readonly digest: string }
  | { readonly outcome: 'unchanged'; readonly version: string; readonly digest: string }
  | { readonly outcome: 'rejected'; readonly problems: readonly string[] };

export interface HolderEvents {
  onApplied?(kind: string, version: string, origin: DocumentOrigin): void;
  onRejected?(kind: string, problems: readonly string[], origin: DocumentOrigin): void;
}

/** A document in force, with the digest of its content (what "the same document" means). */
export type Current<T> = Versioned<T> & { readonly digest: string; readonly origin: DocumentOrigin };

/** Identity of a document's content: its JSON form, hashed. The version string is only a label. */
export function documentDigest<T>(kind: DocumentKind<T>, value: T): string {
  return createHash('sha256')
    .update(JSON.stringify(kind.toJson(value)))
    .digest('hex');
}

/**
 * The document of one kind in force, swapped atomically: a reader gets either the old or the new
 * one, never half of each. An offered document is validated first; one that fails never replaces a
 * good one (the failure is reported, the current document stays). Offering the content already in
 * force changes nothing, whatever its version says.
 */
export class DocumentHolder<T> {
  #current: Current<T>;
  readonly #listeners = new Set<(current: Current<T>) => void>();

  constructor(
    readonly kind: DocumentKind<T>,
    initial: Versioned<T>,
    private readonly events: HolderEvents = {},
  ) {
    this.#current = {
      ...initial,
      digest: documentDigest(kind, initial.value),
      origin: { source: 'built-in' },
    };
  }

  get current(): Current<T> {
    return this.#current;
  }

  /** Validates `json` and puts it in force when it is valid and its content differs. */
  offer(json: unknown, origin: DocumentOrigin): OfferResult {
    const parsed = this.validate(json, origin);
    if (!('value' in parsed)) return parsed;
    if (parsed.digest === this.#current.digest) {
      return { outcome: 'unchanged', version: parsed.version, digest: parsed.digest };
    }
    this.#current = { ...parsed, origin };
    this.events.onApplied?.(this.kind.kind, parsed.version, origin);
    for (const listener of this.#listeners) listener(this.#current);
    return { outcome: 'applied', version: parsed.version, digest: parsed.digest };
  }

  /** Parses and validates without applying; a refusal is reported like an offered one. */
  validate(
    json: unknown,
    origin: DocumentOrigin,
  ): (Versioned<T> & { digest: string }) | { outcome: 'rejected'; problems: readonly string[] } {
    try {
      const parsed = this.kind.parse(json);
      return { ...parsed, digest: documentDigest(this.kind, parsed.value) };
    } catch (error) {
      const problems = isDocumentInvalidError(error) ? error.problems : [(error as Error).message];
      return this.refuse(problems, origin);
    }
  }

  /** Reports a document that could not even be read (not JSON, unreadable file); nothing changes. */
  refuse(
    problems: readonly string[],
    origin: DocumentOrigin,
  ): { outcome: 'rejected'; problems: readonly string[] } {
    this.events.onRejected?.(this.kind.kind, problems, origin);
    return { outcome: 'rejected', problems };
  }

  /** Told after every swap (the router rebuilds its compiled table here). */
  onChange(listener: (current: Current<T>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
