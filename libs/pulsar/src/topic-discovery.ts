/**
 * Regex (pattern) subscriptions: which topics of a namespace match a pattern, and a periodic check for
 * topics created or deleted since, as the Java client's `topicsPattern` with
 * `patternAutoDiscoveryPeriod` (1 minute by default) does.
 *
 * The listing is GET_TOPICS_OF_NAMESPACE for the pattern's domain. We do not ask the broker to filter
 * (`topics_pattern`/`topics_hash`): it evaluates the pattern as a Java regex, whose dialect differs from
 * JavaScript's, so a broker-filtered list could leave out topics the JavaScript pattern matches. The
 * client filters the whole list itself, with the JavaScript pattern, matched against the full topic name.
 */
import type { ClientContext } from './client-context';
import { runPeriodically } from './periodic';
import type { PeriodicTask } from './periodic';
import { PulsarError } from './errors';
import { TopicDomainMode } from './proto/commands';
import { parseTopicName } from './topic-name';

/** A parsed `topicsPattern`. */
export interface TopicsPattern {
  /** `tenant/namespace`, which must be spelled literally in the pattern. */
  readonly namespace: string;
  /** GET_TOPICS_OF_NAMESPACE mode for the pattern's domain. */
  readonly mode: number;
  /** Matches a whole topic name (`persistent://tenant/ns/local`, no partition suffix). */
  readonly regex: RegExp;
}

const REGEX_META = /[\\^$.*+?()[\]{}|]/;

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * Parses `persistent://tenant/ns/<regex>` (a RegExp or its source string; the domain defaults to
 * persistent). The tenant and namespace must be literal: the listing is per namespace.
 */
export function parseTopicsPattern(pattern: RegExp | string): TopicsPattern {
  const flags = typeof pattern === 'string' ? '' : pattern.flags.replace(/[gy]/g, '');
  const source = (typeof pattern === 'string' ? pattern : pattern.source).replace(/\\\//g, '/');
  let rest = source.replace(/^\^/, '').replace(/\$$/, '');
  let domain: 'persistent' | 'non-persistent' = 'persistent';
  const scheme = /^(persistent|non-persistent):\/\//.exec(rest);
  if (scheme) {
    domain = scheme[1] as typeof domain;
    rest = rest.slice(scheme[0].length);
  }
  const parts = rest.split('/');
  const tenant = parts[0] ?? '';
  const ns = parts[1] ?? '';
  const local = parts.slice(2).join('/');
  if (parts.length < 3 || !tenant || !ns || !local || REGEX_META.test(tenant) || REGEX_META.test(ns)) {
    throw new PulsarError(
      'PULSAR_INVALID_ARGUMENT',
      `topicsPattern '${source}' must name its tenant and namespace literally: persistent://tenant/ns/<regex>`,
    );
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^${escapeRegex(`${domain}://${tenant}/${ns}/`)}(?:${local})$`, flags);
  } catch (e) {
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `invalid topicsPattern '${source}': ${String(e)}`);
  }
  return {
    namespace: `${tenant}/${ns}`,
    mode: domain === 'persistent' ? TopicDomainMode.PERSISTENT : TopicDomainMode.NON_PERSISTENT,
    regex,
  };
}

/**
 * The topics of a namespace listing that match: partitions (`…-partition-N`) are folded into their
 * partitioned topic, which is what a consumer subscribes to. Sorted, without duplicates.
 */
export function matchingTopics(listed: readonly string[], pattern: TopicsPattern): string[] {
  const out = new Set<string>();
  for (const name of listed) {
    const t = parseTopicName(name);
    const base =
      t.partition >= 0 ? t.full.slice(0, t.full.length - `-partition-${t.partition}`.length) : t.full;
    if (pattern.regex.test(base)) out.add(base);
  }
  return [...out].sort();
}

/** The topics matching `pattern` now. */
export async function discoverTopics(ctx: ClientContext, pattern: TopicsPattern): Promise<string[]> {
  const answer = await ctx.lookup.topicsOfNamespace(pattern.namespace, pattern.mode);
  return matchingTopics(answer.topics ?? [], pattern);
}

export type TopicWatch = PeriodicTask;

/**
 * Every `intervalMs`, lists the matching topics and calls `update(added, removed)` against `current()`
 * (one update at a time; what fails is found again, and retried, at the next tick).
 */
export function watchTopics(
  ctx: ClientContext,
  pattern: TopicsPattern,
  intervalMs: number,
  current: () => readonly string[],
  update: (added: string[], removed: string[]) => Promise<void>,
): TopicWatch {
  return runPeriodically(ctx, intervalMs, 'topic discovery', { namespace: pattern.namespace }, async () => {
    const now = await discoverTopics(ctx, pattern);
    const known = new Set(current());
    const seen = new Set(now);
    const added = now.filter((t) => !known.has(t));
    const removed = [...known].filter((t) => !seen.has(t));
    if (added.length > 0 || removed.length > 0) {
      ctx.log.info('pattern subscription: topics changed', { added, removed });
      await update(added, removed);
    }
  });
}
