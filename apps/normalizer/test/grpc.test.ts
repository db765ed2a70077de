import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { aPattern } from '@patternmesh/pattern/testing';
import { NormalizerServiceClient, type Pattern } from '@patternmesh/proto';
import type { RunningServices } from '@patternmesh/service-kit';
import { startServicesForTest, unary } from '@patternmesh/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizerService } from '../src/service';

// The normalizer as a process hosts it, with its mappings loaded from a file on disk, called over gRPC.
let running: RunningServices;
let client: NormalizerServiceClient;
let dir: string;

const MAPPINGS = [
  {
    id: 'acme-vpn',
    version: '3',
    source: 'acme.vpn',
    kind: 'event',
    fields: { actor: ['user'], srcIp: ['client.ip'] },
    summary: 'vpn login by {user}',
  },
];

const raw = (source: string, body: string): Pattern =>
  aPattern({ source, entity: 'u-1', payload: Buffer.from(body) });
const none = () => new grpc.Metadata();
const normalize = (pattern: Pattern) => unary(client, client.normalize, { pattern }, none());

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pm-mappings-'));
  const file = path.join(dir, 'mappings.json');
  writeFileSync(file, JSON.stringify(MAPPINGS));
  running = await startServicesForTest([normalizerService], { PATTERNMESH_MAPPINGS_FILE: file });
  client = new NormalizerServiceClient(`127.0.0.1:${running.grpcPort}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('normalizer over gRPC, mappings from a file', () => {
  it('Normalize maps a source by the file’s mapping, naming it', async () => {
    const { pattern } = await normalize(raw('acme.vpn', '{"user":"ana","client":{"ip":"192.0.2.7"}}'));
    expect(pattern?.normalized).toMatchObject({
      kind: 'event',
      actor: 'ana',
      srcIp: '192.0.2.7',
      summary: 'vpn login by ana',
      mappingId: 'acme-vpn@3',
    });
  });

  it('refuses unparseable payloads and sources without a mapping, with the catalog code', async () => {
    for (const pattern of [raw('acme.vpn', '{not json'), raw('fraud.cards', '{"amount":1}')]) {
      const error = (await normalize(pattern).catch((e: grpc.ServiceError) => e)) as grpc.ServiceError;
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.metadata.get('pm-error-code')).toEqual(['PAYLOAD_UNPARSEABLE']);
    }
  });

  it('SuggestMapping proposes ontology fields for an unknown source, with confidences', async () => {
    const samples = [
      { src_ip: '198.51.100.1', username: 'bob', msg: 'login failed' },
      { src_ip: '198.51.100.2', username: 'eve', msg: 'login ok' },
    ].map((s) => Buffer.from(JSON.stringify(s)));
    const { suggestions } = await unary(
      client,
      client.suggestMapping,
      { source: 'new.app', contentType: 'application/json', samples },
      none(),
    );
    const bySource = Object.fromEntries(suggestions.map((s) => [s.sourcePath, s]));
    expect(bySource['src_ip']?.targetField).toBe('srcIp');
    for (const s of suggestions) expect(s.confidence).toBeGreaterThan(0);
  });
});
