import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

// The rules exactly as the root config sets them, run alone (no type information needed).
const configPath: string = `${root}eslint.config.mjs`;
const rootConfig = ((await import(configPath)) as { default: Linter.Config[] }).default;
const boundaryEntry = rootConfig.find((c) => c.rules?.['@nx/enforce-module-boundaries'])!;
const boundaryRule: Linter.Config = {
  plugins: { '@nx': boundaryEntry.plugins!['@nx']! },
  rules: { '@nx/enforce-module-boundaries': boundaryEntry.rules!['@nx/enforce-module-boundaries']! },
};
const noAppImports: Linter.Config = {
  rules: {
    'no-restricted-imports': rootConfig.find((c) =>
      JSON.stringify(c.rules?.['no-restricted-imports'] ?? '').includes('Apps never import apps'),
    )!.rules!['no-restricted-imports']!,
  },
};

async function lint(filePath: string, code: string, config: Linter.Config): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: config.plugins ?? {},
        rules: config.rules ?? {},
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

beforeAll(async () => {
  // The rule reads the cached project graph; make sure it exists, as `nx run-many` does.
  await createProjectGraphAsync({ exitOnError: false });
});

describe('module boundaries', () => {
  it('forbid a domain lib from importing an adapter', async () => {
    const messages = await lint(
      'libs/classify/src/probe.ts',
      "export { EmbeddedBus } from '@patternmesh/bus';\n",
      boundaryRule,
    );
    expect(messages.join('\n')).toMatch(/type:domain.*can only depend on/);
  });

  it('forbid a domain lib of one scope from importing another scope’s domain lib', async () => {
    const messages = await lint(
      'libs/classify/src/probe.ts',
      "export { Router } from '@patternmesh/route';\n",
      boundaryRule,
    );
    expect(messages.join('\n')).toMatch(/scope:classify.*can only depend on/);
  });

  it('forbid a shared lib from importing a stage lib', async () => {
    const messages = await lint(
      'libs/bus/src/probe.ts',
      "export { Normalizer } from '@patternmesh/normalize';\n",
      boundaryRule,
    );
    expect(messages.length).toBeGreaterThan(0);
  });

  it('allow a domain lib to use contracts', async () => {
    expect(
      await lint(
        'libs/classify/src/probe.ts',
        "export { Priority } from '@patternmesh/proto';\n",
        boundaryRule,
      ),
    ).toEqual([]);
  });

  it('forbid an app from importing another app', async () => {
    const messages = await lint(
      'apps/router/src/probe.ts',
      "export { createClassifier } from '@patternmesh/classifier';\n",
      noAppImports,
    );
    expect(messages.join('\n')).toMatch(/Apps never import apps/);
  });
});
