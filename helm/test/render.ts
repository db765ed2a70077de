// Renders the chart with the helm built by tools/kube, and reads the manifests back as objects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHelm } from '@patternmesh/kube-tools';
import { parseAllDocuments } from 'yaml';

export const chartDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../patternmesh');

/** The chart's CI variants: `ci/<name>-values.yaml`, plus the defaults (no file). */
export function variants(): { name: string; file?: string }[] {
  const files = fs
    .readdirSync(path.join(chartDir, 'ci'))
    .filter((f) => f.endsWith('-values.yaml'))
    .sort();
  return [
    { name: 'default' },
    ...files.map((f) => ({ name: f.replace(/-values\.yaml$/, ''), file: path.join(chartDir, 'ci', f) })),
  ];
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export async function helm(args: string[]): Promise<HelmResult> {
  const r = spawnSync(await ensureHelm(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** A Kubernetes object as rendered (the fields the checks read). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // every kind has its own shape
  data?: Record<string, string>;
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
}

export interface Rendered {
  text: string;
  manifests: Manifest[];
}

export async function render(
  namespace: string,
  { valuesFile, set = [] }: { valuesFile?: string | undefined; set?: string[] } = {},
): Promise<Rendered> {
  const args = ['template', 'pm', chartDir, '--namespace', namespace];
  if (valuesFile) args.push('--values', valuesFile);
  for (const s of set) args.push('--set', s);
  const result = await helm(args);
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  // Plain YAML, not the Kubernetes client's typed models: those rename fields (`from` → `_from`) and
  // drop the ones they do not know, and the checks must see exactly what the API server gets.
  const manifests = parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
  return { text: result.stdout, manifests };
}

export function ofKind(rendered: Rendered, kind: string): Manifest[] {
  return rendered.manifests.filter((m) => m.kind === kind);
}

/** Every pod template in the rendered output: Deployments' and Jobs'. */
export function podTemplates(rendered: Rendered): { owner: Manifest; spec: any }[] {
  return rendered.manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
    .map((m) => ({ owner: m, spec: m.spec.template.spec }));
}
