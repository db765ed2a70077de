import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

/**
 * `patternmesh kube start|stop|status|build`: the local Kubernetes control plane of tools/kube. A
 * development command: it runs the checkout's tool (which builds kube-apiserver and etcd from their Go
 * modules) rather than importing it, because production code may not depend on test tooling and an
 * image has no tools/ directory.
 */
export function kubeCommand(): Command {
  return new Command('kube')
    .description(
      'a local Kubernetes control plane on 127.0.0.1, for development and tests (source checkout only)',
    )
    .argument('<action>', 'start | stop | status | build')
    .argument('[options...]', 'passed to tools/kube (e.g. --wipe, --port 0, --no-istio, --json)')
    .allowUnknownOption()
    .helpOption(false)
    .addHelpText('after', '\nRun `patternmesh kube start --help` for the options. See tools/kube/README.md.')
    .action(async (action: string, options: string[]) => {
      const exitCode = await runKubeTool([action, ...options]);
      if (exitCode !== 0) process.exitCode = exitCode;
    });
}

/** The checkout's tools/kube entry point, found from this file's location. */
export function kubeToolScript(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = path.dirname(from);
  for (;;) {
    const candidate = path.join(dir, 'tools', 'kube', 'src', 'kube-cli.ts');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function runKubeTool(args: string[]): Promise<number> {
  const script = kubeToolScript();
  if (!script) {
    process.stderr.write('patternmesh kube: tools/kube is not here; it runs only in a source checkout\n');
    return Promise.resolve(1);
  }
  // The tool's stdout (KUBECONFIG=…) and stderr (progress) go straight to the user.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
