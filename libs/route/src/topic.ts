import { parseTopicName } from '@patternmesh/pattern';

/** Placeholders a destination template may use. */
export const TEMPLATE_PLACEHOLDERS = ['tenant', 'lane', 'category'] as const;

/** A value for each template placeholder. */
export type TemplateValues = Record<(typeof TEMPLATE_PLACEHOLDERS)[number], string>;

// Characters Pulsar accepts in tenant, namespace and topic names; anything else in a value is replaced.
const SAFE = /[^A-Za-z0-9._-]/g;

/**
 * Makes a value safe inside one segment of a topic name: characters outside `[A-Za-z0-9._-]` become
 * `_`, so a category like "account takeover/ato" cannot add a path segment. An empty or dot-only
 * value becomes `unknown`.
 */
export function sanitizeTopicPart(value: string): string {
  const safe = value.trim().replace(SAFE, '_');
  return safe === '' || /^\.+$/.test(safe) ? 'unknown' : safe;
}

/** Checks a destination template; returns every problem (empty when valid). */
export function checkTemplate(template: string): string[] {
  if (typeof template !== 'string' || template.trim() === '') return ['is empty'];
  const problems: string[] = [];
  const skeleton = template.replace(/\{([^{}]*)\}/g, (_m, name: string) => {
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)) {
      problems.push(
        `unknown placeholder {${name}}; expected ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      );
    }
    return 'x';
  });
  if (/[{}]/.test(skeleton)) problems.push('has an unbalanced "{" or "}"');
  else if (!parseTopicName(skeleton)) {
    problems.push('is not a topic name like "persistent://{tenant}/patterns/{lane}-{category}"');
  }
  return problems;
}

/** Fills a validated template; each value is sanitised so the result stays one valid topic name. */
export function expandTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{(tenant|lane|category)\}/g, (_m, name: keyof TemplateValues) =>
    sanitizeTopicPart(values[name]),
  );
}
