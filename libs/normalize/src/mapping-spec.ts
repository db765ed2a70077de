import { isOntologyField, ONTOLOGY_FIELDS, type OntologyField } from './ontology';
import { isValidPath } from '@patternmesh/pattern';
import {
  isSeverityName,
  NUMERIC_SCALES,
  SEVERITY_NAMES,
  type NumericScale,
  type SeverityName,
} from './severity';
import { parseTemplate } from './template';

/** How a mapping reads the source's severity. */
export interface SeveritySpec {
  /** Dotted path(s) to the severity value; the first present wins. */
  path: string | string[];
  /** Source values to severity names, compared case-insensitively (numbers as text), e.g. `{ "1": "high" }`. */
  map?: Record<string, SeverityName>;
  /** How to read numeric values not found in `map`. */
  numericScale?: NumericScale;
  /** Severity when no path is present or the value cannot be read. */
  default?: SeverityName;
}

/**
 * A declarative, JSON-serializable mapping from one source's records into the ontology.
 *
 * @example
 * {
 *   "id": "vpn-auth", "version": "3", "source": "auth.vpn", "kind": "authentication",
 *   "fields": { "actor": ["user", "username"], "srcIp": "client.ip" },
 *   "severity": { "path": "level" },
 *   "summary": "{user|username} failed login from {client.ip}",
 *   "tags": ["vpn"]
 * }
 */
export interface MappingSpec {
  /** Stable id; with the version it becomes `Normalized.mappingId` (`id@version`). */
  id: string;
  version: string;
  /** The source name this mapping applies to: exact, or a glob where `*` matches any run of characters. */
  source: string;
  /** Ontology kind of the records, e.g. `transaction`, `alert`, `indicator`, `log`, `event`. */
  kind: string;
  /** Ontology field → dotted path(s) into the record; the first present value that fits the field wins. */
  fields: Partial<Record<OntologyField, string | string[]>>;
  severity?: SeveritySpec;
  /** Summary template with `{path}` / `{path|other.path}` placeholders; wins over `fields.summary` when it renders text. */
  summary?: string;
  /** Tags added to every record of this source. */
  tags?: string[];
  /** Free text for operators. */
  description?: string;
}

const SPEC_KEYS = new Set([
  'id',
  'version',
  'source',
  'kind',
  'fields',
  'severity',
  'summary',
  'tags',
  'description',
]);
const SEVERITY_KEYS = new Set(['path', 'map', 'numericScale', 'default']);
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const KIND = /^[a-z][a-z0-9_-]*$/;

const ERROR_BRAND = Symbol.for('patternmesh.normalize.MappingSpecError');

/** Thrown when mapping specs are invalid; `problems` lists every one, each naming the spec and field. */
export class MappingSpecError extends Error {
  readonly problems: readonly string[];
  readonly [ERROR_BRAND] = true;

