import { Severity, type Normalized } from '@patternmesh/proto';
import { coerce, oneLine, type FieldValue } from './coerce';
import { pathList, type MappingSpec } from './mapping-spec';
import { ONTOLOGY_FIELD_TYPES, ONTOLOGY_FIELDS, ONTOLOGY_VERSION, type OntologyField } from './ontology';
import { resolvePath } from '@patternmesh/pattern';
import { cloneJson, isPresent, removeKeys } from './path';
import { resolveSeverity, severityFromName, type SeverityRule } from './severity';
import { parseTemplate, renderTemplate, type TemplatePart } from './template';

// Compile-time guard: every field type coerces to exactly what `Normalized` stores in that field.
type _FieldTypesFitNormalized = {
  [K in OntologyField]: FieldValue[(typeof ONTOLOGY_FIELD_TYPES)[K]] extends Normalized[K] ? true : never;
};

/** The ontology view of one record, and what could not be placed (each note names field, path and why). */
export interface MappingResult {
  normalized: Normalized;
  notes: string[];
}

/** A mapping spec prepared for repeated use on the hot path. */
export type CompiledMapping = (record: Record<string, unknown>) => MappingResult;

/**
 * Prepares a validated mapping spec. The returned function never throws on odd records: a value
 * that does not fit its field leaves the field empty, adds a note, and stays in `extra`.
 */
export function compileMapping(spec: MappingSpec): CompiledMapping {
  const mappingId = `${spec.id}@${spec.version}`;
  const plans = ONTOLOGY_FIELDS.flatMap((field) => {
    const paths = spec.fields[field];
    return paths === undefined ? [] : [{ field, paths: pathList(paths) }];
  });
  const template = spec.summary === undefined ? undefined : parseTemplate(spec.summary);
  if (template && !template.ok) throw new Error(`mapping ${mappingId}: ${template.problems.join('; ')}`);
  const templateParts: TemplatePart[] | undefined = template?.parts;
  const severityPaths = spec.severity ? pathList(spec.severity.path) : [];
  const severityRule: SeverityRule = {
    // Lower-cased once here so matching stays a map lookup per record.
    map: new Map(Object.entries(spec.severity?.map ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v])),
    ...(spec.severity?.numericScale ? { numericScale: spec.severity.numericScale } : {}),
  };
  const severityDefault = spec.severity?.default
    ? severityFromName(spec.severity.default)
    : Severity.SEVERITY_UNSPECIFIED;
  const staticTags = spec.tags ?? [];

  return (record) => {
    const normalized: Normalized = {
      ontologyVersion: ONTOLOGY_VERSION,
      kind: spec.kind,
      summary: '',
      severity: severityDefault,
      actor: '',
      host: '',
      srcIp: '',
      dstIp: '',
      srcPort: 0,
      dstPort: 0,
      protocol: '',
      indicator: '',
      indicatorType: '',
      amount: 0,
      currency: '',
      tags: [],
      mappingId,
      extra: undefined,
    };
    const consumed: string[][] = [];
    const notes: string[] = [];

    // The template does not consume the fields it quotes: they stay in `extra` for subscribers.
    const rendered = templateParts ? renderTemplate(templateParts, record) : '';
    if (rendered) normalized.summary = oneLine(rendered);

    for (const { field, paths } of plans) {
      if (field === 'summary' && rendered) continue;
      for (const path of paths) {
        const hit = resolvePath(record, path);
        if (!hit || !isPresent(hit.value)) continue;
        const value = coerce(ONTOLOGY_FIELD_TYPES[field], hit.value);
        if (!value.ok) {
          notes.push(`fields.${field}: "${path}" ${value.reason}; left in extra`);
          continue;
        }
        (normalized as Record<OntologyField, unknown>)[field] = value.value;
        consumed.push(hit.keys);
        break;
      }
    }

    for (const path of severityPaths) {
      const hit = resolvePath(record, path);
      if (!hit || !isPresent(hit.value)) continue;
      const severity = resolveSeverity(hit.value, severityRule);
      if (!severity.ok) {
        notes.push(`severity: "${path}" ${severity.reason}; left in extra`);
        continue;
      }
      normalized.severity = severity.value;
      consumed.push(hit.keys);
      break;
    }

    normalized.tags = [...new Set([...staticTags, ...normalized.tags])];

    const extra = cloneJson(record) as Record<string, unknown>;
    for (const keys of consumed) removeKeys(extra, keys);
    normalized.extra = extra;
    return { normalized, notes };
  };
}
