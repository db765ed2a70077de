import { Command, CommanderError } from 'commander';
import { autoscalerCommand } from './commands/autoscaler';
import { kubeCommand } from './commands/kube';
import { provisionCommand } from './commands/provision';
import { startCommand, UsageError } from './commands/start';
import { CliExit } from './exit-codes';

/**
 * The command tree. Each subcommand lives in `commands/` and is added here; the ones to come
 * (replay, backtest, tail, routes) slot in beside `start`.
 */
export function buildProgram(): Command {
  return new Command('patternmesh')
    .description('Patternmesh: ingest, normalize, classify and route high-volume patterns onto Apache Pulsar')
    .showHelpAfterError('(add --help for usage)')
    .addCommand(startCommand())
    .addCommand(provisionCommand())
    .addCommand(autoscalerCommand())
    .addCommand(kubeCommand())
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  npx patternmesh start                          the whole pipeline in one process (embedded bus)',
        '  npx patternmesh start normalizer --bus pulsar  one stage against a local broker',
        '  npx patternmesh kube start                     a local Kubernetes API server (prints KUBECONFIG=…)',
        '  npx patternmesh autoscaler backtest --trace t.csv --plot b.html   predictive floor vs reactive HPA',
        '  npx patternmesh start --help                   options of a command',
        '',
        'Exit codes: 0 ok, 1 failed, 2 wrong usage or configuration.',
      ].join('\n'),
    );
}

/** Parses and runs; resolves with the exit code (long-running commands resolve once they are up). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  // Every level, nested subcommands (`autoscaler backtest`) included: usage errors must reach the
  // exit-code mapping below instead of commander's own process.exit(1).
  const override = (command: Command): void => {
    command.exitOverride();
    for (const sub of command.commands) override(sub);
  };
  override(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return CliExit.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with a "success" CommanderError; everything else is wrong usage.
      return error.exitCode === 0 ? CliExit.ok : CliExit.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`patternmesh: ${error.message}\n`);
      return CliExit.usage;
    }
    process.stderr.write(`patternmesh: ${(error as Error).message}\n`);
    return CliExit.failed;
  }
}
