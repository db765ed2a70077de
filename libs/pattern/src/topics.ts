/**
 * Pipeline topic names. Stages are wired by these names on every bus (embedded or Pulsar), so a
 * Pulsar subscriber sees exactly the layout documented in the design.
 */
export interface PipelineTopics {
  readonly raw: string;
  readonly normalized: string;
  readonly classified: string;
  readonly quarantine: string;
  readonly archive: string;
}

export function pipelineTopics(tenant = 'patternmesh'): PipelineTopics {
  return {
    raw: `persistent://${tenant}/pipeline/raw`,
    normalized: `persistent://${tenant}/pipeline/normalized`,
    classified: `persistent://${tenant}/pipeline/classified`,
    quarantine: `persistent://${tenant}/pipeline/quarantine`,
    archive: `persistent://${tenant}/archive/all`,
  };
}

const TOPIC = /^persistent:\/\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.=:-]+$/;

export function isTopicName(value: string): boolean {
  return TOPIC.test(value);
}

/** Tenant part of a full topic name, or undefined when the name is not a full topic name. */
export function topicTenant(topic: string): string | undefined {
  return isTopicName(topic) ? topic.slice('persistent://'.length).split('/')[0] : undefined;
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
