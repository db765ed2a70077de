import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

// The boundary rule exactly as the root config sets it, run alone (no type information needed): every
// config entry that sets it, with its own `files`/`ignores`, so a file gets the same options as in
// `nx lint` (production source the strict ones, tests and vitest configs the override's).
const configPath: string = `${root}eslint.config.mjs`;
const rootConfig = ((await import(configPath)) as { default: Linter.Config[] }).default;
const boundaryEntries = rootConfig.filter((c) => c.rules?.['@nx/enforce-module-boundaries']);
const nxPlugin = boundaryEntries.find((c) => c.plugins?.['@nx'])!.plugins!['@nx']!;
const boundaryRule: Linter.Config[] = boundaryEntries.map((c) => ({
  ...(c.files ? { files: c.files } : {}),
  ...(c.ignores ? { ignores: c.ignores } : {}),
  rules: { '@nx/enforce-module-boundaries': c.rules!['@nx/enforce-module-boundaries']! },
}));
const noAppImports: Linter.Config = {
  rules: {
    'no-restricted-imports': rootConfig.find((c) =>
      JSON.stringify(c.rules?.['no-restricted-imports'] ?? '').includes('Apps never import apps'),
    )!.rules!['no-restricted-imports']!,
  },
};

// The rule that keeps the Pulsar client inside its adapter, exactly as the root config sets it.
const pulsarClientRule: Linter.Config[] = rootConfig
  .filter((c) => c.rules?.['@typescript-eslint/no-restricted-imports'])
  .map((c) => ({
    ...(c.files ? { files: c.files } : {}),
    ...(c.ignores ? { ignores: c.ignores } : {}),
    plugins: { '@typescript-eslint': tseslint.plugin as never },
    rules: {
      '@typescript-eslint/no-restricted-imports': c.rules!['@typescript-eslint/no-restricted-imports']!,
    },
  }));

async function lint(
  filePath: string,
  code: string,
  config: Linter.Config | Linter.Config[],
): Promise<string[]> {
  const entries = Array.isArray(config) ? config : [config];
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { '@nx': nxPlugin },
      },
      ...entries.map((c) => ({ files: ['**/*.ts'], ...c })),
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
    expect(messages.join('\n')).toMatch(/"type:adapter" can only depend on/);
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

describe('the broker tooling (@patternmesh/pulsar-tools, type:testing) stays out of production code', () => {
  const importTools = "export { ensureBroker } from '@patternmesh/pulsar-tools';\n";

  it.each([
    'libs/pulsar/src/probe.ts',
    'libs/bus/src/probe.ts',
    'apps/autoscaler/src/probe.ts',
    'apps/all-in-one/src/probe.ts',
  ])('forbids it in production source: %s', async (file) => {
    const messages = (await lint(file, importTools, boundaryRule)).join('\n');
    expect(messages).toMatch(/enforce-module-boundaries: .*can only depend on libs tagged with/);
    // The production rule: testing helpers are not among the allowed tags.
    expect(messages).not.toMatch(/type:testing/);
  });

  it.each([
    'libs/pulsar/test/probe.broker.test.ts',
    'libs/pulsar/test/probe-helpers.ts',
    'libs/bus/src/pulsar/probe.broker.test.ts',
    'apps/autoscaler/vitest.config.ts',
    'apps/all-in-one/test/probe.broker.test.ts',
  ])('allows it in tests and vitest configs: %s', async (file) => {
    expect(await lint(file, importTools, boundaryRule)).toEqual([]);
  });

  it('allows it in the dev tools (type:tool): bench and distributed', async () => {
    expect(await lint('tools/bench/src/probe.ts', importTools, boundaryRule)).toEqual([]);
    expect(await lint('tools/distributed/src/probe.ts', importTools, boundaryRule)).toEqual([]);
  });

  it('keeps the other rules in tests: a test of a shared lib still cannot import a stage lib', async () => {
    const messages = await lint(
      'libs/bus/src/probe.test.ts',
      "export { Normalizer } from '@patternmesh/normalize';\n",
      boundaryRule,
    );
    // The test override applies (it allows type:testing) and still rejects the stage lib.
    expect(messages.join('\n')).toMatch(/can only depend on libs tagged with .*"type:testing"/);
  });
});

describe('the Pulsar client (@patternmesh/pulsar) stays inside its adapter', () => {
  const importClient = "export { PulsarClient } from '@patternmesh/pulsar';\n";

  it.each([
    'apps/autoscaler/src/probe.ts',
    'apps/router/test/probe.broker.test.ts',
    'libs/service-kit/src/probe.ts',
    'libs/bus/src/probe.ts',
    'libs/control/src/probe.ts',
  ])('forbids it in %s', async (file) => {
    expect((await lint(file, importClient, pulsarClientRule)).join('\n')).toMatch(
      /'@patternmesh\/pulsar' import is restricted/,
    );
  });

  it.each(['libs/bus-pulsar/src/probe.ts', 'libs/pulsar/src/probe.ts', 'tools/bench/src/probe.ts'])(
    'allows it in %s',
    async (file) => {
      expect(await lint(file, importClient, pulsarClientRule)).toEqual([]);
    },
  );
});
