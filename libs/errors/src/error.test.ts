import { describe, expect, it } from 'vitest';
import {
  ERROR_CATALOG,
  PatternmeshError,
  asPatternmeshError,
  isPatternmeshError,
  toPublicError,
} from './index';

describe('error catalog', () => {
  it('maps every code to a 4xx/5xx and a non-OK gRPC status', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(entry.http, code).toBeGreaterThanOrEqual(400);
      expect(entry.http, code).toBeLessThan(600);
      expect(entry.grpc, code).toBeGreaterThan(0);
    }
  });

  it('recognises its errors by brand, not by prototype', () => {
    const real = new PatternmeshError('VALIDATION_FAILED');
    const lookalike = Object.assign(new Error('x'), { code: 'VALIDATION_FAILED' });
    const fromAnotherCopy = { [Symbol.for('patternmesh.error')]: true, code: 'NOT_FOUND' };
    expect(isPatternmeshError(real)).toBe(true);
    expect(isPatternmeshError(lookalike)).toBe(false);
    expect(isPatternmeshError(fromAnotherCopy)).toBe(true);
  });

  it('never leaks internal text on server-side errors', () => {
    const wrapped = asPatternmeshError(new Error('connection to 10.0.0.7:6650 refused, password=hunter2'));
    expect(wrapped.code).toBe('INTERNAL');
    const body = toPublicError(wrapped);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(body).toEqual({ code: 'INTERNAL', message: ERROR_CATALOG.INTERNAL.message, retryable: false });
  });

  it('keeps precise messages and details on client errors', () => {
    const err = new PatternmeshError('VALIDATION_FAILED', {
      message: 'source is required',
      details: [{ field: 'source', problem: 'required' }],
    });
    expect(toPublicError(err)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'source is required',
      retryable: false,
      details: [{ field: 'source', problem: 'required' }],
    });
    expect(err.httpStatus).toBe(400);
    expect(err.grpcStatus).toBe(3);
  });

  it('flags only transient failures as retryable', () => {
    expect(new PatternmeshError('BUS_UNAVAILABLE').retryable).toBe(true);
    expect(new PatternmeshError('RATE_LIMITED').retryable).toBe(true);
    expect(new PatternmeshError('API_KEY_INVALID').retryable).toBe(false);
  });
});
