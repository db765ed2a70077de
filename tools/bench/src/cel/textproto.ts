import {
  create,
  ScalarType,
  type DescEnum,
  type DescField,
  type DescMessage,
  type Message,
  type Registry,
} from '@bufbuild/protobuf';
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { anyPack } from '@bufbuild/protobuf/wkt';

/**
 * A small reader of the protobuf text format, enough for the CEL conformance files: fields by name,
 * nested messages in `{}` or `<>`, `[a, b]` lists, map entries as `{ key: … value: … }`, Any
 * expansions (`[type.googleapis.com/pkg.Msg] { … }`), C-style string escapes, adjacent string
 * concatenation, enum names and the special floats. Values are set through protobuf-es reflection,
 * so the descriptors say what each field holds.
 */
export function parseTextproto<Desc extends DescMessage>(
  desc: Desc,
  text: string,
  registry: Registry,
): Message {
  const p = new Reader(text, registry);
  const r = reflect(desc);
  p.readFields(r, undefined);
  return r.message;
}

type Tok =
  | { t: 'punct'; v: string }
  | { t: 'str'; v: Uint8Array }
  | { t: 'word'; v: string }
  | { t: 'url'; v: string }
  | { t: 'eof' };

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

class Reader {
  #pos = 0;
  #peeked: Tok | undefined;
  constructor(
    private readonly src: string,
    private readonly registry: Registry,
  ) {}

