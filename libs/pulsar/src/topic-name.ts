/**
 * Topic name helpers. Full form: `{persistent|non-persistent}://tenant/namespace/topic`; short forms
 * `topic` and `tenant/namespace/topic` default to `persistent://public/default/…` as in other clients.
 */
import { PulsarError } from './errors';

const PARTITION_SUFFIX = '-partition-';

/** A parsed topic name. */
export interface TopicName {
  /** Full name, e.g. `persistent://public/default/orders-partition-2`. */
  readonly full: string;
  readonly domain: 'persistent' | 'non-persistent';
  readonly tenant: string;
  readonly namespace: string;
  /** Local name (last path segment), including any partition suffix. */
  readonly local: string;
  /** Partition index, or −1 when this is not a partition name. */
  readonly partition: number;
}

/** Parses and normalises a topic name. */
export function parseTopicName(topic: string): TopicName {
  let rest = topic;
  let domain: TopicName['domain'] = 'persistent';
  const sep = topic.indexOf('://');
  if (sep >= 0) {
    const d = topic.slice(0, sep);
    if (d !== 'persistent' && d !== 'non-persistent') {
      throw new PulsarError('PULSAR_INVALID_ARGUMENT', `invalid topic domain in '${topic}'`);
    }
    domain = d;
    rest = topic.slice(sep + 3);
  }
  const parts = rest.split('/');
  let tenant: string;
  let namespace: string;
  let local: string;
  if (parts.length === 1 && sep < 0) {
    tenant = 'public';
    namespace = 'default';
    local = parts[0]!;
  } else if (parts.length === 3) {
    [tenant, namespace, local] = parts as [string, string, string];
  } else {
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `invalid topic name '${topic}'`);
  }
  if (!tenant || !namespace || !local)
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `invalid topic name '${topic}'`);
  const idx = local.lastIndexOf(PARTITION_SUFFIX);
  let partition = -1;
  if (idx >= 0) {
    const n = Number(local.slice(idx + PARTITION_SUFFIX.length));
    if (Number.isInteger(n) && n >= 0) partition = n;
  }
  return { full: `${domain}://${tenant}/${namespace}/${local}`, domain, tenant, namespace, local, partition };
}

/** Full name of partition `i` of `topic`. */
export function partitionTopic(topic: string, i: number): string {
  return `${parseTopicName(topic).full}${PARTITION_SUFFIX}${i}`;
}

/** The admin REST path fragment for a topic: `persistent/tenant/ns/topic`. */
export function topicRestPath(topic: string): string {
  const t = parseTopicName(topic);
  return `${t.domain}/${encodeURIComponent(t.tenant)}/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.local)}`;
}
