import { PatternmeshError, type ErrorDetail } from '@patternmesh/errors';
import type { PatternInput } from '@patternmesh/proto';

/** Limits on one pattern. Generous for real producers, tight enough to keep a bad client from hurting others. */
export interface IngestLimits {
  readonly maxPayloadBytes: number;
  readonly maxAttributes: number;
  readonly maxAttributeBytes: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxPayloadBytes: 256 * 1024,
  maxAttributes: 64,
  maxAttributeBytes: 1024,
};

const SOURCE = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const TOKEN = /^[\x21-\x7e]{1,256}$/; // printable ASCII, no spaces: safe in keys and headers
const SUPPORTED_CONTENT_TYPES = new Set(['application/json', 'text/plain', 'application/x-ndjson']);

/**
 * Checks a producer's input and lists every problem, so one round trip tells the producer all it
 * must fix. Throws VALIDATION_FAILED with `details`, or returns nothing.
 */
export function validatePatternInput(input: PatternInput, limits: IngestLimits = DEFAULT_LIMITS): void {
  const problems: ErrorDetail[] = [];
  if (!input.source) problems.push({ field: 'source', problem: 'is required' });
  else if (!SOURCE.test(input.source)) {
    problems.push({
      field: 'source',
      problem: 'must be 1-128 of a-z 0-9 . _ - and start with a letter or digit',
    });
  }
  if (input.payload.length === 0)
    problems.push({ field: 'payload', problem: 'is required and must not be empty' });
  if (input.payload.length > limits.maxPayloadBytes) {
    problems.push({
      field: 'payload',
      problem: `is ${input.payload.length} bytes; the limit is ${limits.maxPayloadBytes}`,
    });
  }
  if (input.contentType && !SUPPORTED_CONTENT_TYPES.has(input.contentType)) {
    problems.push({
      field: 'content_type',
      problem: `"${input.contentType}" is not supported; use one of ${[...SUPPORTED_CONTENT_TYPES].join(', ')}`,
    });
  }
  if (input.entity && !TOKEN.test(input.entity)) {
    problems.push({ field: 'entity', problem: 'must be 1-256 printable ASCII characters without spaces' });
  }
  if (input.idempotencyKey && !TOKEN.test(input.idempotencyKey)) {
    problems.push({
      field: 'idempotency_key',
      problem: 'must be 1-256 printable ASCII characters without spaces',
    });
  }
  const attributes = Object.entries(input.attributes);
  if (attributes.length > limits.maxAttributes) {
    problems.push({
      field: 'attributes',
      problem: `has ${attributes.length} entries; the limit is ${limits.maxAttributes}`,
    });
  }
  for (const [key, value] of attributes) {
    if (Buffer.byteLength(key) + Buffer.byteLength(value) > limits.maxAttributeBytes) {
      problems.push({
        field: `attributes.${key}`,
        problem: `is longer than ${limits.maxAttributeBytes} bytes`,
      });
    }
  }
  if (input.eventTime && Number.isNaN(input.eventTime.getTime())) {
    problems.push({ field: 'event_time', problem: 'is not a valid timestamp' });
  }
  if (problems.length > 0) {
    throw new PatternmeshError('VALIDATION_FAILED', {
      message: `The pattern is not valid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}.`,
      details: problems,
    });
  }
}
