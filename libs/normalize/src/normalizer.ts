import type { Pattern } from '@patternmesh/proto';
import { compileMapping, type CompiledMapping } from './apply-mapping';
import { MappingIndex } from './mapping-index';
import { MappingSpecError, validateMappingSpecs, type MappingSpec } from './mapping-spec';
import { createDefaultParsers, type ParserRegistry } from './parse/registry';
import type { ParseFailureCode } from './parse/types';

/** Why a pattern could not be normalized; each sends the pattern to quarantine with the reason. */
export type NormalizeFailureCode = ParseFailureCode | 'NO_MAPPING';

/** The result of normalizing one pattern. */
export type NormalizeOutcome =
  | {
      ok: true;
      /** A copy of the input with `normalized` set; the input is never modified. */
      pattern: Pattern;
      /** Values that did not fit their field (left empty, kept in `extra`); worth a log line and a metric. */
      notes: string[];
    }
  | { ok: false; code: NormalizeFailureCode; reason: string };

/** Options for a `Normalizer`. */
export interface NormalizerOptions {
  /** Payload parsers by content type; defaults to JSON and logfmt. */
  parsers?: ParserRegistry;
}

interface Entry {
  readonly source: string;
  readonly spec: MappingSpec;
  readonly apply: CompiledMapping;
}

/**
 * Parses a pattern's payload and maps it into the ontology with the mapping for its source.
 *
 * @example
 * const normalizer = new Normalizer(DEFAULT_MAPPINGS);
 * const out = normalizer.normalize(pattern);
 * if (!out.ok) quarantine(pattern, out.code, out.reason);
 */
export class Normalizer {
  readonly #index: MappingIndex<Entry>;
  readonly #parsers: ParserRegistry;

  /** @throws MappingSpecError listing every problem when the specs are invalid. */
  constructor(mappings: readonly MappingSpec[], opts: NormalizerOptions = {}) {
    const problems = validateMappingSpecs(mappings);
    if (problems.length > 0) throw new MappingSpecError(problems);
    this.#index = new MappingIndex(
      mappings.map((spec) => ({ source: spec.source, spec, apply: compileMapping(spec) })),
    );
    this.#parsers = opts.parsers ?? createDefaultParsers();
  }

  /** The mapping that applies to a source name, if any. */
  mappingFor(source: string): MappingSpec | undefined {
    return this.#index.find(source)?.spec;
  }

  /** Normalizes one pattern. Never throws on bad input; failures carry a code and a precise reason. */
  normalize(p: Pattern): NormalizeOutcome {
    const entry = this.#index.find(p.source);
    if (!entry) {
      return { ok: false, code: 'NO_MAPPING', reason: `no mapping matches source "${p.source}"` };
    }
    const parsed = this.#parsers.parse(p.contentType, p.payload);
    if (!parsed.ok) return parsed;
    const { normalized, notes } = entry.apply(parsed.record);
    return { ok: true, pattern: { ...p, normalized }, notes };
  }
}
