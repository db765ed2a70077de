import { Lane, Priority, Severity, type Pattern } from '@patternmesh/proto';

/**
 * What an expression sees. Field names are the protobuf names (snake_case), as CEL over the
 * `Pattern` message would read them. Unset messages read as their defaults (proto3 semantics), so
 * `normalized.kind == ""` on a pattern that was never normalized, and never an error.
 */
export interface Activation {
  pattern: Record<string, unknown>;
  normalized: Record<string, unknown>;
  classification: Record<string, unknown>;
  attributes: Record<string, string>;
}

/** CEL field types of the envelope messages, for the checker (misspelt fields fail to compile). */
export const NORMALIZED_FIELDS = {
  ontology_version: 'string',
  kind: 'string',
  summary: 'string',
  severity: 'int',
  actor: 'string',
  host: 'string',
  src_ip: 'string',
  dst_ip: 'string',
  src_port: 'int',
  dst_port: 'int',
  protocol: 'string',
  indicator: 'string',
  indicator_type: 'string',
  amount: 'double',
  currency: 'string',
  tags: 'list<string>',
  mapping_id: 'string',
  extra: 'map<string, dyn>',
} as const;

export const CLASSIFICATION_FIELDS = {
  category: 'string',
  priority: 'int',
  score: 'double',
  labels: 'list<string>',
  model_version: 'string',
  rule_ids: 'list<string>',
  explanation: 'string',
} as const;

export const PATTERN_FIELDS = {
  id: 'string',
  tenant: 'string',
  source: 'string',
  entity: 'string',
  content_type: 'string',
  idempotency_key: 'string',
  attributes: 'map<string, string>',
  normalized: 'patternmesh.Normalized',
  classification: 'patternmesh.Classification',
} as const;

/** Enum constants by name: `Severity.SEVERITY_HIGH` or `Severity.high`; values are CEL ints. */
export const ENUMS = {
  Severity: enumMembers(Severity, 'SEVERITY_'),
  Priority: enumMembers(Priority, 'PRIORITY_'),
  Lane: enumMembers(Lane, 'LANE_'),
} as const;

function enumMembers(e: Record<string, string | number>, prefix: string): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [name, value] of Object.entries(e)) {
    if (typeof value !== 'number' || value < 0 || !name.startsWith(prefix)) continue;
    out[name] = BigInt(value);
    out[name.slice(prefix.length).toLowerCase()] = BigInt(value);
  }
  return out;
}

/** Builds the activation once per pattern; every rule and route condition then reads the same one. */
export function activationOf(p: Pattern): Activation {
  const n = p.normalized;
  const c = p.classification;
  const normalized: Record<string, unknown> = {
    ontology_version: n?.ontologyVersion ?? '',
    kind: n?.kind ?? '',
    summary: n?.summary ?? '',
    severity: BigInt(n?.severity ?? 0),
    actor: n?.actor ?? '',
    host: n?.host ?? '',
    src_ip: n?.srcIp ?? '',
    dst_ip: n?.dstIp ?? '',
    src_port: BigInt(n?.srcPort ?? 0),
    dst_port: BigInt(n?.dstPort ?? 0),
    protocol: n?.protocol ?? '',
    indicator: n?.indicator ?? '',
    indicator_type: n?.indicatorType ?? '',
    amount: n?.amount ?? 0,
    currency: n?.currency ?? '',
    tags: n?.tags ?? [],
    mapping_id: n?.mappingId ?? '',
    extra: (n?.extra as Record<string, unknown> | undefined) ?? {},
  };
  const classification: Record<string, unknown> = {
    category: c?.category ?? '',
    priority: BigInt(Math.max(0, c?.priority ?? 0)),
    score: c?.score ?? 0,
    labels: c?.labels ?? [],
    model_version: c?.modelVersion ?? '',
    rule_ids: c?.ruleIds ?? [],
    explanation: c?.explanation ?? '',
  };
  const attributes = p.attributes ?? {};
  return {
    pattern: {
      id: p.id,
      tenant: p.tenant,
      source: p.source,
      entity: p.entity,
      content_type: p.contentType,
      idempotency_key: p.idempotencyKey,
      attributes,
      normalized,
      classification,
    },
    normalized,
    classification,
    attributes,
  };
}
