import { isValidPath } from '@patternmesh/pattern';
import { firstPresent } from './path';

/** A summary template split into literal text and placeholders (each a list of alternative paths). */
export type TemplatePart = { text: string } | { paths: string[] };

/**
 * Parses a summary template such as `"{user|username} failed login from {src.ip}"`.
 * A placeholder holds dotted paths separated by `|`; the first present one is used.
 * Returns the parts, or every problem found.
 */
export function parseTemplate(
  template: string,
): { ok: true; parts: TemplatePart[] } | { ok: false; problems: string[] } {
  const parts: TemplatePart[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    if (close >= 0 && (open < 0 || close < open)) {
      problems.push(`unmatched "}" at column ${close + 1}`);
      i = close + 1;
      continue;
    }
    if (open < 0) {
      parts.push({ text: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: template.slice(i, open) });
    const end = template.indexOf('}', open);
    const nested = template.indexOf('{', open + 1);
    if (end < 0 || (nested >= 0 && nested < end)) {
      problems.push(`unclosed "{" at column ${open + 1}`);
      i = open + 1;
      continue;
    }
    const inner = template.slice(open + 1, end);
    const paths = inner.split('|').map((p) => p.trim());
    const bad = paths.filter((p) => !isValidPath(p));
    if (bad.length > 0 || inner.trim() === '') {
      problems.push(
        `placeholder "{${inner}}" at column ${open + 1} is not a dotted path (or paths separated by "|")`,
      );
    } else {
      parts.push({ paths });
    }
    i = end + 1;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, parts };
}

/**
 * Renders parsed template parts against a record. A missing placeholder renders as nothing and the
 * whitespace around it collapses, so "{user} failed login" without a user reads "failed login".
 */
export function renderTemplate(parts: readonly TemplatePart[], record: unknown): string {
  let out = '';
  for (const part of parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const hit = firstPresent(record, part.paths);
    out += hit ? display(hit.value) : '';
  }
  return out.replace(/\s+/g, ' ').trim();
}

function display(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v))
    return v
      .filter((x) => x !== null && typeof x !== 'object')
      .map(String)
      .join(', ');
  return '';
}
