/**
 * Typed errors for the Pulsar client.
 *
 * Every error the client raises is a {@link PulsarError} with a stable `code` (safe to switch on and to
 * put in metrics) and a `retryable` flag that says whether the same operation may succeed if tried again
 * later. Use {@link isPulsarError} rather than `instanceof`: the brand survives duplicated module copies.
 */

const BRAND = Symbol.for('patternmesh.pulsar.error');

/** Stable error codes. Never rename one: callers and dashboards key on them. */
export type PulsarErrorCode =
  | 'PULSAR_TIMEOUT'
  | 'PULSAR_SEND_TIMEOUT'
  | 'PULSAR_CONNECTION_FAILED'
  | 'PULSAR_CONNECTION_CLOSED'
  | 'PULSAR_PROTOCOL'
  | 'PULSAR_CHECKSUM'
  | 'PULSAR_AUTHENTICATION'
  | 'PULSAR_AUTHORIZATION'
  | 'PULSAR_TOPIC_NOT_FOUND'
  | 'PULSAR_TOPIC_TERMINATED'
  | 'PULSAR_END_OF_TOPIC'
  | 'PULSAR_NOT_ALLOWED'
  | 'PULSAR_PRODUCER_BUSY'
  | 'PULSAR_PRODUCER_FENCED'
  | 'PULSAR_PRODUCER_QUOTA_EXCEEDED'
  | 'PULSAR_PRODUCER_QUEUE_FULL'
  | 'PULSAR_CONSUMER_BUSY'
  | 'PULSAR_INCOMPATIBLE_SCHEMA'
  | 'PULSAR_SERVICE_NOT_READY'
  | 'PULSAR_BROKER_ERROR'
  | 'PULSAR_LOOKUP'
  | 'PULSAR_TOO_MANY_REDIRECTS'
  | 'PULSAR_PRODUCER_CLOSED'
  | 'PULSAR_CONSUMER_CLOSED'
  | 'PULSAR_CLIENT_CLOSED'
  | 'PULSAR_INVALID_ARGUMENT'
  | 'PULSAR_MESSAGE_TOO_LARGE'
  | 'PULSAR_COMPRESSION'
  | 'PULSAR_ADMIN';

/** Options for {@link PulsarError}. */
export interface PulsarErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  /** Name of the broker `ServerError` when the error came from the broker. */
  serverError?: string;
  /** HTTP status for admin errors. */
  status?: number;
}

/** The one error type this library throws. */
export class PulsarError extends Error {
  readonly [BRAND] = true;
  readonly code: PulsarErrorCode;
  readonly retryable: boolean;
  readonly serverError: string | undefined;
  readonly status: number | undefined;

  constructor(code: PulsarErrorCode, message: string, opts: PulsarErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PulsarError';
    this.code = code;
    this.retryable = opts.retryable ?? DEFAULT_RETRYABLE.has(code);
    this.serverError = opts.serverError;
    this.status = opts.status;
  }
}

const DEFAULT_RETRYABLE = new Set<PulsarErrorCode>([
  'PULSAR_TIMEOUT',
  'PULSAR_SEND_TIMEOUT',
  'PULSAR_CONNECTION_FAILED',
  'PULSAR_CONNECTION_CLOSED',
  'PULSAR_SERVICE_NOT_READY',
  'PULSAR_PRODUCER_BUSY',
  'PULSAR_CONSUMER_BUSY',
  'PULSAR_LOOKUP',
  'PULSAR_PRODUCER_QUOTA_EXCEEDED',
  'PULSAR_PRODUCER_QUEUE_FULL',
]);

/** Brand-based guard: true for any error raised by this library, whichever copy of it raised it. */
export function isPulsarError(e: unknown): e is PulsarError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** Names of the broker's `ServerError` enum, indexed by value. */
const SERVER_ERRORS = [
  'UnknownError',
  'MetadataError',
  'PersistenceError',
  'AuthenticationError',
  'AuthorizationError',
  'ConsumerBusy',
  'ServiceNotReady',
  'ProducerBlockedQuotaExceededError',
  'ProducerBlockedQuotaExceededException',
  'ChecksumError',
  'UnsupportedVersionError',
  'TopicNotFound',
  'SubscriptionNotFound',
  'ConsumerNotFound',
  'TooManyRequests',
  'TopicTerminatedError',
  'ProducerBusy',
  'InvalidTopicName',
  'IncompatibleSchema',
  'ConsumerAssignError',
  'TransactionCoordinatorNotFound',
  'InvalidTxnStatus',
  'NotAllowedError',
  'TransactionConflict',
  'TransactionNotFound',
  'ProducerFenced',
] as const;

