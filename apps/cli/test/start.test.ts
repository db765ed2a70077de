import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { IngestServiceClient } from '@patternmesh/proto';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'apps/cli/bin/patternmesh.js');
const children: ChildProcess[] = [];

/** Runs `patternmesh <args>` as a user would (the checkout's bin), collecting its output. */
function patternmesh(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, PATTERNMESH_HTTP_PORT: '0', PATTERNMESH_GRPC_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<{ httpPort: number; grpcPort: number }>((resolve, reject) => {
    const onData = (): void => {
      const line = output.split('\n').find((l) => l.includes('listening"') && l.includes('httpPort'));
      if (line) resolve(JSON.parse(line) as { httpPort: number; grpcPort: number });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
  });
  // Commands that are meant to fail never listen; only a test that awaits `listening` cares.
  listening.catch(() => undefined);
  return { child, exited, listening, output: () => output };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('patternmesh start', () => {
  it('a standalone gateway applies PATTERNMESH_MAX_BODY_BYTES to REST and gRPC, and stops cleanly', async () => {
    const run = patternmesh(['start', 'ingest-gateway', '--bus', 'embedded'], {
      PATTERNMESH_MAX_BODY_BYTES: '2048',
    });
    const { httpPort, grpcPort } = await run.listening;
    const payload = { note: 'x'.repeat(4096) };

    const rest = await fetch(`http://127.0.0.1:${httpPort}/v1/patterns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'pm-dev-key' },
      body: JSON.stringify({ source: 'fraud.cards', entity: 'card-1', payload }),
    });
    expect(rest.status).toBe(413);
    expect(((await rest.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');

    const client = new IngestServiceClient(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('x-api-key', 'pm-dev-key');
    const status = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.publish(
        {
          pattern: {
            source: 'fraud.cards',
            entity: 'card-1',
            contentType: 'application/json',
            payload: Buffer.from(JSON.stringify(payload)),
            attributes: {},
            idempotencyKey: '',
          },
        },
        metadata,
        { deadline: Date.now() + 10_000 },
        (error) => resolve(error),
      ),
    );
    client.close();
    expect(status?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('exits 2 on an unknown service and on invalid configuration, naming the problem', async () => {
    const unknown = patternmesh(['start', 'nonsense']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain('unknown service "nonsense"');

    const badConfig = patternmesh(['start', 'router'], { PATTERNMESH_STAGE_CONCURRENCY: 'lots' });
    expect(await badConfig.exited).toBe(2);
    expect(badConfig.output()).toContain('PATTERNMESH_STAGE_CONCURRENCY');

    const badBus = patternmesh(['start', '--bus', 'kafka']);
    expect(await badBus.exited).toBe(2);
  });

  it('exits 1, without lingering half up, when a service cannot start (its gRPC port is taken)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const run = patternmesh(['start', 'router', '--bus', 'embedded'], {
        PATTERNMESH_GRPC_PORT: String(taken),
      });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain('start-up failed');
    } finally {
      blocker.close();
    }
  });

  const SERVICES = ['ingest-gateway', 'normalizer', 'classifier', 'router', 'autoscaler', 'all'] as const;

  it.each(SERVICES)('%s: its start-up and error logs never show a secret', async (service) => {
    const secrets = {
      PATTERNMESH_API_KEYS: 'sk-live-tenant-key-123=acme',
      PATTERNMESH_ADMIN_API_KEYS: 'sk-admin-key-456',
      PULSAR_AUTH_TOKEN: 'eyJhbGciOiJIUzI1NiJ9.secret-token-789',
    };
    const run = patternmesh(['start', service, '--bus', 'embedded'], secrets);
    const { httpPort } = await run.listening;
    // An authentication failure is logged too: the presented key must not be.
    await fetch(`http://127.0.0.1:${httpPort}/v1/patterns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-wrong-key-000' },
      body: '{}',
    }).catch(() => undefined);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const output = run.output();
    expect(output).toContain('[redacted]'); // the config summary was logged, with the secrets masked
    for (const secret of [
      'sk-live-tenant-key-123',
      'sk-admin-key-456',
      'secret-token-789',
      'sk-wrong-key-000',
    ]) {
      expect(output).not.toContain(secret);
    }
  });

  it.each(SERVICES.filter((s) => s !== 'all'))(
    '%s: an invalid configuration is refused with every problem listed at once',
    async (service) => {
      // One setting of the service's own next to the host's: both halves of the schema are checked.
      const own: Record<string, [string, string]> = {
        'ingest-gateway': ['PATTERNMESH_MAX_BODY_BYTES', '12'],
        normalizer: ['PATTERNMESH_STAGE_CONCURRENCY', '0'],
        classifier: ['PATTERNMESH_RETRY_DELAY_MS', 'soon'],
        router: ['PATTERNMESH_MAX_DELIVERIES', '0'],
        autoscaler: ['PATTERNMESH_AUTOSCALER_INTERVAL_MS', '1'],
      };
      const [ownName, ownValue] = own[service]!;
      const run = patternmesh(['start', service], {
        PATTERNMESH_HTTP_PORT: 'not-a-port',
        PATTERNMESH_LOG_LEVEL: 'loud',
        PATTERNMESH_BUS: 'carrier-pigeon',
        [ownName]: ownValue,
      });
      expect(await run.exited).toBe(2);
      for (const name of ['PATTERNMESH_HTTP_PORT', 'PATTERNMESH_LOG_LEVEL', 'PATTERNMESH_BUS', ownName]) {
        expect(run.output()).toContain(name);
      }
    },
  );
});
