/* eslint-disable @typescript-eslint/no-explicit-any -- the candidates are loaded untyped, by specifier */
import { fromBinary, isMessage, toBinary, type Registry } from '@bufbuild/protobuf';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { timestampDate, timestampFromDate, TimestampSchema } from '@bufbuild/protobuf/wkt';
import type { Type } from '@bufbuild/cel-spec/cel/expr/checked_pb.js';
import type { N } from './values';

/** One conformance case, as the candidates see it. */
export interface Case {
  expr: string;
  container: string;
  bindings: Map<string, N>;
  /** Declared variables (`type_env`), for candidates with a checker. */
  vars: Map<string, Type | undefined>;
  disableCheck: boolean;
  checkOnly: boolean;
}

export type Outcome = { ok: true; value: N } | { ok: false; error: string };

/** A CEL library under comparison, loaded only when installed. */
export interface Candidate {
  name: string;
  version: string;
  /** Compiles and evaluates one case; never throws. */
  run(c: Case): Outcome;
  /** Compiles once for the speed run; the returned function evaluates with a plain JS activation. */
  compile(expr: string, vars: string[]): (activation: Record<string, unknown>) => unknown;
  /** Converts a plain JSON-like activation into this candidate's input form (done once, outside timing). */
  input(plain: unknown): unknown;
}

// Specifiers are held in variables so the bench typechecks whichever candidates are installed.
async function load(specifier: string): Promise<Record<string, any> | undefined> {
  try {
    return (await import(specifier)) as Record<string, any>;
  } catch {
    return undefined;
  }
}

