import { launchDistributed } from './launch';

// `npm run start:distributed [-- --compiled]`: the five services as separate processes on the local
// Pulsar broker; `--compiled` builds them and runs the JavaScript, as the container images do.
const running = await launchDistributed({
  basePort: 7480,
  compiled: process.argv.includes('--compiled'),
  ...(process.env.PATTERNMESH_API_KEYS ? { apiKeys: process.env.PATTERNMESH_API_KEYS } : {}),
});
const gateway = running.service('ingest-gateway');
process.stdout.write(
  [
    '',
    `Patternmesh is running distributed on Apache Pulsar (${running.pulsarUrl}, admin ${running.adminUrl}):`,
    ...running.services.map(
      (s) =>
        `  ${s.name.padEnd(15)} http 127.0.0.1:${s.httpPort}  grpc 127.0.0.1:${s.grpcPort}  pid ${s.process.pid}`,
    ),
    `  Post to http://127.0.0.1:${gateway.httpPort}/v1/patterns with x-api-key: pm-dev-key;`,
    `  subscribe with any Pulsar client to persistent://demo/patterns/critical|standard|bulk.`,
    '  Ctrl-C stops the services (the broker keeps running: npm run pulsar:standalone -- --stop).',
    '',
  ].join('\n') + '\n',
);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void running.stop().then(() => process.exit(0));
  });
}
