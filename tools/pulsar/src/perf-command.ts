import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The perf CLI (`pulsar-perf` against the local or a given broker), a TypeScript entry run with tsx. */
export const perfCli: string = fileURLToPath(new URL('./perf.ts', import.meta.url));

/**
 * The command that runs the perf CLI in a child process: `node --import tsx <perf.ts> …args`. The
 * arguments are the CLI's (its own flags such as `--url` first, then the pulsar-perf subcommand).
 */
export function pulsarPerfCommand(args: readonly string[]): { command: string; args: string[] } {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { command: process.execPath, args: ['--import', tsx, perfCli, ...args] };
}