async function versionOf(pkg: string): Promise<string> {
  const m = await load(`${pkg}/package.json`);
  if (m) return String((m['default'] as { version?: string } | undefined)?.version ?? '?');
  try {
    const { createRequire } = await import('node:module');
    const req = createRequire(import.meta.url);
    const { readFileSync } = await import('node:fs');
    const { dirname, join } = await import('node:path');
    let dir = dirname(req.resolve(pkg));
    for (let i = 0; i < 5; i++) {
      try {
        const j = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (j.name === pkg) return j.version ?? '?';
      } catch {
        /* keep looking upwards */
      }
      dir = dirname(dir);
    }
  } catch {
    /* unknown */
  }
  return '?';
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** Every candidate that is installed, in a fixed order. */
export async function loadCandidates(registry: Registry, only?: string[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const want = (n: string) => !only || only.includes(n);
  if (want('bufbuild')) {
    const m = await load('@bufbuild/cel');
    const ext = await load('@bufbuild/cel/ext');
    if (m)
      out.push(
        bufbuild(m, ext?.['strings'] as unknown[] | undefined, registry, await versionOf('@bufbuild/cel')),
      );
  }
  if (want('marcbachmann')) {
    const m = await load('@marcbachmann/cel-js');
    if (m) out.push(marcbachmann(m, registry, await versionOf('@marcbachmann/cel-js')));
  }
  if (want('cel-js')) {
    const m = await load('cel-js');
    if (m) out.push(celjs(m, await versionOf('cel-js')));
  }
  return out;
}

// ---- @bufbuild/cel: parse → plan → evaluate; values are bigint / CelUint / number / CelList / CelMap.
function bufbuild(
  cel: Record<string, any>,
  strings: unknown[] | undefined,
  registry: Registry,
  version: string,
): Candidate {
  const toInput = (n: N): unknown => {
    switch (n.k) {
      case 'null':
        return null;
      case 'uint':
        return cel['celUint'](n.v);
      case 'num':
        return n.v;
      case 'list':
        return n.v.map(toInput);
      case 'map':
        return new Map(n.v.map(([k, v]) => [toInput(k), toInput(v)]));
      case 'msg': {
        const desc = registry.getMessage(n.typeName);
        if (!desc) throw new Error(`unknown message ${n.typeName}`);
        return fromBinary(desc, n.bin);
      }
      case 'type':
      case 'opaque':
        throw new Error(`cannot bind a ${n.k}`);
      default:
        return n.v;
    }
  };
  const fromOutput = (v: unknown): N => {
    if (v === null) return { k: 'null' };
    if (typeof v === 'boolean') return { k: 'bool', v };
    if (typeof v === 'bigint') return { k: 'int', v };
    if (typeof v === 'number') return { k: 'double', v };
    if (typeof v === 'string') return { k: 'string', v };
    if (v instanceof Uint8Array) return { k: 'bytes', v };
    if (cel['isCelUint'](v)) return { k: 'uint', v: (v as { value: bigint }).value };
    if (cel['isCelList'](v)) return { k: 'list', v: [...(v as Iterable<unknown>)].map(fromOutput) };
    if (cel['isCelMap'](v))
      return {
        k: 'map',
        v: [...(v as Map<unknown, unknown>).entries()].map(([a, b]) => [fromOutput(a), fromOutput(b)]),
      };
    if (cel['isCelType'](v)) return { k: 'type', v: (v as { name: string }).name };
    if (isReflectMessage(v)) return { k: 'msg', typeName: v.desc.typeName, bin: toBinary(v.desc, v.message) };
    if (isMessage(v)) {
      const desc = registry.getMessage(v.$typeName);
      if (desc) return { k: 'msg', typeName: v.$typeName, bin: toBinary(desc, v) };
    }
    return { k: 'opaque', v: String(v) };
  };
  const envs = new Map<string, unknown>();
  const envFor = (container: string) => {
    let env = envs.get(container);
    if (!env) {
      // The library's own string extension (`strings`), as the conformance files for it expect.
      env = cel['celEnv']({ namespace: container || undefined, registry, funcs: strings });
      envs.set(container, env);
    }
    return env;
  };
  return {
    name: 'bufbuild',
    version,
    run(c) {
      try {
        const parsed = cel['parse'](c.expr);
        const fn = cel['plan'](envFor(c.container), parsed);
        if (c.checkOnly) return { ok: true, value: { k: 'null' } };
        const ctx: Record<string, unknown> = {};
        for (const [k, v] of c.bindings) ctx[k] = toInput(v);
        const r: unknown = fn(ctx);
        if (cel['isCelError'](r)) return { ok: false, error: errText(r) };
        return { ok: true, value: fromOutput(r) };
      } catch (e) {
        return { ok: false, error: errText(e) };
      }
    },
    compile(expr) {
      const fn = cel['plan'](cel['celEnv'](), cel['parse'](expr));
      return (a) => fn(a);
    },
    input: (plain) =>
      plainToCel(
        plain,
        (o) => new Map(Object.entries(o)),
        (n) => n,
      ),
  };
}

// ---- @marcbachmann/cel-js: Environment with declared variables; ints are bigint, uints UnsignedInt.
function marcbachmann(cel: Record<string, any>, registry: Registry, version: string): Candidate {
  const Environment = cel['Environment'] as new (opts: object) => any;
  const UnsignedInt = (cel['evaluate'] as (e: string) => object)('0u').constructor as new (v: bigint) => {
    value: bigint;
  };
  const typeName = (t: Type | undefined): string => {
    const k = t?.typeKind;
    switch (k?.case) {
      case 'primitive':
        return ['dyn', 'bool', 'int', 'uint', 'double', 'string', 'bytes'][k.value] ?? 'dyn';
      case 'wellKnown':
        return ['dyn', 'dyn', 'google.protobuf.Timestamp', 'google.protobuf.Duration'][k.value] ?? 'dyn';
      case 'listType':
        return `list<${typeName(k.value.elemType)}>`;
      case 'mapType':
        return `map<${typeName(k.value.keyType)}, ${typeName(k.value.valueType)}>`;
      case 'null':
        return 'null_type';
      default:
        return 'dyn';
    }
  };
  const toInput = (n: N): unknown => {
    switch (n.k) {
      case 'null':
        return null;
      case 'uint':
        return new UnsignedInt(n.v);
      case 'list':
        return n.v.map(toInput);
      case 'map':
        return new Map(n.v.map(([k, v]) => [toInput(k), toInput(v)]));
      case 'msg':
        if (n.typeName === 'google.protobuf.Timestamp')
          return timestampDate(fromBinary(TimestampSchema, n.bin));
        throw new Error(`no protobuf messages (${n.typeName})`);
      case 'type':
      case 'opaque':
        throw new Error(`cannot bind a ${n.k}`);
      default:
        return n.v;
    }
  };
  const fromOutput = (v: unknown): N => {
    if (v === null || v === undefined) return { k: 'null' };
    if (typeof v === 'boolean') return { k: 'bool', v };
    if (typeof v === 'bigint') return { k: 'int', v };
    if (typeof v === 'number') return { k: 'double', v };
    if (typeof v === 'string') return { k: 'string', v };
    if (v instanceof Uint8Array) return { k: 'bytes', v };
    if (v instanceof UnsignedInt) return { k: 'uint', v: v.value };
    if (Array.isArray(v)) return { k: 'list', v: v.map(fromOutput) };
    if (v instanceof Map)
      return { k: 'map', v: [...v.entries()].map(([a, b]) => [fromOutput(a), fromOutput(b)]) };
    if (v instanceof Date)
      return {
        k: 'msg',
        typeName: 'google.protobuf.Timestamp',
        bin: toBinary(TimestampSchema, timestampFromDate(v)),
      };
    if (typeof v === 'object' && v.constructor === Object)
      return {
        k: 'map',
        v: Object.entries(v).map(([a, b]) => [{ k: 'string', v: a }, fromOutput(b)]),
      };
    const name = (v as { name?: unknown }).name;
    if (typeof name === 'string' && v.constructor?.name === 'Type') return { k: 'type', v: name };
    return { k: 'opaque', v: String(v) };
  };
  void registry;
  return {
    name: 'marcbachmann',
    version,
    run(c) {
      try {
        const env = new Environment({
          unlistedVariablesAreDyn: true,
          homogeneousAggregateLiterals: false,
          enableOptionalTypes: true,
        });
        for (const [name, t] of c.vars) env.registerVariable(name, typeName(t));
        for (const name of c.bindings.keys()) if (!c.vars.has(name)) env.registerVariable(name, 'dyn');
        if (!c.disableCheck) {
          const checked = env.check(c.expr) as { valid: boolean; error?: Error };
          if (!checked.valid) return { ok: false, error: errText(checked.error) };
        }
        const fn = env.parse(c.expr) as (ctx: object) => unknown;
        if (c.checkOnly) return { ok: true, value: { k: 'null' } };
        const ctx: Record<string, unknown> = {};
        for (const [k, v] of c.bindings) ctx[k] = toInput(v);
        const r = fn(ctx);
        if (r instanceof Promise) return { ok: false, error: 'returned a promise' };
        return { ok: true, value: fromOutput(r) };
      } catch (e) {
        return { ok: false, error: errText(e) };
      }
    },
    compile(expr, vars) {
      const env = new Environment({ unlistedVariablesAreDyn: false });
      for (const v of vars) env.registerVariable(v, 'dyn');
      const fn = env.parse(expr) as (ctx: object) => unknown;
      return (a) => fn(a);
    },
    input: (plain) =>
      plainToCel(
        plain,
        (o) => o,
        (n) => n,
      ),
  };
}

// ---- cel-js (ChromeGG): parse to a CST, evaluate; every number is a JS number.
function celjs(cel: Record<string, any>, version: string): Candidate {
  const toInput = (n: N): unknown => {
    switch (n.k) {
      case 'null':
        return null;
      case 'int':
      case 'uint':
        return Number(n.v);
      case 'list':
        return n.v.map(toInput);
      case 'map':
        return Object.fromEntries(n.v.map(([k, v]) => [String(toInput(k)), toInput(v)]));
      case 'msg':
      case 'type':
      case 'opaque':
        throw new Error(`cannot bind a ${n.k}`);
      default:
        return n.v;
    }
  };
  const fromOutput = (v: unknown): N => {
    if (v === null || v === undefined) return { k: 'null' };
    if (typeof v === 'boolean') return { k: 'bool', v };
    if (typeof v === 'bigint') return { k: 'int', v };
    if (typeof v === 'number') return { k: 'num', v };
    if (typeof v === 'string') return { k: 'string', v };
    if (v instanceof Uint8Array) return { k: 'bytes', v };
    if (Array.isArray(v)) return { k: 'list', v: v.map(fromOutput) };
    if (typeof v === 'object')
      return { k: 'map', v: Object.entries(v).map(([a, b]) => [{ k: 'string', v: a }, fromOutput(b)]) };
    return { k: 'opaque', v: String(v) };
  };
  const compile = (expr: string) => {
    const parsed = cel['parse'](expr) as { isSuccess: boolean; cst: unknown; errors?: unknown[] };
    if (!parsed.isSuccess) throw new Error(`parse error: ${errText(parsed.errors?.[0])}`);
    return (a: Record<string, unknown>) => cel['evaluate'](parsed.cst, a) as unknown;
  };
  return {
    name: 'cel-js',
    version,
    run(c) {
      try {
        const fn = compile(c.expr);
        if (c.checkOnly) return { ok: true, value: { k: 'null' } };
        const ctx: Record<string, unknown> = {};
        for (const [k, v] of c.bindings) ctx[k] = toInput(v);
        return { ok: true, value: fromOutput(fn(ctx)) };
      } catch (e) {
        return { ok: false, error: errText(e) };
      }
    },
    compile,
    input: (plain) =>
      plainToCel(
        plain,
        (o) => o,
        (n) => n,
      ),
  };
}

/** Converts JSON-like data: objects through `obj`, numbers through `num`, arrays element-wise. */
function plainToCel(
  v: unknown,
  obj: (o: Record<string, unknown>) => unknown,
  num: (n: number) => unknown,
): unknown {
  if (Array.isArray(v)) return v.map((x) => plainToCel(x, obj, num));
  if (typeof v === 'number') return num(v);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plainToCel(x, obj, num);
    return obj(o);
  }
  return v;
}
