import { describe, expect, it } from 'vitest';
import { ParserRegistry, parsePayload } from './registry';
import { unparseable } from './types';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('parsePayload — JSON', () => {
  it('parses an object', () => {
    expect(parsePayload('application/json', bytes('{"user":"alice","n":{"x":1}}'))).toEqual({
      ok: true,
      record: { user: 'alice', n: { x: 1 } },
    });
  });

  it('accepts parameters, upper case, a BOM and +json media types', () => {
    expect(parsePayload('Application/JSON; charset=utf-8', bytes('\uFEFF{"a":1}'))).toMatchObject({
      ok: true,
    });
    expect(parsePayload('application/cloudevents+json', bytes('{"a":1}'))).toMatchObject({ ok: true });
  });

  it.each([
    ['[1,2]', 'payload is a JSON array; expected an object'],
    ['"text"', 'payload is a JSON string; expected an object'],
    ['42', 'payload is a JSON number; expected an object'],
    ['true', 'payload is a JSON boolean; expected an object'],
    ['null', 'payload is JSON null; expected an object'],
    ['', 'payload is empty'],
    ['   ', 'payload is blank'],
  ])('rejects %j with a precise reason', (body, reason) => {
    expect(parsePayload('application/json', bytes(body))).toEqual({
      ok: false,
      code: 'PAYLOAD_UNPARSEABLE',
      reason,
    });
  });

  it('reports JSON syntax errors', () => {
    const r = parsePayload('application/json', bytes('{"a":'));
    expect(r).toMatchObject({ ok: false, code: 'PAYLOAD_UNPARSEABLE' });
    expect(!r.ok && r.reason).toMatch(/^payload is not valid JSON: /);
  });

  it('rejects invalid UTF-8 instead of mangling it', () => {
    expect(parsePayload('application/json', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toEqual(
      unparseable('payload is not valid UTF-8'),
    );
  });

  it('keeps a "__proto__" key as data', () => {
    const r = parsePayload('application/json', bytes('{"__proto__":{"polluted":true}}'));
    expect(r.ok && Object.keys(r.record)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parsePayload — logfmt', () => {
  it('parses keys, quoted values with escapes, bare keys and dotted keys', () => {
    const r = parsePayload(
      'text/logfmt',
      bytes('level=error msg="disk \\"data\\" full" retry src.ip=10.0.0.1 empty= code=507'),
    );
    expect(r).toEqual({
      ok: true,
      record: {
        level: 'error',
        msg: 'disk "data" full',
        retry: true,
        'src.ip': '10.0.0.1',
        empty: '',
        code: '507',
      },
    });
  });

  it('rejects unterminated quotes, stray "=" and several lines', () => {
    expect(parsePayload('application/logfmt', bytes('msg="oops'))).toEqual(
      unparseable('logfmt: unterminated quoted value starting at column 5'),
    );
    expect(parsePayload('application/logfmt', bytes('=x'))).toEqual(
      unparseable('logfmt: expected a key at column 1, found "="'),
    );
    expect(parsePayload('application/logfmt', bytes('a=1\nb=2\n'))).toEqual(
      unparseable('payload has 2 logfmt lines; expected one record per payload'),
    );
  });
});

describe('ParserRegistry', () => {
  it('names the supported types when a content type is unknown', () => {
    expect(parsePayload('text/csv', bytes('a,b'))).toEqual({
      ok: false,
      code: 'UNSUPPORTED_CONTENT_TYPE',
      reason:
        'content type "text/csv" is not supported; supported: application/json, application/logfmt, text/json, text/logfmt',
    });
    expect(parsePayload('', bytes('{}'))).toEqual({
      ok: false,
      code: 'UNSUPPORTED_CONTENT_TYPE',
      reason: 'content type is empty',
    });
  });

  it('takes new formats without changes elsewhere', () => {
    const registry = new ParserRegistry().register('text/csv', (p) => ({
      ok: true,
      record: { line: p.toString('utf8') },
    }));
    expect(registry.parse('text/csv; header=absent', bytes('a,b'))).toEqual({
      ok: true,
      record: { line: 'a,b' },
    });
  });
});