  constructor(problems: readonly string[]) {
    super(
      `invalid mapping specs (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
    );
    this.name = 'MappingSpecError';
    this.problems = problems;
  }
}

/** Whether `e` is a `MappingSpecError`, by brand, so it holds across package copies. */
export function isMappingSpecError(e: unknown): e is MappingSpecError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

/**
 * Validates a set of mapping specs (for example, a ConfigMap just loaded) and returns every problem;
 * an empty list means the set is usable. Beyond each spec's own checks, two specs may not share an
 * `id@version` or claim the same `source`.
 */
export function validateMappingSpecs(specs: unknown): string[] {
  if (!Array.isArray(specs)) return ['mapping specs must be a list'];
  const problems: string[] = [];
  const byMappingId = new Map<string, number>();
  const bySource = new Map<string, number>();
  specs.forEach((spec: unknown, i) => {
    const label = labelOf(spec, i);
    problems.push(...validateMappingSpec(spec).map((p) => `${label}: ${p}`));
    if (!isRecord(spec)) return;
    const { id, version, source } = spec;
    if (typeof id === 'string' && typeof version === 'string') {
      const key = `${id}@${version}`;
      const first = byMappingId.get(key);
      if (first !== undefined)
        problems.push(`${label}: duplicates the mapping id ${key} of mappings[${first}]`);
      else byMappingId.set(key, i);
    }
    if (typeof source === 'string') {
      const first = bySource.get(source);
      if (first !== undefined) {
        problems.push(`${label}: source "${source}" is already claimed by ${labelOf(specs[first], first)}`);
      } else bySource.set(source, i);
    }
  });
  return problems;
}

/** Validates one mapping spec and returns every problem found (empty when valid). */
export function validateMappingSpec(spec: unknown): string[] {
  if (!isRecord(spec)) return ['must be an object'];
  const problems: string[] = [];
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.has(key))
      problems.push(`unknown key "${key}"; expected one of ${[...SPEC_KEYS].join(', ')}`);
  }
  const { id, version, source, kind, fields, severity, summary, tags, description } = spec;
  if (typeof id !== 'string' || !ID.test(id)) {
    problems.push('id must be a non-empty string of letters, digits, ".", "_" or "-"');
  }
  if (typeof version !== 'string' || version.length === 0 || /[\s@]/.test(version)) {
    problems.push('version must be a non-empty string without spaces or "@"');
  }
  if (typeof source !== 'string' || source.length === 0 || /\s/.test(source)) {
    problems.push('source must be a non-empty source name or glob without spaces');
  }
  if (typeof kind !== 'string' || !KIND.test(kind)) {
    problems.push('kind must be a lower-case word such as "alert" or "transaction"');
  }
  if (!isRecord(fields)) {
    problems.push('fields must be an object of ontology field → path(s) (it may be empty)');
  } else {
    for (const [field, paths] of Object.entries(fields)) {
      if (!isOntologyField(field)) {
        problems.push(
          `fields.${field} is not an ontology field; expected one of ${ONTOLOGY_FIELDS.join(', ')}`,
        );
        continue;
      }
      problems.push(...checkPaths(paths, `fields.${field}`));
    }
  }
  if (severity !== undefined) problems.push(...checkSeverity(severity));
  if (summary !== undefined) {
    if (typeof summary !== 'string' || summary.trim() === '')
      problems.push('summary must be a non-empty template string');
    else {
      const parsed = parseTemplate(summary);
      if (!parsed.ok) problems.push(...parsed.problems.map((p) => `summary: ${p}`));
    }
  }
  if (
    tags !== undefined &&
    !(Array.isArray(tags) && tags.every((t) => typeof t === 'string' && t.trim() !== ''))
  ) {
    problems.push('tags must be a list of non-empty strings');
  }
  if (description !== undefined && typeof description !== 'string')
    problems.push('description must be a string');
  return problems;
}

function checkSeverity(severity: unknown): string[] {
  if (!isRecord(severity)) return ['severity must be an object with a path'];
  const problems: string[] = [];
  for (const key of Object.keys(severity)) {
    if (!SEVERITY_KEYS.has(key)) {
      problems.push(`severity: unknown key "${key}"; expected one of ${[...SEVERITY_KEYS].join(', ')}`);
    }
  }
  problems.push(...checkPaths(severity['path'], 'severity.path'));
  const { map, numericScale } = severity;
  if (map !== undefined) {
    if (!isRecord(map)) problems.push('severity.map must be an object of source value → severity name');
    else {
      for (const [k, v] of Object.entries(map)) {
        if (!isSeverityName(v)) {
          problems.push(
            `severity.map["${k}"] is ${JSON.stringify(v)}; expected one of ${SEVERITY_NAMES.join(', ')}`,
          );
        }
      }
    }
  }
  if (numericScale !== undefined && !NUMERIC_SCALES.includes(numericScale as NumericScale)) {
    problems.push(
      `severity.numericScale is ${JSON.stringify(numericScale)}; expected one of ${NUMERIC_SCALES.join(', ')}`,
    );
  }
  if (severity['default'] !== undefined && !isSeverityName(severity['default'])) {
    problems.push(
      `severity.default is ${JSON.stringify(severity['default'])}; expected one of ${SEVERITY_NAMES.join(', ')}`,
    );
  }
  return problems;
}

function checkPaths(paths: unknown, where: string): string[] {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (!Array.isArray(list) || list.length === 0)
    return [`${where} must be a dotted path or a non-empty list of them`];
  return list.flatMap((p: unknown, i) =>
    typeof p === 'string' && isValidPath(p)
      ? []
      : [
          `${where}${Array.isArray(paths) ? `[${i}]` : ''} is ${JSON.stringify(p)}; expected a dotted path like "source.ip"`,
        ],
  );
}

function labelOf(spec: unknown, i: number): string {
  if (isRecord(spec) && typeof spec['id'] === 'string') {
    return `mappings[${i}] (${spec['id']}${typeof spec['version'] === 'string' ? `@${spec['version']}` : ''})`;
  }
  return `mappings[${i}]`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The list form of a path-or-paths value. */
export function pathList(paths: string | readonly string[]): string[] {
  return typeof paths === 'string' ? [paths] : [...paths];
}
