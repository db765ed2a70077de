#!/usr/bin/env node
// The `patternmesh` command in a checkout (`npx patternmesh ...`): npm puts node_modules/.bin, and so
// the Node 24 of the `node` package, first on PATH. TypeScript runs through tsx's loader; telemetry
// boots before any service code, as `node --import` would do it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `patternmesh needs Node 24 LTS; this is Node ${process.versions.node}. ` +
      `Run 'npm ci' in the checkout (it installs Node 24 from the 'node' package) and use 'npx patternmesh'.`,
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../../../libs/telemetry/src/register.ts');
await import('../src/main.ts');
