// Flat ESLint config. It encodes three things a reviewer would otherwise have to catch by hand:
// async safety (no floating promises), architecture (Nx module boundaries, no import cycles, no deep
// imports into another package's src/), and config discipline (only config.ts reads process.env).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// Nx module boundaries. Types: an app composes domain logic, adapters, contracts and utils; a
// runner (the all-in-one, the CLI) composes apps; a tool (bench, distributed: dev tooling, never deployed)
// may also use the testing helpers (type:testing, e.g. @patternmesh/pulsar-tools). With
// `tests: true` (test files and vitest configs only, see the override below) every project may use
// the testing helpers too, while its production source still may not.
function boundaries({ tests }) {
  const testing = tests ? ['type:testing'] : [];
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      // The all-in-one composes the services' app factories (see the override below that keeps
      // every other project from importing an app).
      allow: [
        '@patternmesh/ingest-gateway',
        '@patternmesh/normalizer',
        '@patternmesh/classifier',
        '@patternmesh/router',
        '@patternmesh/autoscaler',
        '@patternmesh/all-in-one',
        // The e2e bench (a tool) drives the distributed launcher (a tool, projectType application).
        '@patternmesh/distributed',
      ],
      depConstraints: [
        // Runners (the all-in-one, the CLI) compose the apps' service definitions; apps never import apps.
        {
          sourceTag: 'type:runner',
          onlyDependOnLibsWithTags: [
            'type:runner',
            'type:app',
            'type:domain',
            'type:adapter',
            'type:contract',
            'type:util',
            ...testing,
          ],
        },
        {
          sourceTag: 'type:tool',
          onlyDependOnLibsWithTags: [
            'type:runner',
            'type:app',
            'type:domain',
            'type:adapter',
            'type:contract',
            'type:util',
            'type:testing',
          ],
        },
        {
          sourceTag: 'type:app',
          onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:contract', 'type:util', ...testing],
        },
        {
          sourceTag: 'type:domain',
          onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util', ...testing],
        },
        {
          sourceTag: 'type:adapter',
          onlyDependOnLibsWithTags: ['type:adapter', 'type:contract', 'type:util', ...testing],
        },
        { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract', ...testing] },
        { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contract', ...testing] },
        { sourceTag: 'type:testing', notDependOnLibsWithTags: ['type:app'] },
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ingest'] },
        { sourceTag: 'scope:normalize', onlyDependOnLibsWithTags: ['scope:shared', 'scope:normalize'] },
        { sourceTag: 'scope:classify', onlyDependOnLibsWithTags: ['scope:shared', 'scope:classify'] },
        { sourceTag: 'scope:route', onlyDependOnLibsWithTags: ['scope:shared', 'scope:route'] },
        { sourceTag: 'scope:autoscale', onlyDependOnLibsWithTags: ['scope:shared', 'scope:autoscale'] },
        { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['*'] },
      ],
    },
  ];
}

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'libs/proto/src/gen/**', '**/*.d.mts', '.nx/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx, 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@patternmesh/*/src/*', '@patternmesh/*/src'],
              message: 'Import a package through its public entry, never its src/ files.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only config.ts reads process.env (one schema per service).',
        },
      ],
      '@nx/enforce-module-boundaries': boundaries({ tests: false }),
    },
  },
  {
    // Apps never import apps; only the all-in-one runner composes them.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/all-in-one/**', 'apps/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@patternmesh/*/src/*', '@patternmesh/*/src'],
              message: 'Import a package through its public entry, never its src/ files.',
            },
            {
              group: [
                '@patternmesh/ingest-gateway',
                '@patternmesh/normalizer',
                '@patternmesh/classifier',
                '@patternmesh/router',
                '@patternmesh/autoscaler',
                '@patternmesh/all-in-one',
              ],
              message: 'Apps never import apps: move shared logic into a lib.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain Node scripts (tools/scripts/*.mjs, bin shims): Node's globals, the recommended JS rules.
    files: ['**/*.mjs', 'apps/cli/bin/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The Pulsar client is the adapter's business: services, the kit and the other libs reach Pulsar
    // only through the bus port (and its factory), so no second adapter grows inside an app.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/pulsar/**', 'libs/bus-pulsar/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@patternmesh/pulsar',
              message:
                'Use the bus port (@patternmesh/bus, @patternmesh/bus-factory); only libs/bus-pulsar uses the client.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests and their vitest configs may use the testing helpers (type:testing, e.g. the broker
    // tooling in @patternmesh/pulsar-tools); production source may not (the rule above).
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries({ tests: true }) },
  },
  {
    // config.ts is the one place that reads the environment; tests may set it up.
    files: ['**/config.ts', '**/register.ts', '**/*.test.ts', '**/test/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  prettier,
);
