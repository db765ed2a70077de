/** Why a payload could not become a record. */
export type ParseFailureCode = 'PAYLOAD_UNPARSEABLE' | 'UNSUPPORTED_CONTENT_TYPE';

/** A parsed payload: one flat-or-nested record, or a precise reason it could not be parsed. */
export type ParseResult =
  { ok: true; record: Record<string, unknown> } | { ok: false; code: ParseFailureCode; reason: string };

/**
 * Turns the bytes of one payload into one record. A parser never throws on bad input: it returns
 * `PAYLOAD_UNPARSEABLE` with a reason that tells the producer what to fix.
 */
export type PayloadParser = (payload: Buffer) => ParseResult;

/** Shorthand for an unparseable result. */
export function unparseable(reason: string): ParseResult {
  return { ok: false, code: 'PAYLOAD_UNPARSEABLE', reason };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a payload as UTF-8 text (a leading BOM is dropped). Invalid bytes are an error rather than
 * U+FFFD: silently mangled text would end up in typed fields.
 */
export function decodeUtf8(payload: Buffer): { ok: true; text: string } | { ok: false; reason: string } {
  try {
    return { ok: true, text: utf8.decode(payload) };
  } catch {
    return { ok: false, reason: 'payload is not valid UTF-8' };
  }
}