/** Broker `ServerError` values the client reacts to. */
export const ServerError = {
  UnknownError: 0,
  MetadataError: 1,
  PersistenceError: 2,
  AuthenticationError: 3,
  AuthorizationError: 4,
  ConsumerBusy: 5,
  ServiceNotReady: 6,
  ProducerBlockedQuotaExceededError: 7,
  ProducerBlockedQuotaExceededException: 8,
  ChecksumError: 9,
  TopicNotFound: 11,
  SubscriptionNotFound: 12,
  TooManyRequests: 14,
  TopicTerminatedError: 15,
  ProducerBusy: 16,
  InvalidTopicName: 17,
  IncompatibleSchema: 18,
  NotAllowedError: 22,
  ProducerFenced: 25,
} as const;

/** Name of a broker `ServerError` value (for messages and logs). */
export function serverErrorName(code: number | undefined): string {
  return (code !== undefined && SERVER_ERRORS[code]) || `ServerError(${code ?? '?'})`;
}

/**
 * Maps a broker error (ERROR, SEND_ERROR, failed lookup) to a typed error. The retryable flag follows
 * the Go client's classification: metadata/persistence hiccups, ServiceNotReady and TooManyRequests are
 * transient; topic-level refusals are not.
 */
export function fromServerError(code: number | undefined, message: string | undefined): PulsarError {
  const name = serverErrorName(code);
  const text = `${name}: ${message ?? ''}`.trim();
  const mk = (c: PulsarErrorCode, retryable?: boolean) =>
    new PulsarError(c, text, { serverError: name, ...(retryable === undefined ? {} : { retryable }) });
  switch (code) {
    case ServerError.MetadataError:
    case ServerError.PersistenceError:
    case ServerError.TooManyRequests:
    case ServerError.UnknownError:
      return mk('PULSAR_BROKER_ERROR', true);
    case ServerError.ServiceNotReady:
      return mk('PULSAR_SERVICE_NOT_READY');
    case ServerError.AuthenticationError:
      return mk('PULSAR_AUTHENTICATION');
    case ServerError.AuthorizationError:
      return mk('PULSAR_AUTHORIZATION');
    case ServerError.ConsumerBusy:
      return mk('PULSAR_CONSUMER_BUSY');
    case ServerError.ProducerBusy:
      return mk('PULSAR_PRODUCER_BUSY');
    case ServerError.ProducerBlockedQuotaExceededError:
    case ServerError.ProducerBlockedQuotaExceededException:
      return mk('PULSAR_PRODUCER_QUOTA_EXCEEDED');
    case ServerError.ChecksumError:
      return mk('PULSAR_CHECKSUM', true);
    case ServerError.TopicNotFound:
    case ServerError.SubscriptionNotFound:
    case ServerError.InvalidTopicName:
      return mk('PULSAR_TOPIC_NOT_FOUND');
    case ServerError.TopicTerminatedError:
      return mk('PULSAR_TOPIC_TERMINATED');
    case ServerError.NotAllowedError:
      return mk('PULSAR_NOT_ALLOWED');
    case ServerError.ProducerFenced:
      return mk('PULSAR_PRODUCER_FENCED');
    case ServerError.IncompatibleSchema:
      // The registry refused the declared schema; trying again changes nothing until someone changes
      // the schema, the topic's schema or its compatibility policy.
      return mk('PULSAR_INCOMPATIBLE_SCHEMA', false);
    default:
      return mk('PULSAR_BROKER_ERROR', false);
  }
}

/** Normalises anything thrown into a PulsarError (used where foreign errors cross our API). */
export function toPulsarError(
  e: unknown,
  fallback: PulsarErrorCode = 'PULSAR_CONNECTION_FAILED',
): PulsarError {
  if (isPulsarError(e)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new PulsarError(fallback, msg, { cause: e });
}
