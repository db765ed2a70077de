/**
 * Topic names: the pipeline, the lanes, the archive, dead-letter and control topics. Every service,
 * adapter and tool builds names here and nowhere else, so a Pulsar subscriber sees exactly the layout
 * documented in docs/architecture.md. Topics are `persistent://<tenant>/<namespace>/<name>`.
 */
import { laneName, type LaneName } from './enums';
import type { Lane } from '@patternmesh/proto';

/** The pipeline's topics under one topic tenant (`PATTERNMESH_TOPIC_TENANT`, default `patternmesh`). */
export interface PipelineTopics {
  /** The tenant these topics live under; kept so nobody decodes it back out of a name. */
  readonly tenant: string;
  readonly raw: string;
  readonly normalized: string;
  readonly classified: string;
  readonly quarantine: string;
  readonly archive: string;
}

export const DEFAULT_TOPIC_TENANT = 'patternmesh';

export function pipelineTopics(tenant = DEFAULT_TOPIC_TENANT): PipelineTopics {
  return {
    tenant,
    raw: `persistent://${tenant}/pipeline/raw`,
    normalized: `persistent://${tenant}/pipeline/normalized`,
    classified: `persistent://${tenant}/pipeline/classified`,
    quarantine: `persistent://${tenant}/pipeline/quarantine`,
    archive: `persistent://${tenant}/archive/all`,
  };
}

/** Kinds of live configuration documents, each on its own compacted control topic. */
export const CONTROL_KINDS = ['routes', 'mappings', 'rules', 'models'] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];

/** `persistent://<tenant>/control/<kind>`: compacted, the latest document per key wins. */
export function controlTopic(tenant: string, kind: ControlKind): string {
  return `persistent://${tenant}/control/${kind}`;
}

export function controlTopics(tenant = DEFAULT_TOPIC_TENANT): Record<ControlKind, string> {
  return Object.fromEntries(CONTROL_KINDS.map((k) => [k, controlTopic(tenant, k)])) as Record<
    ControlKind,
    string
  >;
}

/**
 * `persistent://<tenant>/control/autoscaler-history`: the autoscaler's per-stage load history, compacted
 * (one key per stage and hour, the latest version wins), so its forecasts survive a restart.
 */
export function autoscalerHistoryTopic(tenant = DEFAULT_TOPIC_TENANT): string {
  return `persistent://${tenant}/control/autoscaler-history`;
}

/** A customer tenant's lane topic: `persistent://<tenant>/patterns/<lane>`. */
export function laneTopic(tenant: string, lane: Lane | LaneName): string {
  const name = typeof lane === 'string' ? lane : laneName(lane);
  if (name === 'unspecified') throw new RangeError(`lane ${String(lane)} is not a routable lane`);
  return `persistent://${tenant}/patterns/${name}`;
}

/** The namespace of a customer tenant's lane topics. */
export function laneNamespace(tenant: string): string {
  return `${tenant}/patterns`;
}

/** Where a subscription's poison messages go: `<topic>-<subscription>-DLQ`, the Pulsar clients' convention. */
export function deadLetterTopicName(topic: string, subscription: string): string {
  return `${topic}-${subscription}-DLQ`;
}

/** A full topic name, split. */
export interface TopicName {
  readonly domain: 'persistent' | 'non-persistent';
  readonly tenant: string;
  readonly namespace: string;
  readonly local: string;
}

const TOPIC =
  /^(persistent|non-persistent):\/\/([A-Za-z0-9_.=:-]+)\/([A-Za-z0-9_.=:-]+)\/([A-Za-z0-9_.=:-]+)$/;

/** Parses `persistent://tenant/namespace/topic`; undefined for anything else (short names included). */
export function parseTopicName(topic: string): TopicName | undefined {
  const m = TOPIC.exec(topic);
  if (!m) return undefined;
  return { domain: m[1] as TopicName['domain'], tenant: m[2]!, namespace: m[3]!, local: m[4]! };
}

/** `tenant/namespace` of a full topic name; undefined when it is not one. */
export function topicNamespace(topic: string): string | undefined {
  const name = parseTopicName(topic);
  return name && `${name.tenant}/${name.namespace}`;
}

/** Subscription name of each consuming stage: shared by its replicas (Key_Shared), fixed across releases. */
export const StageSubscriptions = {
  normalizer: 'normalizer',
  classifier: 'classifier',
  router: 'router',
} as const;

/** Each stage's input topic and subscription, for provisioning them before any producer starts. */
export function stageInputs(
  topics: PipelineTopics,
): Array<{ stage: string; topic: string; subscription: string }> {
  return [
    { stage: 'normalize', topic: topics.raw, subscription: StageSubscriptions.normalizer },
    { stage: 'classify', topic: topics.normalized, subscription: StageSubscriptions.classifier },
    { stage: 'route', topic: topics.classified, subscription: StageSubscriptions.router },
  ];
}
