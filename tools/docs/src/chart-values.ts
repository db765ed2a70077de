// The chart README's values table, from helm/patternmesh/values.schema.json (what each key is) and
// values.yaml (its default). The five components share one schema, so they are documented once as
// `components.<name>.*`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

interface SchemaNode {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
}

const COMPONENT_PLACEHOLDER = '<name>';

function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.map((v) => String(v)).join(' / ');
  if (node.oneOf) return node.oneOf.map(typeOf).join(' or ');
  const type = Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'any');
  if (type === 'array' && node.items) return `list of ${typeOf(node.items)}`;
  if (type === 'integer' || type === 'number') {
    if (node.minimum !== undefined && node.maximum !== undefined)
      return `${type} ${node.minimum}–${node.maximum}`;
    if (node.minimum !== undefined) return `${type} ≥ ${node.minimum}`;
  }
  return type;
}

function show(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
  return `\`${text.length > 60 ? `${text.slice(0, 57)}…` : text}\``.replaceAll('|', '\\|');
}

function at(values: unknown, keys: string[]): unknown {
  let v = values;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** Leaf rows: an object with properties is descended into; anything else is one row. */
function rows(node: SchemaNode, keys: string[], values: unknown, out: string[][]): void {
  if (node.properties) {
    const entries = Object.entries(node.properties);
    // The components share one schema: document it once, with the default of the first.
    if (keys.length === 1 && keys[0] === 'components') {
      const [first, schema] = entries[0]!;
      const names = entries.map(([n]) => `\`${n}\``).join(', ');
      out.push(['`components`', 'object', '', `the services, each as below: ${names}`]);
      rowsOfComponent(schema, at(values, ['components', first]), out);
      return;
    }
    for (const [key, child] of entries) rows(child, [...keys, key], values, out);
    return;
  }
  out.push([`\`${keys.join('.')}\``, typeOf(node), show(at(values, keys)), node.description ?? '']);
}

function rowsOfComponent(schema: SchemaNode, defaults: unknown, out: string[][]): void {
  const sub: string[][] = [];
  rows(schema, [], defaults, sub);
  for (const [key, type, value, description] of sub) {
    out.push([key!.replace(/^`/, `\`components.${COMPONENT_PLACEHOLDER}.`), type!, value!, description!]);
  }
}

export function chartValuesTable(chartDir: string): string {
  const schema = JSON.parse(readFileSync(path.join(chartDir, 'values.schema.json'), 'utf8')) as SchemaNode;
  const values: unknown = parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));
  const out: string[][] = [];
  rows(schema, [], values, out);
  return [
    '| key | type | default | description |',
    '| --- | --- | --- | --- |',
    // Markdown would read <fullname> in a description as HTML (code spans need no escaping).
    ...out.map(([key, type, value, description]) => {
      const text = description!.replaceAll('\n', ' ').replace(/<(?=[a-z])/g, '\\<');
      return `| ${key} | ${type} | ${value} | ${text} |`;
    }),
  ].join('\n');
}
