// deploy/Dockerfile, checked without a Docker engine: the offline linter (dockerfile-utils, the validator
// of VS Code's Docker support) and the rules the image promises, read from the parsed instructions.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerfilePath, execForm, repoRoot, stages } from './dockerfile';

describe('deploy/Dockerfile', () => {
  const all = stages();
  const final = all.at(-1)!;

  it('passes the linter with no error and no warning', () => {
    const lint = spawnSync(
      path.join(repoRoot, 'node_modules/.bin/dockerfile-utils'),
      ['lint', dockerfilePath],
      {
        encoding: 'utf8',
      },
    );
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('builds in stages on Node 24 and ships only what the final stage copies', () => {
    expect(all.map((s) => s.name)).toEqual(['build', 'deps', '2']);
    for (const stage of all) expect(stage.from).toMatch(/^node:24[.-]/);
    const deps = all.find((s) => s.name === 'deps')!;
    expect(deps.instructions.find((i) => i.keyword === 'RUN')?.raw).toContain('npm ci --omit=dev');
    expect(final.instructions.some((i) => i.keyword === 'RUN')).toBe(false);
  });

  it('runs as the unprivileged uid the chart expects, with read-only application files', () => {
    const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1);
    expect(user?.args[0]).toBe('1000:1000');
    for (const copy of final.instructions.filter((i) => i.keyword === 'COPY')) {
      expect(copy.flags.chown, copy.raw).toBe('root:root');
    }
  });

  it('needs no shell at run time: exec-form entry point and health check, which uses node rather than curl', () => {
    const entrypoint = execForm(final.instructions.find((i) => i.keyword === 'ENTRYPOINT')!.raw);
    expect(entrypoint).toEqual(['node', '--import', './dist/libs/telemetry/register.js']);
    const cmd = execForm(final.instructions.find((i) => i.keyword === 'CMD')!.raw);
    expect(cmd).toEqual(['dist/apps/all-in-one/main.js']);
    const health = final.instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
    const probe = execForm(health.raw);
    expect(probe?.[0]).toBe('node');
    expect(health.raw).not.toMatch(/curl|wget|sh -c/);
  });
});
