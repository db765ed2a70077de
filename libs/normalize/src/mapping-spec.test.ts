import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPINGS } from './default-mappings';
import {
  isMappingSpecError,
  MappingSpecError,
  validateMappingSpec,
  validateMappingSpecs,
} from './mapping-spec';

describe('validateMappingSpec', () => {
  it('accepts every built-in mapping, and the set as a whole', () => {
    expect(validateMappingSpecs(DEFAULT_MAPPINGS)).toEqual([]);
  });

  it('accepts a minimal spec', () => {
    expect(validateMappingSpec({ id: 'x', version: '1', source: 'x', kind: 'event', fields: {} })).toEqual(
      [],
    );
  });

  it('lists every problem at once, naming the field', () => {
    const problems = validateMappingSpec({
      id: 'bad id',
      version: '',
      source: 'has space',
      kind: 'Alert',
      feilds: {},
      fields: { srcIP: 'src', dstIp: ['', 'dst'], amount: [] },
      severity: { path: 'sev', map: { '1': 'urgent' }, numericScale: '0-5', default: 'meh', scale: 1 },
      summary: '{user failed',
      tags: ['ok', ''],
    });
    expect(problems).toEqual([
      'unknown key "feilds"; expected one of id, version, source, kind, fields, severity, summary, tags, description',
      'id must be a non-empty string of letters, digits, ".", "_" or "-"',
      'version must be a non-empty string without spaces or "@"',
      'source must be a non-empty source name or glob without spaces',
      'kind must be a lower-case word such as "alert" or "transaction"',
      'fields.srcIP is not an ontology field; expected one of actor, host, srcIp, dstIp, srcPort, dstPort, protocol, indicator, indicatorType, amount, currency, summary, tags',
      'fields.dstIp[0] is ""; expected a dotted path like "source.ip"',
      'fields.amount must be a dotted path or a non-empty list of them',
      'severity: unknown key "scale"; expected one of path, map, numericScale, default',
      'severity.map["1"] is "urgent"; expected one of info, low, medium, high, critical',
      'severity.numericScale is "0-5"; expected one of syslog, 0-10, 1-5, 0-100',
      'severity.default is "meh"; expected one of info, low, medium, high, critical',
      'summary: unclosed "{" at column 1',
      'tags must be a list of non-empty strings',
    ]);
  });

  it('rejects non-objects', () => {
    expect(validateMappingSpec(null)).toEqual(['must be an object']);
    expect(validateMappingSpecs({})).toEqual(['mapping specs must be a list']);
  });
});

describe('validateMappingSpecs', () => {
  it('rejects duplicate ids and sources claimed twice, naming both specs', () => {
    const a = { id: 'a', version: '1', source: 'fraud.*', kind: 'transaction', fields: {} };
    expect(validateMappingSpecs([a, { ...a, source: 'other' }, { ...a, id: 'b' }])).toEqual([
      'mappings[1] (a@1): duplicates the mapping id a@1 of mappings[0]',
      'mappings[2] (b@1): source "fraud.*" is already claimed by mappings[0] (a@1)',
    ]);
  });

  it('prefixes each spec problem with its position and id', () => {
    expect(validateMappingSpecs([{ id: 'x', version: '2', source: 's', kind: 'event' }])).toEqual([
      'mappings[0] (x@2): fields must be an object of ontology field → path(s) (it may be empty)',
    ]);
  });
});

describe('MappingSpecError', () => {
  it('carries the problems and is recognised by brand', () => {
    const err = new MappingSpecError(['one', 'two']);
    expect(err.message).toBe('invalid mapping specs (2 problems):\n- one\n- two');
    expect(isMappingSpecError(err)).toBe(true);
    expect(isMappingSpecError(new Error('x'))).toBe(false);
    expect(isMappingSpecError({ ...err })).toBe(true);
  });
});
