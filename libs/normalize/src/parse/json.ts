import { decodeUtf8, unparseable, type ParseResult } from './types';

/** Parses a JSON payload whose top level is an object. */
export function parseJson(payload: Buffer): ParseResult {
  if (payload.length === 0) return unparseable('payload is empty');
  const decoded = decodeUtf8(payload);
  if (!decoded.ok) return unparseable(decoded.reason);
  if (decoded.text.trim().length === 0) return unparseable('payload is blank');
  let value: unknown;
  try {
    value = JSON.parse(decoded.text);
  } catch (err) {
    return unparseable(`payload is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return { ok: true, record: value as Record<string, unknown> };
  }
  return unparseable(`payload is ${describeJson(value)}; expected an object`);
}

function describeJson(value: unknown): string {
  if (value === null) return 'JSON null';
  if (Array.isArray(value)) return 'a JSON array';
  return `a JSON ${typeof value}`;
}
