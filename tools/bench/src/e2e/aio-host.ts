/**
 * The all-in-one under test, as `npm start` runs it (runAllInOne, embedded bus, telemetry registered
 * by the parent's `--import`), plus the checker on the same bus: the embedded bus exists only inside
 * this process, so this is the one place a subscriber can see the lanes. The bench drives it over IPC.
 */
import { runAllInOne } from '@patternmesh/all-in-one';
import { Checker } from './checker';

export type HostCommand = { cmd: 'reset' } | { cmd: 'report' } | { cmd: 'arrivals' };

const running = await runAllInOne({
  PATTERNMESH_HTTP_PORT: '0',
  PATTERNMESH_GRPC_PORT: '0',
  PATTERNMESH_HTTP_HOST: '127.0.0.1',
  PATTERNMESH_LOG_LEVEL: 'warn',
  // The bench measures the pipeline, not the per-tenant quota (10,000/s by default).
  PATTERNMESH_TENANT_RATE_LIMIT: '0',
  ...JSON.parse(process.env.BENCH_E2E_OVERRIDES ?? '{}'),
});
const checker = new Checker();
await checker.start(running.bus, running.topics, process.env.BENCH_E2E_TENANT ?? 'demo', String(process.pid));

process.on('message', (command: HostCommand) => {
  if (command.cmd === 'reset') {
    checker.resetLatency();
    process.send!({ reset: true });
  } else if (command.cmd === 'arrivals') {
    process.send!({ arrivals: checker.arrivals, lastArrivalMs: checker.lastArrivalMs });
  } else if (command.cmd === 'report') {
    process.send!({ report: checker.report() });
  }
});
process.send!({ ready: true, httpPort: running.httpPort, grpcPort: running.grpcPort });
