// The image's contents without a Docker engine: the file tree the Dockerfile's final stage assembles
// (its COPY instructions, from the build stage's compiled dist/, the deps stage's production
// node_modules and the repository's proto/), made read-only as the chart mounts it, and every service
// started from it as the image's entry point starts it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execForm, repoRoot, stages } from './dockerfile';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-image-'));
const image = path.join(work, 'app');
const SERVICES = ['ingest-gateway', 'normalizer', 'classifier', 'router', 'autoscaler', 'all-in-one'];

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.stderr}`);
}

/** What a stage's `COPY <src> <dest>` from the repository copies (directories whole). */
function copyFromContext(dir: string, src: string, dest: string): void {
  fs.cpSync(path.join(repoRoot, src), path.join(dir, dest), {
    recursive: true,
    filter: (f) => !f.includes(`${path.sep}node_modules`) && !f.includes(`${path.sep}.`),
  });
}

/** Runs a stage's COPY and RUN instructions the way `docker build` would, in `dir`. */
function buildStage(name: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const { keyword, args } of stages().find((s) => s.name === name)!.instructions) {
    if (keyword === 'COPY') {
      const [dest, ...srcs] = [...args].reverse();
      for (const src of srcs.reverse()) copyFromContext(dir, src, dest === './' ? path.basename(src) : dest!);
    } else if (keyword === 'RUN') {
      // From npm's cache where it can: the packages are those `npm ci` installed for the repository.
      const command = args.join(' ').replaceAll('npm ci ', 'npm ci --prefer-offline ');
      run('bash', ['-c', command], dir);
    }
  }
}

function startService(
  entry: string[],
  cwd: string,
): Promise<{ child: ChildProcess; httpPort: number; output: () => string }> {
  const child = spawn(entry[0]!, entry.slice(1), {
    cwd,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PATTERNMESH_HTTP_HOST: '127.0.0.1',
      PATTERNMESH_HTTP_PORT: '0',
      PATTERNMESH_GRPC_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /"httpPort":(\d+)/.exec(output)?.[1];
      if (port) resolve({ child, httpPort: Number(port), output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
  });
}

describe('the image file tree', () => {
  beforeAll(() => {
    buildStage('build', path.join(work, 'build'));
    buildStage('deps', path.join(work, 'deps'));
    fs.mkdirSync(image);
    for (const { args, flags } of stages()
      .at(-1)!
      .instructions.filter((i) => i.keyword === 'COPY')) {
      const [src, dest] = args;
      // `--from=<stage>` copies from that stage's tree (rooted at its WORKDIR, /app), else from the repository.
      const source = flags.from
        ? path.join(work, flags.from, path.relative('/app', src!))
        : path.join(repoRoot, src!);
      fs.cpSync(source, path.join(image, dest!), { recursive: true, verbatimSymlinks: true });
    }
    // readOnlyRootFilesystem: nothing in /app may need writing.
    run('chmod', ['-R', 'a-w', image], work);
  });

  afterAll(() => {
    spawnSync('chmod', ['-R', 'u+w', work]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('holds compiled JavaScript, production dependencies only, and the .proto files', () => {
    expect(fs.readdirSync(image).sort()).toEqual(['dist', 'node_modules', 'package.json', 'proto']);
    for (const service of [...SERVICES, 'cli']) {
      expect(fs.existsSync(path.join(image, 'dist/apps', service, 'main.js')), service).toBe(true);
    }
    const modules = fs.readdirSync(path.join(image, 'node_modules'));
    for (const dev of ['typescript', 'tsx', 'vitest', 'esbuild', 'nx', 'eslint', 'prettier']) {
      expect(modules, `dev dependency ${dev}`).not.toContain(dev);
    }
    expect(modules).toContain('fastify');
    expect(fs.existsSync(path.join(image, 'proto/patternmesh/pattern/v1'))).toBe(true);
  });

  it.each(SERVICES)(
    'starts %s from it as the entry point does, ready, and drains on SIGTERM',
    async (service) => {
      const final = stages().at(-1)!;
      const entrypoint = execForm(final.instructions.find((i) => i.keyword === 'ENTRYPOINT')!.raw)!;
      const started = await startService(
        [process.execPath, ...entrypoint.slice(1), `dist/apps/${service}/main.js`],
        image,
      );
      try {
        const ready = await fetch(`http://127.0.0.1:${started.httpPort}/readyz`);
        expect(ready.status).toBe(200);
      } finally {
        const exited = new Promise<number | null>((r) => started.child.once('exit', (code) => r(code)));
        started.child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    },
  );
});
