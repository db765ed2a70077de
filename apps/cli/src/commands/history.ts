import { writeFileSync } from 'node:fs';
import { LoadHistory, type RestoredSeries, autoscalerService } from '@patternmesh/autoscaler';
import { busSettings, connectBus } from '@patternmesh/bus-factory';
import { autoscalerHistoryTopic, pipelineTopics } from '@patternmesh/pattern';
import { createLogger, type ServiceDefinition } from '@patternmesh/service-kit';
import { Command, Option } from 'commander';
import { loadCliConfig } from './cli-config';
import { UsageError } from './start';

const MINUTE = 60_000;

/** One line per stage: how much history there is, over which span, and its level. */
export function summaryLine(stage: string, series: RestoredSeries, stepMs: number): string {
  const known = Array.from(series.values).filter((v) => !Number.isNaN(v));
  const mean = known.length ? known.reduce((a, b) => a + b, 0) / known.length : Number.NaN;
  const end = series.start + series.values.length * stepMs;
  return (
    `stage=${stage} steps=${series.values.length} with_data=${known.length}` +
    ` from=${new Date(series.start).toISOString()} to=${new Date(end).toISOString()}` +
    ` mean_per_s=${mean.toFixed(2)} last_per_s=${(known.at(-1) ?? Number.NaN).toFixed(2)}`
  );
}

/**
 * The kept history as a per-minute trace in the backtest's shape (`time,events`: events in that
 * minute). A step without data has an empty value, which the backtest fills from the minute before.
 */
export function historyCsv(series: RestoredSeries): string {
  const rows = Array.from(series.values, (rate, i) => {
    const time = new Date(series.start + i * MINUTE).toISOString();
    return `${time},${Number.isNaN(rate) ? '' : String(Math.round(rate * 60 * 1000) / 1000)}`;
  });
  return `time,events\n${rows.join('\n')}\n`;
}

/**
 * `patternmesh autoscaler history`: what the running autoscaler has kept of each stage's load on the
 * bus (the compacted `control/autoscaler-history` topic), read without changing it, and optionally
 * written out as a trace that `autoscaler backtest` replays — a backtest on your own cluster's load.
 */
export function historyCommand(): Command {
  return new Command('history')
    .description('show the load history the autoscaler keeps on the bus; --csv writes it as a trace')
    .addOption(
      new Option('--bus <bus>', 'message bus (default: PATTERNMESH_BUS)').choices(
        busSettings.PATTERNMESH_BUS.values ?? [],
      ),
    )
    .option('--stage <stage>', 'only this stage (normalize, classify, route, ingest)')
    .option('--csv <file>', 'write the stage’s history as a per-minute trace (needs --stage)')
    .addHelpText(
      'after',
      [
        '',
        'Reads the same settings as the autoscaler (PULSAR_URL, PATTERNMESH_TOPIC_TENANT,',
        'PATTERNMESH_AUTOSCALER_STEP_MS, PATTERNMESH_AUTOSCALER_HISTORY_STEPS).',
        '',
        'Example: a backtest on the normalizer’s last two weeks',
        '  patternmesh autoscaler history --bus pulsar --stage normalize --csv normalize.csv',
        '  patternmesh autoscaler backtest --trace normalize.csv --plot normalize.svg',
      ].join('\n'),
    )
    .action(async (options: { bus?: string; stage?: string; csv?: string }) => {
      const config = loadCliConfig([autoscalerService as ServiceDefinition], options.bus);
      if (config.PATTERNMESH_BUS !== 'pulsar') {
        throw new UsageError(
          'the embedded bus keeps no history beyond its process: pass --bus pulsar or set PATTERNMESH_BUS=pulsar',
        );
      }
      if (options.csv && !options.stage) throw new UsageError('--csv writes one stage: add --stage <stage>');
      const stepMs = config.PATTERNMESH_AUTOSCALER_STEP_MS as number;
      if (options.csv && stepMs !== MINUTE) {
        throw new UsageError(`--csv writes per-minute traces; this history has steps of ${stepMs} ms`);
      }
      const logger = createLogger('history', { level: config.PATTERNMESH_LOG_LEVEL });
      const topics = pipelineTopics(config.PATTERNMESH_TOPIC_TENANT);
      const bus = await connectBus(config as never, logger, { topics, tenants: [] });
      try {
        const history = new LoadHistory({
          bus,
          topic: autoscalerHistoryTopic(topics.tenant),
          stepMs,
          keepSteps: config.PATTERNMESH_AUTOSCALER_HISTORY_STEPS as number,
          logger,
        });
        // Reads only: restore() publishes nothing but its own catch-up marker (deleted again), and
        // nothing here flushes buckets.
        const restored = await history.restore();
        const stages = [...restored.keys()].filter((s) => !options.stage || s === options.stage).sort();
        if (stages.length === 0) {
          throw new Error(
            options.stage ? `no history kept for stage ${options.stage}` : 'no history kept on this bus yet',
          );
        }
        for (const stage of stages)
          process.stdout.write(`${summaryLine(stage, restored.get(stage)!, stepMs)}\n`);
        if (options.csv) writeFileSync(options.csv, historyCsv(restored.get(options.stage!)!));
      } finally {
        await bus.close();
      }
    });
}
