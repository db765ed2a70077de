import { PatternmeshError } from '@patternmesh/errors';
import { describe, expect, it } from 'vitest';
import { createHttpServer } from './http';
import { createLogger } from './logger';
import { Readiness } from './readiness';

function server() {
  const readiness = new Readiness();
  const app = createHttpServer({
    logger: createLogger('test', { level: 'silent' }),
    readiness,
    bodyLimit: 64,
  });
  app.post('/echo', async (request) => request.body);
  app.get('/boom', async () => {
    throw new Error('db password=hunter2 leaked');
  });
  app.get('/busy', async () => {
    throw new PatternmeshError('RATE_LIMITED', { retryAfterSeconds: 3 });
  });
  return { app, readiness };
}

describe('createHttpServer', () => {
  it('answers malformed JSON with 400 BODY_MALFORMED_JSON', async () => {
    const { app } = server();
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BODY_MALFORMED_JSON');
  });

  it('answers an unsupported content type with 415', async () => {
    const { app } = server();
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversized body with 413', async () => {
    const { app } = server();
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 'x'.repeat(100) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('hides internal error text behind 500 INTERNAL', async () => {
    const { app } = server();
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json().error).toEqual({ code: 'INTERNAL', message: 'Internal error.', retryable: false });
  });

  it('sends retry-after with retryable errors', async () => {
    const { app } = server();
    const res = await app.inject({ method: 'GET', url: '/busy' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.json().error.retryable).toBe(true);
  });

  it('answers unknown routes with 404 NOT_FOUND in the same shape', async () => {
    const { app } = server();
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('is ready only after start and until shutdown begins, with failing checks named', async () => {
    const { app, readiness } = server();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    readiness.markStarted();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    let busUp = false;
    readiness.addCheck('bus', () => busUp);
    const down = await app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json().failing).toEqual(['bus']);
    busUp = true;
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    readiness.markStopping();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('serves Prometheus metrics', async () => {
    const { app } = server();
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
  });
});
