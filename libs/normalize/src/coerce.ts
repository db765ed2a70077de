import { isIP } from 'node:net';
import type { FieldType } from './ontology';

/** A coerced value, or why the source value does not fit the field. */
export type Coerced<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The TypeScript type each field type coerces to. */
export interface FieldValue {
  text: string;
  lowercase: string;
  summary: string;
  ip: string;
  port: number;
  number: number;
  currency: string;
  protocol: string;
  tags: string[];
}

/** Summaries are one line for consoles and alerts; anything longer stays in the source fields. */
export const SUMMARY_MAX_LENGTH = 512;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// IANA protocol numbers seen in flow logs; others keep their number as text.
const IANA_PROTOCOLS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp' };

const coercers: { [K in FieldType]: (v: unknown) => Coerced<FieldValue[K]> } = {
  text: (v) => toText(v),
  lowercase: (v) => map(toText(v), (s) => s.toLowerCase()),
  summary: (v) => map(toText(v), oneLine),
  ip: (v) => {
    if (typeof v !== 'string') return fail(v, 'an IPv4 or IPv6 address');
    const s = v.trim().replace(/^\[(.*)\]$/, '$1');
    return isIP(s) === 0 ? fail(v, 'an IPv4 or IPv6 address') : { ok: true, value: s.toLowerCase() };
  },
  port: (v) => {
    const n = toNumber(v);
    return n !== undefined && Number.isInteger(n) && n >= 0 && n <= 65535
      ? { ok: true, value: n }
      : fail(v, 'a port number (integer 0–65535)');
  },
  number: (v) => {
    const n = toNumber(v);
    return n === undefined ? fail(v, 'a number') : { ok: true, value: n };
  },
  currency: (v) =>
    typeof v === 'string' && /^[A-Za-z]{3}$/.test(v.trim())
      ? { ok: true, value: v.trim().toUpperCase() }
      : fail(v, 'a 3-letter ISO 4217 currency code'),
  protocol: (v) => {
    if (typeof v === 'number' && Number.isInteger(v))
      return { ok: true, value: IANA_PROTOCOLS[v] ?? String(v) };
    return map(toText(v), (s) => s.toLowerCase());
  },
  tags: (v) => {
    const items = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    for (const item of items) {
      const t = toText(item);
      if (!t.ok) return fail(v, 'a string or a list of strings');
      if (t.value.length > 0) out.push(t.value);
    }
    return { ok: true, value: out };
  },
};

/** Coerces a source value to a field type. Never throws: a misfit is reported, not raised. */
export function coerce<T extends FieldType>(type: T, value: unknown): Coerced<FieldValue[T]> {
  return coercers[type](value);
}

/** Text collapsed onto one line and capped at `SUMMARY_MAX_LENGTH` characters. */
export function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > SUMMARY_MAX_LENGTH ? `${line.slice(0, SUMMARY_MAX_LENGTH - 1)}…` : line;
}

/** A number from a JSON number or a plain decimal string; undefined otherwise. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && DECIMAL.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function toText(v: unknown): Coerced<string> {
  if (typeof v === 'string') return { ok: true, value: v.trim() };
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return { ok: true, value: String(v) };
  return fail(v, 'text');
}

function map<A, B>(c: Coerced<A>, f: (a: A) => B): Coerced<B> {
  return c.ok ? { ok: true, value: f(c.value) } : c;
}

function fail(v: unknown, expected: string): { ok: false; reason: string } {
  return { ok: false, reason: `${describe(v)} is not ${expected}` };
}

/** A short, log-safe description of a source value for notes. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}
