// Public entry of the generated contracts. The generated files live in ./gen and are never edited.
export * from './gen/patternmesh/pattern/v1/pattern';
export * from './gen/patternmesh/ingest/v1/ingest';
export * from './gen/patternmesh/normalizer/v1/normalizer';
export * from './gen/patternmesh/classifier/v1/classifier';
export * from './gen/patternmesh/router/v1/router_admin';
export * from './gen/patternmesh/telemetry/v1/telemetry';

export { PROTO_ROOT, PROTO_FILES } from './files';
export {
  PATTERN_MESSAGE_TYPE,
  PATTERN_PROTO_FILE,
  patternDescriptorSet,
  patternPulsarSchema,
  protobufNativeSchema,
  type ProtobufNativeSchema,
} from './schema-registry';
