import { parseArgs } from 'node:util';
import { benchBus } from './bus/bench';
import { benchCel } from './cel/bench';
import { benchClassify } from './classify/bench';
import { benchCodecs } from './codecs/bench';
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
} else if (name === 'bus') {
  await benchBus({
    messages: Number(values.messages === '1000000' ? 100000 : values.messages),
    keys: Number(values.keys === '1000' ? 2000 : values.keys),
    rounds: Number(values.rounds),
  });
} else if (name === 'codecs') {
  await benchCodecs({ rounds: Number(values.rounds), millis: Number(values.millis) });
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
      '       npm run bench -- bus [--messages 100000] [--keys 2000] [--rounds 3]\n' +
      '       npm run bench -- codecs [--rounds R] [--millis MS]\n' +
      '       npm run bench -- classify [--patterns N] [--rounds R]\n' +
      '       npm run bench -- cel <cel-spec>/tests/simple/testdata [--iterations N] [--rounds R] [--only bufbuild,marcbachmann,cel-js] [--verbose]\n',
  );
  process.exit(2);
}
