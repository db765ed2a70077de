import type { ControlKind } from '@patternmesh/pattern';

/** A document that passed its kind's validator, with the version it declares. */
export interface Versioned<T> {
  readonly version: string;
  readonly value: T;
}

/**
 * One kind of live configuration (route tables now; mappings, rules and models as they arrive): how
 * to read a document from its JSON form, check it, and write it back. Validation lists every problem,
 * so an operator fixes a bad document in one go.
 */
export interface DocumentKind<T> {
  readonly kind: ControlKind;
  /** Parses and validates; throws `DocumentInvalidError` with every problem. */
  parse(json: unknown): Versioned<T>;
  /** The JSON form published on the control topic and read from files. */
  toJson(value: T): unknown;
}

const BRAND = Symbol.for('patternmesh.control.DocumentInvalidError');

export class DocumentInvalidError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly kind: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid ${kind} document: ${problems.join('; ')}`);
    this.name = 'DocumentInvalidError';
  }
}

export function isDocumentInvalidError(error: unknown): error is DocumentInvalidError {
  return typeof error === 'object' && error !== null && BRAND in error;
}

/** Where a document came from, for logs, metrics and `describe()`. */
export interface DocumentOrigin {
  /** `built-in`, `file`, `topic` or `api`. */
  readonly source: 'built-in' | 'file' | 'topic' | 'api';
  /** File path or topic message id. */
  readonly detail?: string;
}
