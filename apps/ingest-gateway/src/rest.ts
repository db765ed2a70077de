import { PatternmeshError } from '@patternmesh/errors';
import { apiKeyFromHeaders, patternInputFromRestBody } from '@patternmesh/ingest';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayCore } from './gateway';

declare module 'fastify' {
  interface FastifyRequest {
    tenant?: string;
  }
}

/** Authenticates before the body is even parsed: an unauthorized caller learns nothing about validation. */
export function requireTenant(core: GatewayCore) {
  return async (request: FastifyRequest): Promise<void> => {
    request.tenant = core.authenticate(apiKeyFromHeaders(request.headers), 'http');
  };
}

/** Only JSON is accepted on these routes; fastify would otherwise also take text/plain. */
async function requireJson(request: FastifyRequest): Promise<void> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new PatternmeshError('UNSUPPORTED_MEDIA_TYPE');
}

/**
 * REST API of the gateway.
 * - `POST /v1/patterns` — one pattern; 202 `{id}` once the bus accepted it.
 * - `POST /v1/patterns/batch` — `{patterns:[...]}`; 200 with one result per item, in order.
 */
export function registerRestRoutes(app: FastifyInstance, core: GatewayCore): void {
  const onRequest = requireTenant(core);

  app.post('/v1/patterns', { onRequest, preValidation: requireJson }, async (request, reply) => {
    const input = patternInputFromRestBody(request.body);
    const id = await core.publish(input, request.tenant!, 'http');
    return reply.status(202).send({ id });
  });

  app.post('/v1/patterns/batch', { onRequest, preValidation: requireJson }, async (request, reply) => {
    const body = request.body as { patterns?: unknown } | null;
    if (!body || typeof body !== 'object' || !Array.isArray(body.patterns)) {
      throw new PatternmeshError('VALIDATION_FAILED', {
        message: 'The body must be {"patterns": [...]}.',
        details: [{ field: 'patterns', problem: 'must be an array' }],
      });
    }
    core.checkBatchSize(body.patterns.length);
    const tenant = request.tenant!;
    const results = await Promise.all(
      body.patterns.map((item: unknown) =>
        core.settle(() => core.publish(patternInputFromRestBody(item), tenant, 'http')),
      ),
    );
    return reply.status(200).send({ results });
  });
}
