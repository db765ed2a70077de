// `npm run kube:start` / `npm run kube:stop`: a local Kubernetes control plane on 127.0.0.1 (see
// README.md, or run with --help). On start, stdout holds only KEY=VALUE lines, so
// `eval "$(npm run -s kube:start)"` sets KUBECONFIG; progress goes to stderr.
import { parseArgs } from 'node:util';
import { errorMessage, parsePort } from '@patternmesh/devkit';
import { ensureBinaries, ensureHelm } from './build';
import { clusterStatus, ensureCluster, stopCluster } from './cluster';
import { ensureIstioCrds } from './istio';
import { cacheRoot, defaultDataDir, versions } from './versions';

const HELP = `Usage: tsx tools/kube/src/kube-cli.ts <start|stop|status|build> [options]
       npm run kube:start [-- options]   npm run kube:stop

  start    build the binaries if missing, start etcd, kube-apiserver and kube-controller-manager on
           127.0.0.1 (or reuse the ones running for the data dir), install Istio's CRDs, print
           KUBECONFIG=… and KUBE_SERVER=…
  stop     stop the control plane of the data dir
  status   exit 0 if it runs and is ready, 3 if not (--json for the state)
  build    only build the binaries (and helm) into the cache; prints name=path lines

Options:
  --port <n>        kube-apiserver port (default 16443; 0 = a free port)
  --etcd-port <n>   etcd client port (default 12379; 0 = a free port)
  --data-dir <dir>  data dir (env PATTERNMESH_KUBE_DATA_DIR, default <cache>/data)
  --wipe            delete the data dir's contents first (a fresh, empty cluster)
  --no-istio        do not install Istio's CRDs
  --json            JSON output for status
  -h, --help

Environment: PATTERNMESH_KUBE_CACHE (cache root, default ~/.cache/patternmesh/kube),
PATTERNMESH_KUBERNETES_VERSION, PATTERNMESH_ETCD_VERSION, PATTERNMESH_ISTIO_API_VERSION,
PATTERNMESH_HELM_VERSION (exact releases),
PATTERNMESH_GO (the go command).`;

const log = (m: string) => process.stderr.write(`[kube] ${m}\n`);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'etcd-port': { type: 'string' },
      'data-dir': { type: 'string' },
      wipe: { type: 'boolean', default: false },
      'no-istio': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0] ?? 'start';
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const dataDir = values['data-dir'] ?? process.env.PATTERNMESH_KUBE_DATA_DIR ?? defaultDataDir();
  switch (command) {
    case 'start': {
      const cluster = await ensureCluster({
        dataDir,
        wipe: values.wipe,
        apiserverPort: parsePort(values.port, '--port'),
        etcdPort: parsePort(values['etcd-port'], '--etcd-port'),
        log,
      });
      if (!values['no-istio']) await ensureIstioCrds(cluster.kubeconfig, { log });
      process.stdout.write(`KUBECONFIG=${cluster.kubeconfig}\nKUBE_SERVER=${cluster.server}\n`);
      return 0;
    }
    case 'stop':
      await stopCluster({ dataDir, log });
      return 0;
    case 'status': {
      const status = await clusterStatus({ dataDir });
      if (values.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else if (status.running) process.stdout.write(`running: ${status.state!.server} (${status.dataDir})\n`);
      else process.stdout.write(`not running (${status.dataDir})\n`);
      return status.running ? 0 : 3;
    }
    case 'build': {
      const bins = { ...(await ensureBinaries({ log })), helm: await ensureHelm({ log }) };
      process.stdout.write(
        `${Object.entries(bins)
          .filter(([k]) => k !== 'versions')
          .map(([k, v]) => `${k}=${String(v)}`)
          .join('\n')}\n`,
      );
      log(`cache: ${cacheRoot()}; versions ${JSON.stringify(versions())}`);
      return 0;
    }
    default:
      process.stderr.write(`unknown command '${command}'\n${HELP}\n`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[kube] ${errorMessage(e)}\n`);
    process.exit(1);
  },
);
