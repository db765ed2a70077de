import { parseArgs } from 'node:util';
import { benchPulsar } from './pulsar/bench';

// `npm run bench -- <name> [options]`. Each benchmark ends with `RESULT <name> key=value ...` lines.
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    messages: { type: 'string', default: '1000000' },
    size: { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    'latency-rate': { type: 'string', default: '5000' },
    'latency-seconds': { type: 'string', default: '10' },
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
  });
} else {
  process.stderr.write(
    'usage: npm run bench -- pulsar [--messages N] [--size BYTES] [--rounds R] [--latency-rate R] [--latency-seconds S]\n',
  );
  process.exit(2);
}
