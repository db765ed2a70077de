// kubectl, the one built with the API server (same release, so no version skew), against a kubeconfig.
import { spawnSync } from 'node:child_process';
import { ensureBinaries } from './build';

export interface KubectlResult {
  status: number;
  stdout: string;
  stderr: string;
}

export async function kubectlPath(): Promise<string> {
  return (await ensureBinaries()).kubectl;
}

/** Run kubectl; never throws on a non-zero exit (callers assert on it), only when it cannot start. */
export async function kubectl(
  kubeconfig: string,
  args: string[],
  { input }: { input?: string } = {},
): Promise<KubectlResult> {
  const r = spawnSync(await kubectlPath(), ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}
