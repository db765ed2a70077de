import { PatternmeshError, type ErrorDetail } from '@patternmesh/errors';
import type { PatternInput } from '@patternmesh/proto';

/**
 * The REST body of `POST /v1/patterns`:
 * `{ "source": "...", "payload": {...} | "text", "entity"?, "attributes"?, "event_time"?, "idempotency_key"? }`.
 * A JSON payload object is stored as its JSON text with content type application/json; a string
 * payload is stored as text/plain unless `content_type` says otherwise.
 */
export function patternInputFromRestBody(body: unknown): PatternInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PatternmeshError('VALIDATION_FAILED', {
      message: 'The body must be a JSON object with at least "source" and "payload".',
      details: [{ problem: 'body must be a JSON object' }],
    });
  }
  const b = body as Record<string, unknown>;
  const problems: ErrorDetail[] = [];
  const str = (name: string): string => {
    const v = b[name];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') problems.push({ field: name, problem: 'must be a string' });
    return typeof v === 'string' ? v : '';
  };
  const source = str('source');
  const entity = str('entity');
  const idempotencyKey = str('idempotency_key');
  let contentType = str('content_type');
  let payload = Buffer.alloc(0);
  const raw = b['payload'];
  if (typeof raw === 'string') {
    payload = Buffer.from(raw, 'utf8');
    contentType ||= 'text/plain';
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    payload = Buffer.from(JSON.stringify(raw), 'utf8');
    contentType ||= 'application/json';
  } else if (raw !== undefined) {
    problems.push({ field: 'payload', problem: 'must be a JSON object or a string' });
  }
  const attributes: Record<string, string> = {};
  const rawAttributes = b['attributes'];
  if (rawAttributes !== undefined) {
    if (typeof rawAttributes !== 'object' || rawAttributes === null || Array.isArray(rawAttributes)) {
      problems.push({ field: 'attributes', problem: 'must be an object of strings' });
    } else {
      for (const [k, v] of Object.entries(rawAttributes)) {
        if (typeof v === 'string') attributes[k] = v;
        else problems.push({ field: `attributes.${k}`, problem: 'must be a string' });
      }
    }
  }
  let eventTime: Date | undefined;
  const rawTime = b['event_time'];
  if (rawTime !== undefined) {
    eventTime =
      typeof rawTime === 'string' || typeof rawTime === 'number' ? new Date(rawTime) : new Date(NaN);
    if (Number.isNaN(eventTime.getTime()))
      problems.push({ field: 'event_time', problem: 'must be an RFC 3339 time or Unix milliseconds' });
  }
  const known = new Set([
    'source',
    'payload',
    'entity',
    'attributes',
    'event_time',
    'idempotency_key',
    'content_type',
  ]);
  for (const key of Object.keys(b))
    if (!known.has(key)) problems.push({ field: key, problem: 'is not a known field' });
  if (problems.length > 0) {
    throw new PatternmeshError('VALIDATION_FAILED', {
      message: `The pattern is not valid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}.`,
      details: problems,
    });
  }
  return { source, contentType, payload, attributes, eventTime, idempotencyKey, entity };
}
