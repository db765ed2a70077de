import { describe, expect, it } from 'vitest';
import { checkTemplate, expandTemplate, sanitizeTopicPart } from './topic';

describe('destination templates', () => {
  it('accepts topic names with known placeholders', () => {
    expect(checkTemplate('persistent://{tenant}/patterns/{lane}-{category}')).toEqual([]);
    expect(checkTemplate('non-persistent://acme/alerts/soc')).toEqual([]);
  });

  it('reports unknown placeholders, stray braces and non-topics', () => {
    expect(checkTemplate('persistent://{tenant}/patterns/{priority}')).toEqual([
      'unknown placeholder {priority}; expected {tenant}, {lane}, {category}',
    ]);
    expect(checkTemplate('persistent://{tenant/patterns/x')).toEqual(['has an unbalanced "{" or "}"']);
    expect(checkTemplate('{tenant}/patterns/x')).toEqual([
      'is not a topic name like "persistent://{tenant}/patterns/{lane}-{category}"',
    ]);
    expect(checkTemplate('persistent://a/b/c/d')).toHaveLength(1);
    expect(checkTemplate('persistent://a/b/has space')).toHaveLength(1);
    expect(checkTemplate('')).toEqual(['is empty']);
  });

  it('sanitises values so they cannot change the topic structure', () => {
    expect(
      expandTemplate('persistent://{tenant}/patterns/{lane}-{category}', {
        tenant: 'acme',
        lane: 'critical',
        category: 'account takeover/ato',
      }),
    ).toBe('persistent://acme/patterns/critical-account_takeover_ato');
    expect(sanitizeTopicPart('')).toBe('unknown');
    expect(sanitizeTopicPart('..')).toBe('unknown');
    expect(sanitizeTopicPart('Fraud.EU-1')).toBe('Fraud.EU-1');
  });
});
