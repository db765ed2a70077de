import { ERROR_CATALOG, type ErrorCode } from './catalog';

// A registered symbol, so the brand survives duplicate copies of this package (instanceof would not).
const BRAND = Symbol.for('patternmesh.error');

/** One problem with a request, e.g. a field that failed validation. */
export interface ErrorDetail {
  readonly field?: string;
  readonly problem: string;
}

export interface PatternmeshErrorOptions {
  readonly message?: string;
  readonly details?: readonly ErrorDetail[];
  readonly cause?: unknown;
  /** Seconds a client should wait before retrying (429/503). */
  readonly retryAfterSeconds?: number;
}

/** An error from the catalog. Throw it anywhere; transports map it with `toHttp`/`toGrpc`. */
export class PatternmeshError extends Error {
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, options: PatternmeshErrorOptions = {}) {
    super(options.message ?? ERROR_CATALOG[code].message, { cause: options.cause });
    this.name = 'PatternmeshError';
    this.code = code;
    this.details = options.details ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get retryable(): boolean {
    return ERROR_CATALOG[this.code].retryable;
  }
  get httpStatus(): number {
    return ERROR_CATALOG[this.code].http;
  }
  get grpcStatus(): number {
    return ERROR_CATALOG[this.code].grpc;
  }
}

export function isPatternmeshError(value: unknown): value is PatternmeshError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Wraps anything thrown into a catalog error; unknown errors become INTERNAL (their text stays private). */
export function asPatternmeshError(value: unknown): PatternmeshError {
  if (isPatternmeshError(value)) return value;
  return new PatternmeshError('INTERNAL', { cause: value });
}

/** The body a client sees. Server-side (5xx) errors never carry internal text. */
export interface PublicError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly details?: readonly ErrorDetail[];
}

export function toPublicError(error: PatternmeshError): PublicError {
  const entry = ERROR_CATALOG[error.code];
  const serverSide = entry.http >= 500;
  const body: PublicError = {
    code: error.code,
    message: serverSide ? entry.message : error.message,
    retryable: entry.retryable,
  };
  return error.details.length > 0 && !serverSide ? { ...body, details: error.details } : body;
}
