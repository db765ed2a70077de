/**
 * Configuration from the environment, validated by one schema per service. Loading fails fast and
 * lists every problem at once (not just the first), and secrets never appear in the summary.
 * This is the only module that reads `process.env`.
 */

export interface Setting<T> {
  readonly doc: string;
  readonly secret?: boolean;
  /** What values it takes, for docs and `--help` (e.g. `integer 1–10000`, `true/false`). */
  readonly type: string;
  /** The default as one would write it in the environment; undefined when the setting is required. */
  readonly defaultText?: string;
  /** The accepted values, for settings that take one of a list (`setting.oneOf`). */
  readonly values?: readonly string[];
  parse(raw: string | undefined): { ok: true; value: T } | { ok: false; problem: string };
}

type ValueOf<S> = S extends Setting<infer T> ? T : never;
export type ConfigOf<S extends Record<string, Setting<unknown>>> = { readonly [K in keyof S]: ValueOf<S[K]> };

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ok = <T>(value: T) => ({ ok: true as const, value });
/** The default as written in the environment (empty string shown as such). */
const shown = (value: string | number | boolean | undefined): { defaultText?: string } =>
  value === undefined ? {} : { defaultText: String(value) };
const bad = (problem: string) => ({ ok: false as const, problem });

function withDefault<T>(
  raw: string | undefined,
  fallback: T | undefined,
  parse: (s: string) => { ok: true; value: T } | { ok: false; problem: string },
) {
  if (raw === undefined || raw === '') return fallback === undefined ? bad('is required') : ok(fallback);
  return parse(raw.trim());
}

export const setting = {
  string(
    doc: string,
    options: { default?: string; secret?: boolean; pattern?: RegExp } = {},
  ): Setting<string> {
    return {
      doc,
      secret: options.secret ?? false,
      type: 'string',
      ...shown(options.default),
      parse: (raw) =>
        withDefault(raw, options.default, (s) =>
          options.pattern && !options.pattern.test(s) ? bad(`must match ${options.pattern}`) : ok(s),
        ),
    };
  },
  int(doc: string, options: { default?: number; min?: number; max?: number } = {}): Setting<number> {
    const range =
      options.min !== undefined && options.max !== undefined
        ? ` ${options.min}–${options.max}`
        : options.min !== undefined
          ? ` ≥ ${options.min}`
          : options.max !== undefined
            ? ` ≤ ${options.max}`
            : '';
    return {
      doc,
      type: `integer${range}`,
      ...shown(options.default),
      parse: (raw) =>
        withDefault(raw, options.default, (s) => {
          if (!/^-?\d+$/.test(s)) return bad(`must be an integer, got "${s}"`);
          const n = Number(s);
          if (options.min !== undefined && n < options.min) return bad(`must be >= ${options.min}, got ${n}`);
          if (options.max !== undefined && n > options.max) return bad(`must be <= ${options.max}, got ${n}`);
          return ok(n);
        }),
    };
  },
  /** A share between 0 and 1 inclusive, e.g. a sampling ratio (`0.01` = 1 %). */
  ratio(doc: string, options: { default?: number } = {}): Setting<number> {
    return {
      doc,
      type: 'number 0–1',
      ...shown(options.default),
      parse: (raw) =>
        withDefault(raw, options.default, (s) => {
          const n = /^(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : Number.NaN;
          return n >= 0 && n <= 1 ? ok(n) : bad(`must be a number from 0 to 1, got "${s}"`);
        }),
    };
  },
  /** A TCP port; 0 asks the OS for a free one (tests). */
  port(doc: string, options: { default?: number } = {}): Setting<number> {
    return setting.int(doc, { ...options, min: 0, max: 65535 });
  },
  bool(doc: string, options: { default?: boolean } = {}): Setting<boolean> {
    return {
      doc,
      type: 'true/false',
      ...shown(options.default),
      parse: (raw) =>
        withDefault(raw, options.default, (s) => {
          if (/^(1|true|yes|on)$/i.test(s)) return ok(true);
          if (/^(0|false|no|off)$/i.test(s)) return ok(false);
          return bad(`must be true or false, got "${s}"`);
        }),
    };
  },
  oneOf<const T extends string>(
    doc: string,
    values: readonly T[],
    options: { default?: T } = {},
  ): Setting<T> {
    return {
      doc,
      type: values.join(' / '),
      values,
      ...shown(options.default),
      parse: (raw) =>
        withDefault(raw, options.default, (s) =>
          (values as readonly string[]).includes(s)
            ? ok(s as T)
            : bad(`must be one of ${values.join(', ')}, got "${s}"`),
        ),
    };
  },
  url(doc: string, options: { default?: string; protocols?: string[] } = {}): Setting<string> {
    return {
      doc,
      type: 'URL',
      ...shown(options.default),
      parse: (raw) =>
        withDefault(raw, options.default, (s) => {
          try {
            const url = new URL(s);
            if (options.protocols && !options.protocols.includes(url.protocol)) {
              return bad(`must use ${options.protocols.join(' or ')}, got ${url.protocol}`);
            }
            return ok(s);
          } catch {
            return bad(`must be a URL, got "${s}"`);
          }
        }),
    };
  },
  /** `key=value` pairs separated by commas, e.g. API keys to tenants. */
  pairs(
    doc: string,
    options: { default?: Record<string, string>; secret?: boolean } = {},
  ): Setting<Record<string, string>> {
    return {
      doc,
      secret: options.secret ?? false,
      type: 'key=value,…',
      ...shown(
        options.default &&
          Object.entries(options.default)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
      ),
      parse: (raw) =>
        withDefault(raw, options.default, (s) => {
          const out: Record<string, string> = {};
          for (const item of s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)) {
            const eq = item.indexOf('=');
            if (eq <= 0 || eq === item.length - 1) return bad('must be comma-separated key=value pairs');
            out[item.slice(0, eq)] = item.slice(eq + 1);
          }
          return Object.keys(out).length > 0 ? ok(out) : bad('must name at least one key=value pair');
        }),
    };
  },
};

/** The process environment (this module is the one that reads it). */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/** Validates `env` against `schema`; throws one ConfigError naming every problem. */
export function loadConfig<S extends Record<string, Setting<unknown>>>(
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConfigOf<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const result = spec.parse(env[name]);
    if (result.ok) out[name] = result.value;
    else problems.push(`${name} ${result.problem} (${spec.doc})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}

/** A loggable view of a loaded config, with secrets masked. */
export function redactConfig<S extends Record<string, Setting<unknown>>>(
  schema: S,
  config: ConfigOf<S>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([name, value]) => [name, schema[name]?.secret ? '[redacted]' : value]),
  );
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '\\<');

/** Markdown table of the settings (variable, default, values, meaning), for READMEs and `--help`. */
export function describeSettings(schema: Record<string, Setting<unknown>>): string {
  const rows = Object.entries(schema).map(([name, spec]) => {
    const fallback =
      spec.defaultText === undefined
        ? 'required'
        : spec.defaultText === ''
          ? '(empty)'
          : `\`${spec.defaultText}\``;
    return `| \`${name}\` | ${cell(fallback)} | ${cell(spec.type)} | ${cell(spec.doc)}${spec.secret ? ' (secret: never logged)' : ''} |`;
  });
  return ['| variable | default | values | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
