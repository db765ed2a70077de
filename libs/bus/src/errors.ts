import { isPatternmeshError } from '@patternmesh/errors';

/** Failures of the bus itself (not of a handler). */
export class BusError extends Error {
  readonly code: 'BUS_CLOSED' | 'BACKLOG_FULL' | 'PUBLISH_FAILED' | 'SUBSCRIBE_FAILED';
  constructor(code: BusError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusError';
    this.code = code;
  }
}

/**
 * Whether a handler failure can succeed on another try. Catalog errors say so themselves; anything
 * else (a bug, a timeout, a downstream outage) is assumed transient and retried up to the limit.
 */
export function isRetryable(error: unknown): boolean {
  return isPatternmeshError(error) ? error.retryable : true;
}

export function describeError(error: unknown): { code: string; reason: string } {
  if (isPatternmeshError(error)) return { code: error.code, reason: error.message };
  if (error instanceof Error) return { code: 'HANDLER_FAILED', reason: error.message };
  return { code: 'HANDLER_FAILED', reason: String(error) };
}
