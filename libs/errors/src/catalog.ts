/**
 * The error catalog: every error a client can see, with a stable code it can switch on.
 * One row decides the HTTP status, the gRPC status and whether retrying can help, so REST and gRPC
 * callers always get the same answer for the same failure.
 */

/** gRPC status codes (numbers from the gRPC spec), kept here so this lib needs no transport. */
export const GrpcStatus = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export interface CatalogEntry {
  readonly http: number;
  readonly grpc: number;
  readonly retryable: boolean;
  /** Default public message; callers may give a more precise one (except for 5xx). */
  readonly message: string;
}

export const ERROR_CATALOG = {
  API_KEY_MISSING: {
    http: 401,
    grpc: GrpcStatus.UNAUTHENTICATED,
    retryable: false,
    message: 'An API key is required: send it in the x-api-key header (or Authorization: Bearer).',
  },
  API_KEY_INVALID: {
    http: 401,
    grpc: GrpcStatus.UNAUTHENTICATED,
    retryable: false,
    message: 'The API key is not valid.',
  },
  FORBIDDEN: {
    http: 403,
    grpc: GrpcStatus.PERMISSION_DENIED,
    retryable: false,
    message: 'This API key may not access that resource.',
  },
  BODY_MALFORMED_JSON: {
    http: 400,
    grpc: GrpcStatus.INVALID_ARGUMENT,
    retryable: false,
    message: 'The request body is not valid JSON.',
  },
  BODY_MISSING: {
    http: 400,
    grpc: GrpcStatus.INVALID_ARGUMENT,
    retryable: false,
    message: 'The request body is empty.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    http: 415,
    grpc: GrpcStatus.INVALID_ARGUMENT,
    retryable: false,
    message: 'Unsupported content type: send application/json.',
  },
  PAYLOAD_TOO_LARGE: {
    http: 413,
    grpc: GrpcStatus.RESOURCE_EXHAUSTED,
    retryable: false,
    message: 'The request is larger than the configured limit.',
  },
  VALIDATION_FAILED: {
    http: 400,
    grpc: GrpcStatus.INVALID_ARGUMENT,
    retryable: false,
    message: 'The pattern is not valid.',
  },
  BATCH_TOO_LARGE: {
    http: 400,
    grpc: GrpcStatus.INVALID_ARGUMENT,
    retryable: false,
    message: 'The batch has more items than the configured limit.',
  },
  NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND, retryable: false, message: 'Not found.' },
  ROUTE_TABLE_INVALID: {
    http: 400,
    grpc: GrpcStatus.INVALID_ARGUMENT,
    retryable: false,
    message: 'The route table is not valid.',
  },
  PAYLOAD_UNPARSEABLE: {
    http: 422,
    grpc: GrpcStatus.INVALID_ARGUMENT,
    retryable: false,
    message: 'The payload could not be parsed.',
  },
  RATE_LIMITED: {
    http: 429,
    grpc: GrpcStatus.RESOURCE_EXHAUSTED,
    retryable: true,
    message: 'Too many requests; retry after the indicated delay.',
  },
  BUS_UNAVAILABLE: {
    http: 503,
    grpc: GrpcStatus.UNAVAILABLE,
    retryable: true,
    message: 'The message bus did not accept the pattern; it was not stored. Retry.',
  },
  SHUTTING_DOWN: {
    http: 503,
    grpc: GrpcStatus.UNAVAILABLE,
    retryable: true,
    message: 'The service is shutting down; retry on another instance.',
  },
  TIMEOUT: {
    http: 504,
    grpc: GrpcStatus.DEADLINE_EXCEEDED,
    retryable: true,
    message: 'The operation timed out.',
  },
  INTERNAL: { http: 500, grpc: GrpcStatus.INTERNAL, retryable: false, message: 'Internal error.' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}