  fail(msg: string): never {
    const before = this.src.slice(0, this.#pos);
    const line = before.split('\n').length;
    throw new Error(`textproto: line ${line}: ${msg}`);
  }

  peek(): Tok {
    this.#peeked ??= this.#next();
    return this.#peeked;
  }

  take(): Tok {
    const t = this.peek();
    this.#peeked = undefined;
    return t;
  }

  accept(punct: string): boolean {
    const t = this.peek();
    if (t.t === 'punct' && t.v === punct) {
      this.take();
      return true;
    }
    return false;
  }

  expect(punct: string): void {
    if (!this.accept(punct)) this.fail(`expected "${punct}"`);
  }

  #skipSpace(): void {
    const s = this.src;
    while (this.#pos < s.length) {
      const c = s[this.#pos]!;
      if (c === '#') {
        while (this.#pos < s.length && s[this.#pos] !== '\n') this.#pos++;
      } else if (/\s/.test(c)) this.#pos++;
      else break;
    }
  }

  #next(): Tok {
    this.#skipSpace();
    const s = this.src;
    if (this.#pos >= s.length) return { t: 'eof' };
    const c = s[this.#pos]!;
    if (c === '"' || c === "'") {
      // Adjacent literals concatenate.
      const parts: Uint8Array[] = [];
      while (this.#pos < s.length && (s[this.#pos] === '"' || s[this.#pos] === "'")) {
        parts.push(this.#string());
        this.#skipSpace();
      }
      return { t: 'str', v: concat(parts) };
    }
    if ('{}<>[]:,;'.includes(c)) {
      this.#pos++;
      return { t: 'punct', v: c };
    }
    const rest = s.slice(this.#pos, this.#pos + 400);
    const m =
      /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[fFuU]?(?![A-Za-z0-9_.])/.exec(rest) ??
      /^[-+]?[A-Za-z0-9_.]+/.exec(rest);
    if (!m) this.fail(`unexpected ${JSON.stringify(c)}`);
    this.#pos += m[0].length;
    return { t: 'word', v: m[0] };
  }

  /** Reads the name inside `[...]` (an extension or an Any type URL). */
  readBracketName(): string {
    const end = this.src.indexOf(']', this.#pos);
    if (end < 0) this.fail('unterminated [');
    const name = this.src.slice(this.#pos, end).trim();
    this.#pos = end + 1;
    return name;
  }

  #string(): Uint8Array {
    const s = this.src;
    const q = s[this.#pos++]!;
    const out: number[] = [];
    for (;;) {
      if (this.#pos >= s.length) this.fail('unterminated string');
      const c = s[this.#pos++]!;
      if (c === q) break;
      if (c !== '\\') {
        const cp = s.codePointAt(this.#pos - 1)!;
        if (cp > 0xffff) this.#pos++;
        out.push(...utf8.encode(String.fromCodePoint(cp)));
        continue;
      }
      const e = s[this.#pos++]!;
      const simple: Record<string, number> = {
        n: 10,
        r: 13,
        t: 9,
        v: 11,
        a: 7,
        b: 8,
        f: 12,
        '\\': 92,
        "'": 39,
        '"': 34,
        '?': 63,
      };
      if (e in simple) out.push(simple[e]!);
      else if (/[0-7]/.test(e)) {
        let digits = e;
        while (digits.length < 3 && /[0-7]/.test(s[this.#pos] ?? '')) digits += s[this.#pos++];
        out.push(parseInt(digits, 8) & 0xff);
      } else if (e === 'x' || e === 'X') {
        let digits = '';
        while (digits.length < 2 && /[0-9a-fA-F]/.test(s[this.#pos] ?? '')) digits += s[this.#pos++];
        out.push(parseInt(digits, 16));
      } else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const cp = parseInt(s.slice(this.#pos, this.#pos + n), 16);
        this.#pos += n;
        out.push(...utf8.encode(String.fromCodePoint(cp)));
      } else this.fail(`unknown escape \\${e}`);
    }
    return Uint8Array.from(out);
  }

  /** Reads `name: value` entries into `r` until `end` (or end of input when `end` is undefined). */
  readFields(r: ReflectMessage, end: string | undefined): void {
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof') {
        if (end !== undefined) this.fail(`expected "${end}"`);
        return;
      }
      if (t.t === 'punct' && t.v === end) {
        this.take();
        return;
      }
      if (t.t === 'punct' && (t.v === ',' || t.v === ';')) {
        this.take();
        continue;
      }
      if (t.t === 'punct' && t.v === '[') {
        this.take();
        const name = this.readBracketName();
        this.#readAnyExpansion(r, name);
        continue;
      }
      if (t.t !== 'word') this.fail('expected a field name');
      this.take();
      const field = r.desc.fields.find((f) => f.name === t.v);
      if (!field) this.fail(`${r.desc.typeName} has no field "${t.v}"`);
      this.accept(':');
      if (this.accept('[')) {
        if (this.accept(']')) continue;
        do this.#readValueInto(r, field);
        while (this.accept(','));
        this.expect(']');
      } else this.#readValueInto(r, field);
    }
  }

  #readAnyExpansion(r: ReflectMessage, url: string): void {
    if (r.desc.typeName !== 'google.protobuf.Any') {
      // Extensions (proto2) are read and dropped: the harness binds no extension fields.
      this.accept(':');
      this.#skipValue();
      return;
    }
    const typeName = url.slice(url.lastIndexOf('/') + 1);
    const desc = this.registry.getMessage(typeName);
    if (!desc) this.fail(`unknown message type ${typeName}`);
    this.accept(':');
    const inner = this.#readMessage(desc);
    const packed = anyPack(desc, inner.message);
    for (const f of r.desc.fields) {
      if (f.name === 'type_url') r.set(f, packed.typeUrl);
      if (f.name === 'value') r.set(f, packed.value);
    }
  }

  #skipValue(): void {
    if (this.accept('[')) {
      while (!this.accept(']')) if (!this.accept(',')) this.#skipValue();
      return;
    }
    const t = this.take();
    if (t.t !== 'punct' || (t.v !== '{' && t.v !== '<')) return;
    let depth = 1;
    while (depth > 0) {
      const n = this.take();
      if (n.t === 'eof') this.fail('unbalanced braces');
      if (n.t === 'punct' && (n.v === '{' || n.v === '<')) depth++;
      if (n.t === 'punct' && (n.v === '}' || n.v === '>')) depth--;
      if (n.t === 'punct' && n.v === '[') this.readBracketName();
    }
  }

  #readMessage(desc: DescMessage): ReflectMessage {
    const open = this.take();
    if (open.t !== 'punct' || (open.v !== '{' && open.v !== '<')) this.fail('expected "{"');
    const r = reflect(desc, create(desc));
    this.readFields(r, open.v === '{' ? '}' : '>');
    return r;
  }

  #readValueInto(r: ReflectMessage, field: DescField): void {
    switch (field.fieldKind) {
      case 'scalar':
        r.set(field, this.#scalar(field.scalar, field.longAsString));
        return;
      case 'enum':
        r.set(field, this.#enum(field.enum));
        return;
      case 'message':
        r.set(field, this.#readMessage(field.message));
        return;
      case 'list': {
        const list = r.get(field);
        if (field.listKind === 'scalar') list.add(this.#scalar(field.scalar, field.longAsString));
        else if (field.listKind === 'enum') list.add(this.#enum(field.enum));
        else list.add(this.#readMessage(field.message));
        return;
      }
      case 'map': {
        const open = this.take();
        if (open.t !== 'punct' || (open.v !== '{' && open.v !== '<')) this.fail('expected "{"');
        const close = open.v === '{' ? '}' : '>';
        let key: unknown;
        let value: unknown;
        while (!this.accept(close)) {
          if (this.accept(',') || this.accept(';')) continue;
          const name = this.take();
          if (name.t !== 'word') this.fail('expected key or value');
          this.accept(':');
          if (name.v === 'key') key = this.#scalar(field.mapKey, false);
          else if (name.v === 'value') {
            if (field.mapKind === 'scalar') value = this.#scalar(field.scalar, false);
            else if (field.mapKind === 'enum') value = this.#enum(field.enum);
            else value = this.#readMessage(field.message);
          } else this.fail(`unexpected ${name.v} in a map entry`);
        }
        const map = r.get(field);
        map.set(
          key as never,
          (value ?? (field.mapKind === 'message' ? reflect(field.message) : undefined)) as never,
        );
        return;
      }
    }
  }

  #enum(e: DescEnum): number {
    const t = this.take();
    if (t.t !== 'word') this.fail(`expected a ${e.typeName} value`);
    const byName = e.values.find((v) => v.name === t.v);
    if (byName) return byName.number;
    const n = Number(t.v);
    if (Number.isInteger(n)) return n;
    this.fail(`unknown ${e.typeName} value ${t.v}`);
  }

  #scalar(type: ScalarType, longAsString: boolean): unknown {
    const t = this.take();
    if (type === ScalarType.STRING) {
      if (t.t !== 'str') this.fail('expected a string');
      return fromUtf8.decode(t.v);
    }
    if (type === ScalarType.BYTES) {
      if (t.t !== 'str') this.fail('expected bytes');
      return t.v;
    }
    if (t.t !== 'word') this.fail('expected a number or name');
    const w = t.v;
    if (type === ScalarType.BOOL) return w === 'true' || w === 't' || w === '1';
    if (type === ScalarType.DOUBLE || type === ScalarType.FLOAT) {
      const lw = w.toLowerCase().replace(/f$/, '');
      if (/^[-+]?(inf|infinity)$/.test(lw)) return lw.startsWith('-') ? -Infinity : Infinity;
      if (/^[-+]?nan$/.test(lw)) return NaN;
      return Number(lw);
    }
    const big = BigInt(w);
    const is64 = [
      ScalarType.INT64,
      ScalarType.UINT64,
      ScalarType.SINT64,
      ScalarType.FIXED64,
      ScalarType.SFIXED64,
    ].includes(type);
    if (is64) return longAsString ? big.toString() : big;
    return Number(big);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
