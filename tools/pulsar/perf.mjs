#!/usr/bin/env node
// Run the official Java perf tool (pulsar-perf: org.apache.pulsar.testclient.PulsarPerfTestTool from
// org.apache.pulsar:pulsar-testclient) against the local broker, with a generated client.conf.
//
//   node tools/pulsar/perf.mjs produce -r 1000 -s 1024 -m 5000 persistent://public/default/perf-check
//   node tools/pulsar/perf.mjs consume -s perf-sub -m 5000 persistent://public/default/perf-check
//
// Everything after the subcommand is passed to pulsar-perf unchanged. The broker is found from
// (1) this tool's own flags, (2) PULSAR_URL / PULSAR_ADMIN_URL / PULSAR_TOKEN /
// PULSAR_TLS_TRUST_CERTS, (3) the broker running for the data dir, (4) 127.0.0.1:6650 / :8080.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
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
} from './lib/common.mjs';
import { clientConf, dataPaths, log4j2ConsoleXml } from './lib/config.mjs';
import { resolvePulsar } from './lib/resolve.mjs';

const HELP = `Usage: node tools/pulsar/perf.mjs [perf.mjs options] <produce|consume|read|transaction|…> [pulsar-perf args]

perf.mjs options (must come before the subcommand):
  --data-dir <dir>        use the broker running for this data dir (default <cache>/data)
  --url <pulsar://…>      broker service URL   (else env PULSAR_URL)
  --admin-url <http://…>  admin URL            (else env PULSAR_ADMIN_URL)
  --token <jwt>           token auth           (else env PULSAR_TOKEN, or the data dir's admin token)
  --trust-certs <pem>     CA for pulsar+ssl:// (else env PULSAR_TLS_TRUST_CERTS)
  --pulsar-version <v>    pulsar-testclient version (default: the broker's, else 4.0.8)
  -h, --help              this help; "perf.mjs produce --help" shows pulsar-perf's own help

Env: PULSAR_PERF_MEM (default "-Xms128m -Xmx1g -XX:MaxDirectMemorySize=1g"), PULSAR_PERF_EXTRA_OPTS.`;

const own = {
  'data-dir': null,
  url: null,
  'admin-url': null,
  token: null,
  'trust-certs': null,
  'pulsar-version': null,
};
const argv = process.argv.slice(2);
let i = 0;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === '-h' || a === '--help') {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  if (!a.startsWith('--')) break;
  const eq = a.indexOf('=');
  const key = a.slice(2, eq > 0 ? eq : undefined);
  if (!(key in own)) break;
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
const state = readJsonFile(paths.state);
const stateLive = state && isAlive(state.pid) ? state : null;

const serviceUrl = own.url || env.PULSAR_URL || stateLive?.serviceUrl || 'pulsar://127.0.0.1:6650';
const adminUrl = own['admin-url'] || env.PULSAR_ADMIN_URL || stateLive?.adminUrl || 'http://127.0.0.1:8080';
let token = own.token || env.PULSAR_TOKEN || undefined;
// The data dir's admin token, when the target is that data dir's broker.
const ownsUrl = (u) =>
  !!stateLive && [stateLive.serviceUrl, stateLive.serviceUrlTls].includes(u.replace(/\/$/, ''));
if (!token && stateLive?.auth && ownsUrl(serviceUrl)) {
  token = fs.readFileSync(paths.adminToken, 'utf8').trim();
}
const trustCerts =
  own['trust-certs'] ||
  env.PULSAR_TLS_TRUST_CERTS ||
  (serviceUrl.startsWith('pulsar+ssl:') ? stateLive?.tlsTrustCertsFilePath : undefined);

const version = own['pulsar-version'] || stateLive?.version || undefined;
const res = await resolvePulsar({ version, testclient: true, log });
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
