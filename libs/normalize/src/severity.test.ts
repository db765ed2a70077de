import { Severity } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { resolveSeverity } from './severity';

const {
  SEVERITY_INFO: INFO,
  SEVERITY_LOW: LOW,
  SEVERITY_MEDIUM: MEDIUM,
  SEVERITY_HIGH: HIGH,
  SEVERITY_CRITICAL: CRITICAL,
} = Severity;

describe('resolveSeverity', () => {
  it('understands common words and log levels, case-insensitively', () => {
    expect(resolveSeverity('WARNING', {})).toEqual({ ok: true, value: MEDIUM });
    expect(resolveSeverity('error', {})).toEqual({ ok: true, value: HIGH });
    expect(resolveSeverity('Fatal', {})).toEqual({ ok: true, value: CRITICAL });
    expect(resolveSeverity('debug', {})).toEqual({ ok: true, value: INFO });
  });

  it('prefers the mapping table, numbers matched as text', () => {
    const map = new Map([
      ['1', 'high' as const],
      ['low', 'critical' as const],
    ]);
    expect(resolveSeverity(1, { map })).toEqual({ ok: true, value: HIGH });
    expect(resolveSeverity('LOW', { map })).toEqual({ ok: true, value: CRITICAL });
  });

  it.each([
    ['syslog', 0, CRITICAL],
    ['syslog', 3, HIGH],
    ['syslog', 4, MEDIUM],
    ['syslog', 5, LOW],
    ['syslog', 7, INFO],
    ['0-10', 0, INFO],
    ['0-10', 3.9, LOW],
    ['0-10', 6.5, MEDIUM],
    ['0-10', 7, HIGH],
    ['0-10', 9.8, CRITICAL],
    ['1-5', 1, INFO],
    ['1-5', 5, CRITICAL],
    ['0-100', 5, INFO],
    ['0-100', 55, MEDIUM],
    ['0-100', '95', CRITICAL],
  ] as const)('reads %s value %j', (numericScale, value, expected) => {
    expect(resolveSeverity(value, { numericScale })).toEqual({ ok: true, value: expected });
  });

  it('explains what it cannot read', () => {
    expect(resolveSeverity(7, {})).toEqual({
      ok: false,
      reason: '7 is numeric but the mapping names no numericScale',
    });
    expect(resolveSeverity(9, { numericScale: '1-5' })).toEqual({
      ok: false,
      reason: '9 is outside the 1-5 severity scale',
    });
    expect(resolveSeverity('spicy', {})).toEqual({ ok: false, reason: '"spicy" is not a known severity' });
    expect(resolveSeverity({ level: 1 }, {})).toEqual({ ok: false, reason: 'an object is not a severity' });
  });
});
