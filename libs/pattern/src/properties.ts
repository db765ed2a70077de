/**
 * Message property names and request header/metadata keys: the one spelling of each. Subscribers
 * filter on these without decoding the payload; docs/architecture.md lists them.
 */

/** Keys that carry the error catalog's code next to a gRPC status (trailers) and on quarantined messages. */
export const ErrorMetadataKeys = {
  code: 'pm-error-code',
  retryable: 'pm-retryable',
  retryAfter: 'retry-after',
} as const;

/** Properties the pipeline sets on every bus message (besides W3C trace context). */
export const MessageProps = {
  patternId: 'pm-pattern-id',
  tenant: 'pm-tenant',
  stage: 'pm-stage',
  /** Why a pattern was quarantined. */
  reason: 'pm-reason',
  errorCode: ErrorMetadataKeys.code,
  /** On destination topics: the lane name, the category and the priority number. */
  lane: 'pm-lane',
  category: 'pm-category',
  priority: 'pm-priority',
} as const;

/** Properties of control-topic messages besides the document itself. */
export const ControlProps = {
  /** A replica's catch-up marker: it has read the topic up to here once it reads this back. */
  sync: 'pm-control-sync',
  /** Where a control document came from: `api` (an admin call) or `file` (a mounted file). */
  origin: 'pm-control-origin',
} as const;

/** W3C Trace Context keys, as the Pulsar Java client's OpenTelemetry support writes them. */
export const TraceProps = { traceparent: 'traceparent', tracestate: 'tracestate' } as const;

/**
 * Properties of a dead-lettered message. The first five are the names the Pulsar clients (Java's
 * `REAL_TOPIC`/`ORIGIN_MESSAGE_ID`, and `@patternmesh/pulsar`'s own dead-letter router) write, so one
 * DLQ reader handles both; the bus adds the catalog error code and the time of the last failure.
 */
export const DeadLetterProps = {
  realTopic: 'REAL_TOPIC',
  originMessageId: 'ORIGIN_MESSAGE_ID',
  subscription: 'ORIGIN_SUBSCRIPTION',
  attempts: 'DELIVERY_ATTEMPTS',
  reason: 'REASON',
  errorCode: 'ERROR_CODE',
  failedAt: 'FAILED_AT',
} as const;

/** Where callers present credentials: HTTP headers and gRPC metadata use the same keys. */
export const CredentialKeys = { apiKey: 'x-api-key', authorization: 'authorization' } as const;

/**
 * The API key a request presents: `x-api-key`, else `Authorization: Bearer <key>`. `read` returns one
 * header or metadata value (first value when repeated), so HTTP and gRPC share this.
 */
export function presentedApiKey(read: (key: string) => string | undefined): string | undefined {
  const direct = read(CredentialKeys.apiKey)?.trim();
  if (direct) return direct;
  const auth = read(CredentialKeys.authorization);
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim() || undefined;
  return undefined;
}
