import { readFileSync, writeFileSync } from 'node:fs';
import {
  backtest,
  backtestHtml,
  backtestSvg,
  parseTime,
  parseTrace,
  type BacktestResult,
} from '@patternmesh/forecast';
import { Command, InvalidArgumentError } from 'commander';
import { historyCommand } from './history';

const number =
  (name: string, { min = 0, integer = false } = {}) =>
  (text: string) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new InvalidArgumentError(`${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}`);
    }
    return value;
  };

function span(text: string, previous: Array<[number, number]> = []): Array<[number, number]> {
  const [from, to] = text.split('/');
  if (!from || !to) throw new InvalidArgumentError('--mask takes <from>/<to> (timestamps as in the trace)');
  return [...previous, [parseTime(from), parseTime(to)]];
}

/** The RESULT line, exactly. */
export function resultLine(r: BacktestResult): string {
  const f = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(4));
  return (
    `RESULT autoscaler-backtest underprov_reactive=${r.underprovReactive} underprov_predictive=${r.underprovPredictive}` +
    ` replica_min_reactive=${Math.round(r.replicaMinutesReactive)} replica_min_predictive=${Math.round(r.replicaMinutesPredictive)}` +
    ` underprov_reduction=${f(r.underprovReduction)} cost_increase=${f(r.costIncrease)} mase=${f(r.mase)}`
  );
}

/**
 * `patternmesh autoscaler backtest`: replays a per-minute volume trace through the forecasters and the
 * floor planner on a simulated HPA, against the same HPA alone, and prints the RESULT line.
 */
export function autoscalerCommand(): Command {
  const command = new Command('autoscaler').description('the predictive autoscaler’s offline tools');
  command
    .command('backtest')
    .description('replay a per-minute trace: predictive floor vs the reactive HPA alone')
    .requiredOption('--trace <csv>', 'per-minute volume trace (columns detected, or named below)')
    .option('--time-column <name>', 'timestamp column')
    .option('--value-column <name>', 'volume column (per minute)')
    .option('--scale <k>', 'multiply every value', number('--scale'), 1)
    .option(
      '--capacity <events/s>',
      'events/s one replica serves (default: p99 demand / 8)',
      number('--capacity'),
    )
    .option(
      '--lead-minutes <m>',
      'pod start-up + readiness: the forecast horizon',
      number('--lead-minutes', { min: 1, integer: true }),
      5,
    )
    .option('--headroom <share>', 'planned above the forecast (0.1 = 10 %)', number('--headroom'), 0)
    .option('--mask <from>/<to>', 'a span with no data (repeatable)', span, [])
    .option(
      '--mask-zero-runs <minutes>',
      'mask runs of zeros at least this long (0: off)',
      number('--mask-zero-runs', { integer: true }),
      60,
    )
    .option('--plot <file.svg|file.html>', 'write the picture')
    .option('--json', 'print the figures as JSON too')
    .action(
      (options: {
        trace: string;
        timeColumn?: string;
        valueColumn?: string;
        scale: number;
        capacity?: number;
        leadMinutes: number;
        headroom: number;
        mask: Array<[number, number]>;
        maskZeroRuns: number;
        plot?: string;
        json?: boolean;
      }) => {
        const t0 = performance.now();
        const trace = parseTrace(readFileSync(options.trace, 'utf8'), {
          ...(options.timeColumn ? { timeColumn: options.timeColumn } : {}),
          ...(options.valueColumn ? { valueColumn: options.valueColumn } : {}),
          scale: options.scale,
          maskSpans: options.mask,
          maskZeroRunsMinutes: options.maskZeroRuns,
        });
        const result = backtest(trace, {
          leadMinutes: options.leadMinutes,
          headroom: options.headroom,
          ...(options.capacity !== undefined ? { capacity: options.capacity } : {}),
        });
        const line = resultLine(result);
        if (options.plot) {
          writeFileSync(
            options.plot,
            options.plot.endsWith('.html')
              ? backtestHtml(result, trace.start, line)
              : backtestSvg(result, trace.start),
          );
        }
        const masked = trace.masked.reduce((a, b) => a + b, 0);
        process.stdout.write(
          `INFO minutes=${result.minutes} masked=${masked} filled=${trace.filled} columns=${trace.timeColumn},${trace.valueColumn}` +
            ` capacity=${result.capacity.toFixed(3)} lead_minutes=${result.leadMinutes} period_minutes=${result.periodMinutes ?? 'none'}` +
            ` mase_seasonal_naive=${result.maseSeasonalNaive.toFixed(4)} seconds=${((performance.now() - t0) / 1000).toFixed(2)}\n`,
        );
        if (options.json) {
          const { series: _series, ...figures } = result;
          process.stdout.write(`${JSON.stringify(figures)}\n`);
        }
        process.stdout.write(`${line}\n`);
      },
    );
  command.addCommand(historyCommand());
  return command;
}
