import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from './template';

const render = (t: string, rec: unknown) => {
  const parsed = parseTemplate(t);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return renderTemplate(parsed.parts, rec);
};

describe('summary templates', () => {
  it('fills dotted paths, taking the first present alternative', () => {
    expect(
      render('{user|username} failed login from {src.ip}', { username: 'bob', src: { ip: '10.0.0.1' } }),
    ).toBe('bob failed login from 10.0.0.1');
  });

  it('drops missing placeholders and collapses the spaces they leave', () => {
    expect(render('{user} failed login from {src}', { src: '10.0.0.1' })).toBe('failed login from 10.0.0.1');
  });

  it('renders numbers, booleans and lists of scalars', () => {
    expect(render('{n} {b} [{xs}]', { n: 12.5, b: false, xs: ['a', 'b'] })).toBe('12.5 false [a, b]');
  });

  it('reports every malformed placeholder', () => {
    expect(parseTemplate('a } b {x..y} {c')).toEqual({
      ok: false,
      problems: [
        'unmatched "}" at column 3',
        'placeholder "{x..y}" at column 7 is not a dotted path (or paths separated by "|")',
        'unclosed "{" at column 14',
      ],
    });
  });
});
