// Public API of @patternmesh/normalize: payload parsers, declarative mappings into the ontology, the
// Normalizer that applies them, and mapping suggestions for unknown sources.
export { ONTOLOGY_VERSION, ONTOLOGY_FIELDS, ONTOLOGY_FIELD_TYPES, isOntologyField } from './ontology';
export type { OntologyField, FieldType } from './ontology';
export { parsePayload, ParserRegistry, createDefaultParsers, mediaTypeOf } from './parse/registry';
export { parseJson } from './parse/json';
export { parseLogfmt } from './parse/logfmt';
export type { ParseResult, ParseFailureCode, PayloadParser } from './parse/types';
export {
  SEVERITY_NAMES,
  SEVERITY_ALIASES,
  NUMERIC_SCALES,
  severityFromName,
  isSeverityName,
} from './severity';
export type { SeverityName, NumericScale } from './severity';
export {
  MappingSpecError,
  isMappingSpecError,
  validateMappingSpec,
  validateMappingSpecs,
} from './mapping-spec';
export type { MappingSpec, SeveritySpec } from './mapping-spec';
export { compileMapping } from './apply-mapping';
export type { CompiledMapping, MappingResult } from './apply-mapping';
export {
  DEFAULT_MAPPINGS,
  FRAUD_CARD_MAPPING,
  IDS_ALERT_MAPPING,
  EDR_ALERT_MAPPING,
  THREAT_INDICATOR_MAPPING,
  APP_LOG_MAPPING,
  GENERIC_MAPPING,
} from './default-mappings';
export { Normalizer } from './normalizer';
export type { NormalizeOutcome, NormalizeFailureCode, NormalizerOptions } from './normalizer';
export { suggestMapping, draftMappingSpec } from './suggest';
export type { SuggestOptions, SuggestionTarget } from './suggest';
