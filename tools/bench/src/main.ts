import { parseArgs } from 'node:util';
import { benchBus } from './bus/bench';
import { benchCel } from './cel/bench';
import { benchClassify } from './classify/bench';
import { benchCodecs } from './codecs/bench';
import { benchE2e, SMOKE, type E2eOptions } from './e2e/bench';
import { benchEnvelope } from './envelope/bench';
import { benchPulsar } from './pulsar/bench';

// `npm run bench -- <name> [options]`. Each benchmark ends with `RESULT <name> key=value ...` lines.
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    messages: { type: 'string', default: '1000000' },
    patterns: { type: 'string', default: '20000' },
    size: { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    'latency-rate': { type: 'string', default: '5000' },
    'latency-seconds': { type: 'string', default: '10' },
    keys: { type: 'string', default: '1000' },
    millis: { type: 'string', default: '300' },
    testdata: { type: 'string' },
    iterations: { type: 'string', default: '200000' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    mode: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '0' },
    'unary-seconds': { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    batch: { type: 'string', default: '100' },
    'unary-concurrency': { type: 'string', default: '32' },
    entities: { type: 'string', default: '5000' },
    'drain-seconds': { type: 'string', default: '15' },
    transport: { type: 'string', default: 'ndjson' },
    'no-peer': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});

const name = positionals[0];
if (name === 'pulsar') {
  await benchPulsar({
    messages: Number(values.messages),
    size: Number(values.size),
    rounds: Number(values.rounds),
    latencyRate: Number(values['latency-rate']),
    latencySeconds: Number(values['latency-seconds']),
    keys: Number(values.keys),
  });
} else if (
  name === 'e2e' &&
  ['all-in-one', 'distributed', 'both'].includes(values.mode) &&
  ['ndjson', 'grpc'].includes(values.transport)
) {
  const options: E2eOptions = {
    mode: values.mode as E2eOptions['mode'],
    seconds: Number(values.seconds),
    rate: Number(values.rate),
    unarySeconds: Number(values['unary-seconds']),
    rounds: Number(values.rounds),
    concurrency: Number(values.concurrency),
    batch: Number(values.batch),
    unaryConcurrency: Number(values['unary-concurrency']),
    entities: Number(values.entities),
    drainSeconds: Number(values['drain-seconds']),
    peer: !values['no-peer'],
    transport: values.transport as E2eOptions['transport'],
    cpuProf: values['cpu-prof'],
    tsx: values.tsx,
  };
  // --smoke: a few seconds at a low rate, all-in-one only (the CI test runs it).
  await benchE2e(values.smoke ? { ...options, ...SMOKE } : options);
} else if (name === 'bus') {
  await benchBus({
    messages: Number(values.messages === '1000000' ? 100000 : values.messages),
    keys: Number(values.keys === '1000' ? 2000 : values.keys),
    rounds: Number(values.rounds),
  });
} else if (name === 'codecs') {
  await benchCodecs({ rounds: Number(values.rounds), millis: Number(values.millis) });
} else if (name === 'envelope') {
  await benchEnvelope({ rounds: Number(values.rounds), millis: Number(values.millis) });
} else if (name === 'classify') {
  await benchClassify({
    patterns: Number(values.messages === '1000000' ? 20000 : values.messages),
    rounds: Number(values.rounds),
  });
} else if (name === 'cel' && (values.testdata ?? positionals[1])) {
  await benchCel({
    testdata: (values.testdata ?? positionals[1])!,
    iterations: Number(values.iterations),
    rounds: Number(values.rounds),
    only: values.only?.split(','),
    verbose: values.verbose,
  });
} else {
  process.stderr.write(
    'usage: npm run bench -- pulsar [--messages N] [--size BYTES] [--rounds R] [--latency-rate R] [--latency-seconds S] [--keys K]\n' +
      '       npm run bench -- e2e [--mode all-in-one|distributed|both] [--seconds 20] [--rate 0=half the peak] [--unary-seconds 5] [--rounds 3]\n' +
      '                            [--concurrency 8] [--batch 100] [--unary-concurrency 32] [--entities 5000] [--drain-seconds 15]\n' +
      '                            [--transport ndjson|grpc] [--no-peer] [--cpu-prof] [--tsx] [--smoke]\n' +
      '       npm run bench -- bus [--messages 100000] [--keys 2000] [--rounds 3]\n' +
      '       npm run bench -- codecs [--rounds R] [--millis MS]\n' +
      '       npm run bench -- envelope [--rounds R] [--millis MS]\n' +
      '       npm run bench -- classify [--patterns N] [--rounds R]\n' +
      '       npm run bench -- cel <cel-spec>/tests/simple/testdata [--iterations N] [--rounds R] [--only bufbuild,marcbachmann,cel-js] [--verbose]\n',
  );
  process.exit(2);
}
