import { asPatternmeshError, isPatternmeshError, PatternmeshError, toPublicError } from '@patternmesh/errors';
import { prometheusExporter } from '@patternmesh/telemetry';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import type { Logger } from './logger';
import type { Readiness } from './readiness';

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly readiness: Readiness;
  /** Largest accepted request body in bytes; larger ones get 413 PAYLOAD_TOO_LARGE. */
  readonly bodyLimit?: number;
}

/**
 * Maps what fastify itself rejects (before our handlers run) onto catalog codes, so a client sees
 * the same `{error: {code,...}}` shape whatever layer refused the request.
 */
function fromFastifyError(error: FastifyError): PatternmeshError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PatternmeshError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PatternmeshError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new PatternmeshError('BODY_MISSING');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new PatternmeshError('BODY_MALFORMED_JSON');
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400)
    return new PatternmeshError('BODY_MALFORMED_JSON');
  if (error.validation) {
    return new PatternmeshError('VALIDATION_FAILED', {
      message: error.message,
      details: error.validation.map((v) => ({
        field: v.instancePath || undefined,
        problem: v.message ?? 'invalid',
      })),
    });
  }
  return undefined;
}

/**
 * A fastify instance with the house rules: catalog errors on every failure (no internal text on
 * 5xx), `/healthz`, `/readyz` and `/metrics`. Apps add their routes; the factory never listens.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger at runtime; the cast keeps the default instance type.
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Per-request lines would dominate logs at ingest volume; metrics count requests instead.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = isPatternmeshError(error) ? error : (fromFastifyError(error) ?? asPatternmeshError(error));
    if (mapped.httpStatus >= 500) request.log.error({ err: error }, 'request failed');
    if (mapped.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(mapped.retryAfterSeconds));
    void reply.status(mapped.httpStatus).send({ error: toPublicError(mapped) });
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: toPublicError(
        new PatternmeshError('NOT_FOUND', { message: `No route ${request.method} ${request.url}` }),
      ),
    });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const { ready, failing } = await options.readiness.evaluate();
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', failing });
  });

  app.get('/metrics', (request, reply) => {
    reply.hijack();
    prometheusExporter().getMetricsRequestHandler(request.raw, reply.raw);
  });

  return app;
}
