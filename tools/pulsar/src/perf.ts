// Run the official Java perf tool (pulsar-perf: org.apache.pulsar.testclient.PulsarPerfTestTool from
// org.apache.pulsar:pulsar-testclient) against the local broker, with a generated client.conf.
//
//   tsx tools/pulsar/src/perf.ts produce -r 1000 -s 1024 -m 5000 persistent://public/default/perf-check
//   tsx tools/pulsar/src/perf.ts consume -s perf-sub -m 5000 persistent://public/default/perf-check
//
// Everything after the subcommand is passed to pulsar-perf unchanged. The broker is found from
// (1) this tool's own flags, (2) PULSAR_URL / PULSAR_ADMIN_URL / PULSAR_TOKEN /
// PULSAR_TLS_TRUST_CERTS, (3) the broker running for the data dir, (4) 127.0.0.1:6650 / :8080.
// Programs run it with pulsarPerfCommand() (perf-command.ts).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrokerState } from './broker';
import {
  PERF_MAIN,
  baseJvmFlags,
  defaultDataDir,
  findJava,
  fmtMs,
  isAlive,
  readJsonFile,
  splitOpts,
  stderrLog,
  versionDir,
  writeFileAtomic,
} from './common';
import { clientConf, dataPaths, log4j2ConsoleXml } from './config';
import { resolvePulsar } from './resolve';

const HELP = `Usage: tsx tools/pulsar/src/perf.ts [perf options] <produce|consume|read|transaction|…> [pulsar-perf args]

perf options (must come before the subcommand):
  --data-dir <dir>        use the broker running for this data dir (default <cache>/data)
  --url <pulsar://…>      broker service URL   (else env PULSAR_URL)
  --admin-url <http://…>  admin URL            (else env PULSAR_ADMIN_URL)
  --token <jwt>           token auth           (else env PULSAR_TOKEN, or the data dir's admin token)
  --trust-certs <pem>     CA for pulsar+ssl:// (else env PULSAR_TLS_TRUST_CERTS)
  --pulsar-version <v>    exact pulsar-testclient version (default: the broker's, else 4.0.8)
  -h, --help              this help; "perf.ts produce --help" shows pulsar-perf's own help

Env: PULSAR_PERF_MEM (default "-Xms128m -Xmx1g -XX:MaxDirectMemorySize=1g"), PULSAR_PERF_EXTRA_OPTS.`;

type OwnFlag = 'data-dir' | 'url' | 'admin-url' | 'token' | 'trust-certs' | 'pulsar-version';
const own: Record<OwnFlag, string | undefined> = {
  'data-dir': undefined,
  url: undefined,
  'admin-url': undefined,
  token: undefined,
  'trust-certs': undefined,
  'pulsar-version': undefined,
};
const isOwnFlag = (k: string): k is OwnFlag => k in own;

const argv = process.argv.slice(2);
let i = 0;
for (; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '-h' || a === '--help') {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  if (!a.startsWith('--')) break;
  const eq = a.indexOf('=');
  const key = a.slice(2, eq > 0 ? eq : undefined);
  if (!isOwnFlag(key)) break;
  own[key] = eq > 0 ? a.slice(eq + 1) : argv[++i];
}
const perfArgs = argv.slice(i);
if (!perfArgs.length) {
  process.stderr.write(`${HELP}\n`);
  process.exit(2);
}

const env = process.env;
const log = stderrLog;
const paths = dataPaths(path.resolve(own['data-dir'] || env.PULSAR_DATA_DIR || defaultDataDir()));
const state = readJsonFile<BrokerState>(paths.state);
const stateLive = state && isAlive(state.pid) ? state : null;

const serviceUrl = own.url || env.PULSAR_URL || stateLive?.serviceUrl || 'pulsar://127.0.0.1:6650';
const adminUrl = own['admin-url'] || env.PULSAR_ADMIN_URL || stateLive?.adminUrl || 'http://127.0.0.1:8080';
let token = own.token || env.PULSAR_TOKEN || undefined;
// The data dir's admin token, when the target is that data dir's broker.
const ownsUrl = (u: string): boolean =>
  !!stateLive && [stateLive.serviceUrl, stateLive.serviceUrlTls].includes(u.replace(/\/$/, ''));
if (!token && stateLive?.auth && ownsUrl(serviceUrl)) {
  token = fs.readFileSync(paths.adminToken, 'utf8').trim();
}
const trustCerts =
  own['trust-certs'] ||
  env.PULSAR_TLS_TRUST_CERTS ||
  (serviceUrl.startsWith('pulsar+ssl:') ? stateLive?.tlsTrustCertsFilePath : undefined);

const version = own['pulsar-version'] || stateLive?.version || undefined;
let res;
try {
  res = await resolvePulsar({ version, testclient: true, log });
} catch (e) {
  process.stderr.write(`[pulsar] error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
if (!res.cached) log(`resolve (broker + pulsar-testclient): ${fmtMs(res.ms)}`);

const perfDir = path.join(versionDir(res.version), 'perf');
const hash = crypto
  .createHash('sha1')
  .update(`${serviceUrl} ${adminUrl} ${token || ''} ${trustCerts || ''}`)
  .digest('hex')
  .slice(0, 10);
const confFile = path.join(perfDir, `client-${hash}.conf`);
let conf = clientConf({ serviceUrl, adminUrl, tlsTrustCertsFilePath: trustCerts });
if (token) {
  // A file reference, so pulsar-perf's config dump shows a path rather than the token.
  const tokenFile = path.join(perfDir, `token-${hash}`);
  writeFileAtomic(tokenFile, `${token}\n`, 0o600);
  conf += `authPlugin=org.apache.pulsar.client.impl.auth.AuthenticationToken\nauthParams=file://${tokenFile}\n`;
}
writeFileAtomic(confFile, conf, 0o600);
const log4j = path.join(perfDir, 'log4j2.xml');
writeFileAtomic(log4j, log4j2ConsoleXml());

const java = findJava();
const jvm = [
  ...splitOpts(env.PULSAR_PERF_MEM ?? '-Xms128m -Xmx1g -XX:MaxDirectMemorySize=1g'),
  ...baseJvmFlags(java),
  `-Dlog4j.configurationFile=${log4j}`,
  ...splitOpts(env.PULSAR_PERF_EXTRA_OPTS ?? ''),
  '-cp',
  `${res.testclientLibDir}/*`,
  PERF_MAIN,
  confFile,
  ...perfArgs,
];
log(`pulsar-perf ${res.version} → ${serviceUrl} (client.conf ${confFile})`);
const child = spawn(java.bin, jvm, { stdio: 'inherit' });
// Ctrl-C reaches the JVM through the terminal's process group; let it print its summary and exit.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
