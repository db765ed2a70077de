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

const NDJSON = 'application/x-ndjson';

const mediaType = (request: FastifyRequest): string =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** Only the listed media types are accepted on a route; fastify would otherwise also take text/plain. */
function requireMediaType(...allowed: string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!allowed.includes(mediaType(request))) {
      throw new PatternmeshError('UNSUPPORTED_MEDIA_TYPE', {
        message: `Unsupported content type: send ${allowed.join(' or ')}.`,
      });
    }
  };
}

/** A batch item that is not even JSON: it fails alone, with the line it came from. */
class UnparseableLine {
  constructor(readonly line: number) {}
}

/** One JSON value per non-empty line; a bad line becomes an item that fails on its own. */
function parseNdjson(body: string): unknown[] {
  return body
    .split('\n')
    .map((text, index) => ({ text: text.trim(), line: index + 1 }))
    .filter(({ text }) => text.length > 0)
    .map(({ text, line }) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return new UnparseableLine(line);
      }
    });
}

function batchItems(request: FastifyRequest): unknown[] {
  if (mediaType(request) === NDJSON) return parseNdjson(request.body as string);
  const body = request.body as { patterns?: unknown } | null;
  if (!body || typeof body !== 'object' || !Array.isArray(body.patterns)) {
    throw new PatternmeshError('VALIDATION_FAILED', {
      message: 'The body must be {"patterns": [...]} (or NDJSON, one pattern per line).',
      details: [{ field: 'patterns', problem: 'must be an array' }],
    });
  }
  return body.patterns as unknown[];
}

/**
 * REST API of the gateway.
 * - `POST /v1/patterns` — one pattern (JSON); 202 `{id}` once the bus accepted it.
 * - `POST /v1/patterns/batch` — `{"patterns":[...]}` as JSON, or NDJSON (one pattern per line); 200 with
 *   one result per item, in order: `{id}` or `{error:{code,message,retryable}}`.
 */
export function registerRestRoutes(app: FastifyInstance, core: GatewayCore): void {
  const onRequest = requireTenant(core);
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/patterns',
    { onRequest, preValidation: requireMediaType('application/json') },
    async (request, reply) => {
      const input = patternInputFromRestBody(request.body);
      const id = await core.publish(input, request.tenant!, 'http');
      return reply.status(202).send({ id });
    },
  );

  app.post(
    '/v1/patterns/batch',
    { onRequest, preValidation: requireMediaType('application/json', NDJSON) },
    async (request, reply) => {
      const items = batchItems(request);
      core.checkBatchSize(items.length);
      const tenant = request.tenant!;
      const results = await Promise.all(
        items.map((item) =>
          core.settle(() => {
            if (item instanceof UnparseableLine) {
              throw new PatternmeshError('BODY_MALFORMED_JSON', {
                message: `Line ${item.line} is not valid JSON.`,
              });
            }
            return core.publish(patternInputFromRestBody(item), tenant, 'http');
          }),
        ),
      );
      return reply.status(200).send({ results });
    },
  );
}
