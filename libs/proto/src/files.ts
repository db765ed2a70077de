import { fileURLToPath } from 'node:url';

/** The `.proto` sources, for gRPC reflection and for subscribers who generate their own clients. */
export const PROTO_ROOT = fileURLToPath(new URL('../../../proto', import.meta.url));

export const PROTO_FILES = [
  'patternmesh/pattern/v1/pattern.proto',
  'patternmesh/ingest/v1/ingest.proto',
  'patternmesh/normalizer/v1/normalizer.proto',
  'patternmesh/classifier/v1/classifier.proto',
  'patternmesh/router/v1/router_admin.proto',
  'patternmesh/telemetry/v1/telemetry.proto',
] as const;
