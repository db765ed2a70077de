// `npm run build`: compiles every service's entry point (and the telemetry bootstrap) into plain
// JavaScript under dist/, so production processes start with `node`, not a TypeScript loader at run
// time. esbuild bundles the workspace's own TypeScript (@patternmesh/*) into one file per entry and
// leaves every npm package external: they load from node_modules as they do under tsx, so
// instrumentation patching, native addons and packages' own files keep working.
//
// Layout: dist/apps/<app>/main.js and dist/libs/telemetry/register.js — the same depth below the
// repository root as the sources they come from, so paths computed from import.meta.url
// (libs/proto's PROTO_ROOT, `../../../proto`) resolve alike in both.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const APPS = [
  'all-in-one',
  'autoscaler',
  'classifier',
  'cli',
  'ingest-gateway',
  'normalizer',
  'router',
];

/** Bare imports that are not the workspace's own packages stay imports of node_modules. */
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@patternmesh/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * `outdir` is a folder directly under the repository root (the depth the layout above relies on).
 * `extraEntries` (`{ in, out }`, out three levels deep like `apps/<app>/main`) are built alongside,
 * e.g. the e2e benchmark's all-in-one host.
 */
export async function buildAll(outdir = 'dist', extraEntries = []) {
  if (outdir.includes('/') || outdir.includes(path.sep))
    throw new Error(`outdir must be a folder under the root, got ${outdir}`);
  rmSync(path.join(root, outdir), { recursive: true, force: true });
  const started = performance.now();
  await build({
    absWorkingDir: root,
    entryPoints: [
      ...APPS.map((app) => ({ in: `apps/${app}/src/main.ts`, out: `apps/${app}/main` })),
      { in: 'libs/telemetry/src/register.ts', out: 'libs/telemetry/register' },
      ...extraEntries,
    ],
    outdir,
    bundle: true,
    // Shared code is bundled into each entry rather than split into chunks: one file per process.
    splitting: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    sourcemap: 'linked',
    plugins: [npmPackagesExternal],
    logLevel: 'warning',
  });
  return performance.now() - started;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `node tools/scripts/build.mjs [outdir] [--entry <source.ts>=<out> ...]`; tests and benchmarks build
  // into their own folder, not the developer's dist/.
  const args = process.argv.slice(2);
  const extra = [];
  for (let i = args.indexOf('--entry'); i >= 0; i = args.indexOf('--entry')) {
    const [input, out] = (args[i + 1] ?? '').split('=');
    if (!input || !out) throw new Error('--entry wants <source.ts>=<out path>');
    extra.push({ in: input, out });
    args.splice(i, 2);
  }
  const outdir = args[0] ?? 'dist';
  const ms = await buildAll(outdir, extra);
  process.stdout.write(
    `built ${APPS.length} services and the telemetry bootstrap into ${outdir}/ in ${Math.round(ms)} ms\n`,
  );
}
