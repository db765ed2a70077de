import type { Normalized } from '@patternmesh/proto';

/** Version of the ontology the typed fields follow; stamped on every `Normalized`. */
export const ONTOLOGY_VERSION = '1';

/**
 * How a typed field's value is coerced from the source record.
 * - `text`: any scalar, trimmed.
 * - `lowercase`: text, lower-cased (values rules compare on, e.g. indicator types).
 * - `summary`: text collapsed onto one line and capped in length.
 * - `ip`: an IPv4 or IPv6 address.
 * - `port`: an integer 0–65535.
 * - `number`: a finite decimal number.
 * - `currency`: a 3-letter ISO 4217 code, upper-cased.
 * - `protocol`: a transport/application protocol name, lower-cased; IANA numbers 1/6/17/58 are named.
 * - `tags`: a string or a list of scalars.
 */
export type FieldType =
  'text' | 'lowercase' | 'summary' | 'ip' | 'port' | 'number' | 'currency' | 'protocol' | 'tags';

/**
 * The typed fields of `Normalized` a mapping may fill, with the coercion each one gets. `kind`,
 * `severity`, `mappingId`, `ontologyVersion` and `extra` are not listed: the mapping sets them by other means.
 */
export const ONTOLOGY_FIELD_TYPES = {
  actor: 'text',
  host: 'text',
  srcIp: 'ip',
  dstIp: 'ip',
  srcPort: 'port',
  dstPort: 'port',
  protocol: 'protocol',
  indicator: 'text',
  indicatorType: 'lowercase',
  amount: 'number',
  currency: 'currency',
  summary: 'summary',
  tags: 'tags',
} as const satisfies Partial<Record<keyof Normalized, FieldType>>;

/** A typed ontology field a mapping can fill (the camelCase name of the `Normalized` field). */
export type OntologyField = keyof typeof ONTOLOGY_FIELD_TYPES;

/** Every ontology field, in the order they are applied and documented. */
export const ONTOLOGY_FIELDS = Object.keys(ONTOLOGY_FIELD_TYPES) as OntologyField[];

/** Whether `name` is an ontology field a mapping may fill. */
export function isOntologyField(name: string): name is OntologyField {
  return Object.hasOwn(ONTOLOGY_FIELD_TYPES, name);
}
