import { isPatternmeshError } from '@patternmesh/errors';
import { isUuidV7 } from '@patternmesh/pattern';
import { describe, expect, it } from 'vitest';
import {
  ApiKeyRegistry,
  apiKeyFromHeaders,
  buildPattern,
  IdempotencyCache,
  patternInputFromRestBody,
  validatePatternInput,
} from './index';

const catchError = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('REST body and validation', () => {
  it('turns a JSON object payload into JSON bytes', () => {
    const input = patternInputFromRestBody({
      source: 'fraud.cards',
      entity: 'card-1',
      payload: { amount: 9000 },
    });
    expect(input.contentType).toBe('application/json');
    expect(JSON.parse(input.payload.toString())).toEqual({ amount: 9000 });
    expect(() => validatePatternInput(input)).not.toThrow();
  });

  it('lists every problem in one VALIDATION_FAILED error', () => {
    const error = catchError(() =>
      validatePatternInput(
        patternInputFromRestBody({ source: 'Bad Source!', payload: '', entity: 'has space' }),
      ),
    );
    expect(isPatternmeshError(error) && error.code).toBe('VALIDATION_FAILED');
    const fields = isPatternmeshError(error) ? error.details.map((d) => d.field) : [];
    expect(fields).toEqual(['source', 'payload', 'entity']);
  });

  it('rejects unknown fields and wrong types precisely', () => {
    const error = catchError(() => patternInputFromRestBody({ source: 1, payload: [1], tenant: 'evil' }));
    const details = isPatternmeshError(error) ? error.details : [];
    expect(details).toEqual([
      { field: 'source', problem: 'must be a string' },
      { field: 'payload', problem: 'must be a JSON object or a string' },
      { field: 'tenant', problem: 'is not a known field' },
    ]);
  });

  it('rejects payloads over the limit', () => {
    const input = patternInputFromRestBody({ source: 's', payload: 'x'.repeat(20) });
    const error = catchError(() =>
      validatePatternInput(input, { maxPayloadBytes: 10, maxAttributes: 1, maxAttributeBytes: 10 }),
    );
    expect(isPatternmeshError(error) && error.details[0]?.field).toBe('payload');
  });
});

describe('buildPattern', () => {
  it('stamps the tenant from the key, a UUIDv7 id and the receive time', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const p = buildPattern(patternInputFromRestBody({ source: 's', payload: { a: 1 } }), 'acme', now);
    expect(p.tenant).toBe('acme');
    expect(isUuidV7(p.id)).toBe(true);
    expect(p.receivedAt).toEqual(now);
    expect(p.eventTime).toEqual(now);
    expect(p.entity).toBe(p.id);
  });
});

describe('ApiKeyRegistry', () => {
  const keys = new ApiKeyRegistry({ 'k-acme': 'acme' });
  it('maps a key to its tenant', () => expect(keys.authenticate('k-acme')).toBe('acme'));
  it('distinguishes a missing key from a wrong one', () => {
    expect(catchError(() => keys.authenticate(undefined))).toMatchObject({ code: 'API_KEY_MISSING' });
    expect(catchError(() => keys.authenticate('k-other'))).toMatchObject({ code: 'API_KEY_INVALID' });
  });
  it('refuses tenants that are not valid Pulsar tenant names or are reserved', () => {
    expect(() => new ApiKeyRegistry({ a: 'b=c', d: 'Upper' })).toThrow(/"b=c".*"Upper"/);
    expect(() => new ApiKeyRegistry({ a: 'patternmesh' }, ['patternmesh'])).toThrow(
      /"patternmesh" is reserved/,
    );
    expect(() => new ApiKeyRegistry({ a: 'public' })).toThrow(/reserved/);
  });
  it('reads x-api-key or a bearer token', () => {
    expect(apiKeyFromHeaders({ 'x-api-key': 'a' })).toBe('a');
    expect(apiKeyFromHeaders({ authorization: 'Bearer b' })).toBe('b');
    expect(apiKeyFromHeaders({ authorization: 'Basic c' })).toBeUndefined();
  });
});

describe('IdempotencyCache', () => {
  it('returns the first id for a repeated key, per tenant', async () => {
    const cache = new IdempotencyCache();
    let published = 0;
    const publish = async () => `id-${++published}`;
    const [a, b] = await Promise.all([cache.once('t1', 'k', publish), cache.once('t1', 'k', publish)]);
    expect(a).toEqual({ id: 'id-1', duplicate: false });
    expect(b).toEqual({ id: 'id-1', duplicate: true });
    expect((await cache.once('t2', 'k', publish)).id).toBe('id-2');
  });

  it('forgets a failed publish so the retry can go through', async () => {
    const cache = new IdempotencyCache();
    await expect(cache.once('t', 'k', () => Promise.reject(new Error('bus down')))).rejects.toThrow(
      'bus down',
    );
    expect(await cache.once('t', 'k', async () => 'id-ok')).toEqual({ id: 'id-ok', duplicate: false });
  });

  it('stays bounded', async () => {
    const cache = new IdempotencyCache(2);
    for (const k of ['a', 'b', 'c']) await cache.once('t', k, async () => k);
    expect(await cache.once('t', 'a', async () => 'a2')).toEqual({ id: 'a2', duplicate: false });
  });
});
