import { parseJson } from './json';
import { parseLogfmt } from './logfmt';
import type { ParseResult, PayloadParser } from './types';

/**
 * The media type of a Content-Type value: lower-cased, parameters (`; charset=utf-8`) dropped.
 */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Parsers keyed by media type. New formats (CEF, syslog, CSV) are added with `register`, without
 * touching the normalizer. A structured-syntax suffix falls back to its base format, so
 * `application/cloudevents+json` is read by the `application/json` parser.
 */
export class ParserRegistry {
  readonly #parsers = new Map<string, PayloadParser>();

  /** Registers (or replaces) the parser for a media type such as `application/json`. */
  register(mediaType: string, parser: PayloadParser): this {
    this.#parsers.set(mediaTypeOf(mediaType), parser);
    return this;
  }

  /** The media types with a registered parser, sorted. */
  mediaTypes(): string[] {
    return [...this.#parsers.keys()].sort();
  }

  /** The parser for a Content-Type value, if any. */
  parserFor(contentType: string): PayloadParser | undefined {
    const mediaType = mediaTypeOf(contentType);
    const exact = this.#parsers.get(mediaType);
    if (exact) return exact;
    const plus = mediaType.lastIndexOf('+');
    return plus >= 0 ? this.#parsers.get(`application/${mediaType.slice(plus + 1)}`) : undefined;
  }

  /** Parses a payload with the parser for its content type. */
  parse(contentType: string, payload: Buffer): ParseResult {
    if (mediaTypeOf(contentType) === '') {
      return { ok: false, code: 'UNSUPPORTED_CONTENT_TYPE', reason: 'content type is empty' };
    }
    const parser = this.parserFor(contentType);
    if (!parser) {
      return {
        ok: false,
        code: 'UNSUPPORTED_CONTENT_TYPE',
        reason: `content type "${contentType}" is not supported; supported: ${this.mediaTypes().join(', ')}`,
      };
    }
    return parser(payload);
  }
}

/** A registry with the built-in parsers: JSON and logfmt. */
export function createDefaultParsers(): ParserRegistry {
  return new ParserRegistry()
    .register('application/json', parseJson)
    .register('text/json', parseJson)
    .register('application/logfmt', parseLogfmt)
    .register('text/logfmt', parseLogfmt);
}

const defaultParsers = createDefaultParsers();

/**
 * Parses a payload with the built-in parsers.
 * @example parsePayload('application/json', Buffer.from('{"user":"alice"}')) // { ok: true, record: { user: 'alice' } }
 */
export function parsePayload(contentType: string, payload: Buffer): ParseResult {
  return defaultParsers.parse(contentType, payload);
}
