import { decodeUtf8, unparseable, type ParseResult } from './types';

/**
 * Parses one logfmt line (`level=error msg="disk full" retry`) into a record.
 *
 * Values stay strings (mappings coerce them); a bare key means `true`; a repeated key keeps its last
 * value, as most logfmt readers do. Dotted keys (`src.ip=…`) stay literal and are still reachable by
 * dotted mapping paths. One payload is one record, so more than one non-blank line is an error.
 */
export function parseLogfmt(payload: Buffer): ParseResult {
  if (payload.length === 0) return unparseable('payload is empty');
  const decoded = decodeUtf8(payload);
  if (!decoded.ok) return unparseable(decoded.reason);
  const lines = decoded.text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return unparseable('payload is blank');
  if (lines.length > 1) {
    return unparseable(`payload has ${lines.length} logfmt lines; expected one record per payload`);
  }
  return parseLine(lines[0] as string);
}

function parseLine(line: string): ParseResult {
  const entries: [string, string | boolean][] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && !isSpace(line[i]) && line[i] !== '=' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    if (key.length === 0) {
      return unparseable(`logfmt: expected a key at column ${i + 1}, found ${JSON.stringify(line[i])}`);
    }
    if (line[i] !== '=') {
      entries.push([key, true]);
      continue;
    }
    i++; // '='
    if (line[i] === '"') {
      const quoted = readQuoted(line, i);
      if (!quoted.ok) return unparseable(quoted.reason);
      entries.push([key, quoted.value]);
      i = quoted.end;
      if (i < n && !isSpace(line[i])) {
        return unparseable(`logfmt: expected a space after the quoted value of "${key}" at column ${i + 1}`);
      }
    } else {
      const valueStart = i;
      while (i < n && !isSpace(line[i])) i++;
      entries.push([key, line.slice(valueStart, i)]);
    }
  }
  // fromEntries defines own data properties, so a "__proto__" key cannot reach the prototype.
  return { ok: true, record: Object.fromEntries(entries) };
}

function readQuoted(
  line: string,
  start: number,
): { ok: true; value: string; end: number } | { ok: false; reason: string } {
  let out = '';
  let i = start + 1;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '"') return { ok: true, value: out, end: i + 1 };
    if (c === '\\' && i + 1 < line.length) {
      const next = line[i + 1] as string;
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return { ok: false, reason: `logfmt: unterminated quoted value starting at column ${start + 1}` };
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}
