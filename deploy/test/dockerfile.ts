// The Dockerfile read as instructions (dockerfile-ast, the parser behind dockerfile-utils' linter), split
// into its stages, for the checks to assert on and for the image tree to be assembled from.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser, type Instruction, ModifiableInstruction } from 'dockerfile-ast';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dockerfilePath = path.join(repoRoot, 'deploy/Dockerfile');

export interface Stage {
  /** `AS <name>`, or the index for an unnamed stage. */
  name: string;
  from: string;
  instructions: { keyword: string; args: string[]; flags: Record<string, string>; raw: string }[];
}

function words(instruction: Instruction): string[] {
  return instruction.getArguments().map((a) => a.getValue());
}

export function stages(): Stage[] {
  const dockerfile = DockerfileParser.parse(fs.readFileSync(dockerfilePath, 'utf8'));
  const out: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = words(instruction);
    if (keyword === 'FROM') {
      const as = args.findIndex((a) => a.toUpperCase() === 'AS');
      out.push({ name: as >= 0 ? args[as + 1]! : String(out.length), from: args[0]!, instructions: [] });
      continue;
    }
    // `--from=…`, `--chown=…` (COPY), `--interval=…` (HEALTHCHECK): flags, not arguments.
    const flags =
      instruction instanceof ModifiableInstruction
        ? Object.fromEntries(instruction.getFlags().map((f) => [f.getName(), f.getValue() ?? '']))
        : {};
    out.at(-1)!.instructions.push({ keyword, args, flags, raw: instruction.getTextContent() });
  }
  return out;
}

/** A JSON-array (exec form) instruction's argv, or undefined for the shell form. */
export function execForm(raw: string): string[] | undefined {
  const json = raw
    .replace(/^\s*\S+\s+/s, '')
    .replace(/\\\n/g, ' ')
    .trim();
  const body = json.replace(/^(--\S+\s+)*(CMD\s+)?/s, '');
  if (!body.startsWith('[')) return undefined;
  return JSON.parse(body) as string[];
}
