import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { eventually } from '@patternmesh/bus/testing';
import { IngestServiceClient, type PublishResponse, type PublishStreamResponse } from '@patternmesh/proto';
import { createLogger } from '@patternmesh/service-kit';
import type { StageObservation } from '@patternmesh/forecast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAllInOne, type AllInOne } from '../src/app';
import { loadAllInOneConfig } from '../src/config';
import { openSse, type SseStream } from './sse-client';

const KEY = 'test-key-acme';
const OTHER_KEY = 'test-key-globex';

/**
 * The all-in-one end to end, over REST, gRPC and the tail endpoint. `busEnv` picks the bus exactly as
 * a user does (PATTERNMESH_BUS and friends), so the suite runs on the embedded bus and on Pulsar.
 */
export function runAllInOneSuite(
  label: string,
  busEnv: () => Record<string, string>,
  /** Runs after the pipeline stopped: a broker suite removes its topics. */
  cleanup: () => Promise<void> = async () => undefined,
): void {
  describe(label, () => {
    let aio: AllInOne;
    let base: string;
    let ingest: IngestServiceClient;
    const streams: SseStream[] = [];
    const observations: StageObservation[][] = [];

    function tail(topic: string, key = KEY): SseStream {
      const stream = openSse(`${base}/v1/tail?topic=${encodeURIComponent(topic)}`, { 'x-api-key': key });
      streams.push(stream);
      return stream;
    }

    async function post(body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${base}/v1/patterns`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': KEY, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    }

    function metadata(key?: string): grpc.Metadata {
      const m = new grpc.Metadata();
      if (key) m.set('x-api-key', key);
      return m;
    }

    const patternsIn = (stream: SseStream) =>
      stream.events
        .filter((e) => e.event === 'pattern')
        .map((e) => JSON.parse(e.data) as Record<string, any>);

    beforeAll(async () => {
      const config = loadAllInOneConfig({
        PATTERNMESH_HTTP_PORT: '0',
        PATTERNMESH_GRPC_PORT: '0',
        PATTERNMESH_API_KEYS: `${KEY}=acme,${OTHER_KEY}=globex`,
        PATTERNMESH_MAX_BODY_BYTES: '8192',
        PATTERNMESH_AUTOSCALER_INTERVAL_MS: '100',
        PATTERNMESH_RETRY_DELAY_MS: '50',
        ...busEnv(),
      });
      const logger = createLogger('test', { level: 'silent' });
      // The bus the config names; with provisioning on, the API keys' tenants get their lane namespaces.
      aio = await startAllInOne({ config, logger, onObservation: (o) => observations.push(o) });
      base = `http://127.0.0.1:${aio.httpPort}`;
      ingest = new IngestServiceClient(`127.0.0.1:${aio.grpcPort}`, grpc.credentials.createInsecure());
    });

    afterAll(async () => {
      for (const s of streams) s.close();
      ingest?.close();
      await aio?.stop();
      await cleanup();
    });

    /** A sample's value in the Prometheus text, e.g. `counter(text, 'patternmesh_routed_total', 'patternmesh_lane="critical"')`. */
    const sample = (text: string, name: string, label = ''): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    };
    const metricsText = async () => (await fetch(`${base}/metrics`)).text();

    describe('all-in-one pipeline', () => {
      it('counts each step of a pattern in /metrics, with stage latencies in seconds', async () => {
        const lane = tail('critical');
        await lane.ready;
        const before = await metricsText();
        const { status, body } = await post({
          source: 'fraud.cards',
          entity: 'card-metrics',
          payload: { amount: 25000, currency: 'EUR', channel: 'online', risk_score: 97 },
        });
        expect(status).toBe(202);
        await eventually(() => expect(patternsIn(lane).map((p) => p.id)).toContain(body.id));
        // Counters move once each stage finished its message, which may be just after the pattern
        // reached the lane: poll.
        await eventually(async () => {
          const after = await metricsText();
          const grew = (name: string, label = '') => sample(after, name, label) - sample(before, name, label);
          expect(
            grew('patternmesh_ingest_accepted_total', 'patternmesh_transport="http"'),
          ).toBeGreaterThanOrEqual(1);
          for (const stage of ['normalize', 'classify', 'route']) {
            expect(
              grew('patternmesh_stage_processed_total', `patternmesh_stage="${stage}"`),
              stage,
            ).toBeGreaterThanOrEqual(1);
          }
          expect(grew('patternmesh_routed_total', 'patternmesh_lane="critical"')).toBeGreaterThanOrEqual(1);
          // Durations are seconds: the histogram has sub-second boundaries (the SDK's defaults start at 5).
          const normalizeBucket = (le: string) =>
            after
              .split('\n')
              .some(
                (l) =>
                  l.startsWith('patternmesh_stage_duration_bucket{') &&
                  l.includes('patternmesh_stage="normalize"') &&
                  l.includes(`le="${le}"`),
              );
          expect(normalizeBucket('0.001')).toBe(true);
          expect(normalizeBucket('0.01')).toBe(true);
        });
      });

      it('routes a REST pattern to its lane with every stage filled in', async () => {
        const lanes = { critical: tail('critical'), standard: tail('standard'), bulk: tail('bulk') };
        await Promise.all(Object.values(lanes).map((s) => s.ready));
        const { status, body } = await post({
          source: 'fraud.cards',
          entity: 'card-4242',
          payload: {
            customer_id: 'cust-77',
            amount: 25000,
            currency: 'EUR',
            merchant: 'acme-gems',
            channel: 'card_not_present',
            risk_score: 97,
          },
        });
        expect(status).toBe(202);
        expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
        const arrived = await eventually(() => {
          const all = Object.entries(lanes).flatMap(([lane, s]) => patternsIn(s).map((p) => ({ lane, p })));
          const hit = all.find(({ p }) => p.id === body.id);
          expect(hit).toBeDefined();
          return hit!;
        });
        const p = arrived.p;
        expect(p.tenant).toBe('acme');
        expect(p.source).toBe('fraud.cards');
        expect(p.entity).toBe('card-4242');
        expect(p.normalized.ontologyVersion).toBe('1');
        expect(p.normalized.amount).toBe(25000);
        expect(p.normalized.severity).toBe('SEVERITY_CRITICAL');
        expect(p.normalized.actor).toBe('cust-77');
        expect(p.classification.category).toBe('fraud');
        expect(p.classification.priority).toBe('PRIORITY_CRITICAL');
        expect(p.classification.ruleIds.length).toBeGreaterThan(0);
        expect(arrived.lane).toBe('critical');
        expect(p.route.lane).toBe('LANE_CRITICAL');
        expect(p.route.destinations).toContain('persistent://acme/patterns/critical');
        expect(p.route.destinations).toContain(aio.topics.archive);
        expect(Buffer.from(p.payload, 'base64').toString()).toContain('"amount":25000');
      });

      it('publishes over gRPC (unary and stream with per-message acks) into the same pipeline', async () => {
        const archiveWatch = tail('bulk');
        const standardWatch = tail('standard');
        const criticalWatch = tail('critical');
        await Promise.all([archiveWatch.ready, standardWatch.ready, criticalWatch.ready]);
        const unary = await new Promise<PublishResponse>((resolve, reject) =>
          ingest.publish(
            {
              pattern: {
                source: 'app.logs',
                contentType: 'application/json',
                payload: Buffer.from('{"message":"disk 91% full","level":"warning","host":"db-1"}'),
                attributes: {},
                idempotencyKey: '',
                entity: 'db-1',
              },
            },
            metadata(KEY),
            (error, response) => (error ? reject(error) : resolve(response)),
          ),
        );
        expect(unary.id).toMatch(/^[0-9a-f-]{36}$/);

        const call = ingest.publishStream(metadata(KEY));
        const acks: PublishStreamResponse[] = [];
        call.on('data', (ack: PublishStreamResponse) => acks.push(ack));
        const ended = new Promise<void>((resolve) => call.on('end', resolve));
        for (let i = 0; i < 5; i++) {
          call.write({
            correlationId: `c${i}`,
            pattern: {
              source: 'app.logs',
              contentType: 'application/json',
              payload: Buffer.from(`{"message":"event ${i}"}`),
              attributes: {},
              idempotencyKey: '',
              entity: `e${i}`,
            },
          });
        }
        call.write({
          correlationId: 'bad',
          pattern: {
            source: 'NOT VALID',
            contentType: '',
            payload: Buffer.alloc(0),
            attributes: {},
            idempotencyKey: '',
            entity: '',
          },
        });
        call.end();
        await ended;
        expect(acks.map((a) => a.correlationId).sort()).toEqual(['bad', 'c0', 'c1', 'c2', 'c3', 'c4']);
        const bad = acks.find((a) => a.correlationId === 'bad')!;
        expect(bad.result?.error?.code).toBe('VALIDATION_FAILED');
        const ids = acks.filter((a) => a.result?.id).map((a) => a.result!.id!);
        expect(ids).toHaveLength(5);
        const everything = () =>
          [archiveWatch, standardWatch, criticalWatch].flatMap(patternsIn).map((p) => p.id);
        await eventually(() => expect(everything()).toEqual(expect.arrayContaining([unary.id, ...ids])));
      });

      it('quarantines what cannot be parsed, with the reason, visible to the tenant only', async () => {
        const mine = tail('quarantine');
        const theirs = tail('quarantine', OTHER_KEY);
        await Promise.all([mine.ready, theirs.ready]);
        const { status, body } = await post({
          source: 'edr.sensor',
          payload: 'this is not json',
          content_type: 'application/json',
        });
        expect(status).toBe(202);
        const q = await eventually(() => {
          const hit = patternsIn(mine).find((e) => e.pattern.id === body.id);
          expect(hit).toBeDefined();
          return hit!;
        });
        expect(q.code).toBe('PAYLOAD_UNPARSEABLE');
        expect(q.reason).toMatch(/json/i);
        // A sentinel of the other tenant, quarantined after ours: once their tail shows it, ours
        // would have arrived before it had it leaked.
        const sentinel = await post(
          { source: 'edr.sensor', payload: 'not json either', content_type: 'application/json' },
          { 'x-api-key': OTHER_KEY },
        );
        await eventually(() =>
          expect(patternsIn(theirs).map((e) => e.pattern.id)).toContain(sentinel.body.id),
        );
        expect(patternsIn(theirs).find((e) => e.pattern.id === body.id)).toBeUndefined();
        expect(patternsIn(mine).find((e) => e.pattern.id === sentinel.body.id)).toBeUndefined();
      });

      it('returns the first id again for a repeated idempotency key', async () => {
        const first = await post({
          source: 'app.logs',
          payload: { message: 'once' },
          idempotency_key: 'retry-123',
        });
        const second = await post({
          source: 'app.logs',
          payload: { message: 'once' },
          idempotency_key: 'retry-123',
        });
        expect(second.body.id).toBe(first.body.id);
      });

      it('reports per-stage load to the autoscaler', async () => {
        await eventually(() => {
          const last = observations.at(-1) ?? [];
          expect(last.map((o) => o.stage).sort()).toEqual(['classify', 'ingest', 'normalize', 'route']);
          if (busEnv()['PATTERNMESH_BUS'] === 'pulsar') {
            // On Pulsar the bus adds each stage's input backlog from the admin API.
            for (const stage of ['normalize', 'classify', 'route']) {
              expect(typeof last.find((o) => o.stage === stage)?.backlog, stage).toBe('number');
            }
          }
        });
      });

      it('is ready and serving over HTTP and grpc.health.v1', async () => {
        expect((await fetch(`${base}/readyz`)).status).toBe(200);
        const healthDefinition = protoLoader.loadSync(healthProtoPath, { enums: String });
        const { grpc: healthPackage } = grpc.loadPackageDefinition(healthDefinition) as any;
        const health = new healthPackage.health.v1.Health(
          `127.0.0.1:${aio.grpcPort}`,
          grpc.credentials.createInsecure(),
        );
        const check = (service: string) =>
          new Promise<{ status: string }>((resolve, reject) =>
            health.check({ service }, (error: Error | null, response: { status: string }) =>
              error ? reject(error) : resolve(response),
            ),
          );
        expect(await check('')).toEqual({ status: 'SERVING' });
        expect(await check('patternmesh.ingest.v1.IngestService')).toEqual({ status: 'SERVING' });
        health.close();
      });
    });

    describe('bad input at the gateway', () => {
      it('malformed JSON → 400 BODY_MALFORMED_JSON', async () => {
        const r = await post('{"source": "x", ');
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('BODY_MALFORMED_JSON');
      });

      it('wrong content type → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
        const r = await post('source=x', { 'content-type': 'text/plain' });
        expect(r.status).toBe(415);
        expect(r.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      });

      it('oversized body → 413 PAYLOAD_TOO_LARGE', async () => {
        const r = await post({ source: 'app.logs', payload: { blob: 'x'.repeat(20_000) } });
        expect(r.status).toBe(413);
        expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      });

      it('missing API key → 401 API_KEY_MISSING; wrong key → 401 API_KEY_INVALID', async () => {
        const missing = await fetch(`${base}/v1/patterns`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(missing.status).toBe(401);
        expect(((await missing.json()) as any).error.code).toBe('API_KEY_MISSING');
        const wrong = await post({ source: 'a', payload: {} }, { 'x-api-key': 'nope' });
        expect(wrong.status).toBe(401);
        expect(wrong.body.error.code).toBe('API_KEY_INVALID');
      });

      it('invalid fields → 400 VALIDATION_FAILED listing each field', async () => {
        const r = await post({ source: 'Not Valid', payload: {}, tenant: 'someone-else' });
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('VALIDATION_FAILED');
        expect(r.body.error.details.map((d: { field: string }) => d.field)).toEqual(['tenant']);
      });

      it('gRPC without a key → UNAUTHENTICATED with the catalog code; invalid pattern → INVALID_ARGUMENT', async () => {
        const call = (key?: string, source = 'app.logs') =>
          new Promise<grpc.ServiceError>((resolve) =>
            ingest.publish(
              {
                pattern: {
                  source,
                  contentType: '',
                  payload: Buffer.from('{}'),
                  attributes: {},
                  idempotencyKey: '',
                  entity: '',
                },
              },
              metadata(key),
              (error) => resolve(error!),
            ),
          );
        const unauth = await call(undefined);
        expect(unauth.code).toBe(grpc.status.UNAUTHENTICATED);
        expect(unauth.metadata.get('pm-error-code')).toEqual(['API_KEY_MISSING']);
        const invalid = await call(KEY, 'BAD SOURCE');
        expect(invalid.code).toBe(grpc.status.INVALID_ARGUMENT);
        expect(invalid.metadata.get('pm-error-code')).toEqual(['VALIDATION_FAILED']);
        expect(invalid.details).toMatch(/source/);
      });

      it('tail without a key → 401 API_KEY_MISSING; an unknown topic → 400 VALIDATION_FAILED', async () => {
        const anonymous = await fetch(`${base}/v1/tail?topic=critical`);
        expect(anonymous.status).toBe(401);
        expect(((await anonymous.json()) as any).error.code).toBe('API_KEY_MISSING');
        const unknown = await fetch(`${base}/v1/tail?topic=everything`, { headers: { 'x-api-key': KEY } });
        expect(unknown.status).toBe(400);
        expect(((await unknown.json()) as any).error.code).toBe('VALIDATION_FAILED');
      });

      it('a lane tail shows the caller’s patterns and never another tenant’s', async () => {
        const mine = tail('critical');
        await mine.ready;
        const critical = (entity: string) => ({
          source: 'fraud.cards',
          entity,
          payload: { amount: 50000, currency: 'EUR', channel: 'online', risk_score: 99 },
        });
        const theirs = await post(critical('card-globex'), { 'x-api-key': OTHER_KEY });
        expect(theirs.status).toBe(202);
        // Ours goes after theirs: once ours arrived, theirs had every chance to show up too.
        const ours = await post(critical('card-acme-sentinel'));
        await eventually(() => expect(patternsIn(mine).map((p) => p.id)).toContain(ours.body.id));
        expect(patternsIn(mine).map((p) => p.id)).not.toContain(theirs.body.id);
        expect(patternsIn(mine).every((p) => p.tenant === 'acme')).toBe(true);
      });

      it('tail of another tenant’s topic → 403 FORBIDDEN', async () => {
        const r = await fetch(
          `${base}/v1/tail?topic=${encodeURIComponent('persistent://globex/patterns/critical')}`,
          {
            headers: { 'x-api-key': KEY },
          },
        );
        expect(r.status).toBe(403);
        expect(((await r.json()) as any).error.code).toBe('FORBIDDEN');
      });
    });
  });
}
