// Writers for standalone.conf, log4j2.xml and client.conf, plus token (HS256) and TLS material.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOOPBACK, ensureCa, ensureCertificate, writeFileAtomic } from './common';

export const SUPERUSER_ROLE = 'admin';

export type ConfValue = string | number | boolean;

/** Name of the loopback interface (BookKeeper's listeningInterface wants a name, e.g. `lo`). */
export function loopbackInterface(): string {
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if ((addrs || []).some((a) => a.family === 'IPv4' && a.address === LOOPBACK)) return name;
  }
  return 'lo';
}

function fileUrl(p: string): string {
  return `file://${p}`;
}

/** Paths of everything inside a data dir (absolute `dataDir`). */
export function dataPaths(dataDir: string) {
  return {
    dataDir,
    marker: path.join(dataDir, '.patternmesh-pulsar-data'),
    conf: path.join(dataDir, 'conf', 'standalone.conf'),
    log4j: path.join(dataDir, 'conf', 'log4j2.xml'),
    clientConf: path.join(dataDir, 'conf', 'client.conf'),
    metadata: path.join(dataDir, 'metadata'),
    bookkeeper: path.join(dataDir, 'bookkeeper'),
    logs: path.join(dataDir, 'logs'),
    log: path.join(dataDir, 'logs', 'pulsar-standalone.log'),
    stdout: path.join(dataDir, 'logs', 'stdout.log'),
    pid: path.join(dataDir, 'broker.pid'),
    state: path.join(dataDir, 'broker.json'),
    startLock: path.join(dataDir, '.start.lock'),
    tmp: path.join(dataDir, 'tmp'),
    authDir: path.join(dataDir, 'auth'),
    secretKey: path.join(dataDir, 'auth', 'secret.key'),
    adminToken: path.join(dataDir, 'auth', 'admin.token'),
    tlsDir: path.join(dataDir, 'tls'),
    // The file names ensureCa/ensureCertificate (@patternmesh/devkit) give `ca` and `server`.
    caCert: path.join(dataDir, 'tls', 'ca.crt'),
    caKey: path.join(dataDir, 'tls', 'ca.key'),
    serverCert: path.join(dataDir, 'tls', 'server.crt'),
    serverKey: path.join(dataDir, 'tls', 'server.key'),
  };
}

export type DataPaths = ReturnType<typeof dataPaths>;

/** Broker settings every start gets. Documented in README.md ("standalone.conf"). */
export function baseSettings(): Record<string, ConfValue> {
  return {
    clusterName: 'standalone',
    // Empty → PulsarStandalone uses RocksDB at --metadata-dir (PIP-117) with an in-process bookie.
    metadataStoreUrl: '',
    bindAddress: LOOPBACK,
    advertisedAddress: LOOPBACK,
    // Ledger quorums for a single bookie.
    managedLedgerDefaultEnsembleSize: 1,
    managedLedgerDefaultWriteQuorum: 1,
    managedLedgerDefaultAckQuorum: 1,
    // Topics and subscriptions.
    allowAutoTopicCreation: true,
    allowAutoTopicCreationType: 'non-partitioned',
    allowAutoSubscriptionCreation: true,
    brokerDeleteInactiveTopicsEnabled: false,
    subscriptionRedeliveryTrackerEnabled: true,
    // Honour ack_set on batch-index acks (Pulsar default false); lets the TS client test them.
    acknowledgmentAtBatchIndexLevelEnabled: true,
    brokerDeduplicationEnabled: false,
    transactionCoordinatorEnabled: false,
    // Off: no functions worker, no websocket proxy, no load balancing.
    functionsWorkerEnabled: false,
    webSocketServiceEnabled: false,
    loadManagerClassName: 'org.apache.pulsar.broker.loadbalance.NoopLoadManager',
    keepAliveIntervalSeconds: 30,
    brokerShutdownTimeoutMs: 15000,
    // Small caches: the machine is shared with the tests.
    managedLedgerCacheSizeMB: 64,
    // In-process BookKeeper (reads this same file as its ServerConfiguration).
    listeningInterface: loopbackInterface(),
    allowLoopback: true,
    journalSyncData: false,
    ledgerStorageClass: 'org.apache.bookkeeper.bookie.storage.ldb.DbLedgerStorage',
    dbStorage_writeCacheMaxSizeMb: 32,
    dbStorage_readAheadCacheMaxSizeMb: 32,
    dbStorage_rocksDB_blockCacheSize: 16 * 1024 * 1024,
    diskUsageThreshold: 0.99,
    diskUsageWarnThreshold: 0.99,
    // The bookie's frame limit must exceed the broker's max message size by the entry's own overhead, as
    // Pulsar's shipped standalone.conf has it. At BookKeeper's default (exactly 5 MiB) an entry near the
    // 5 MiB maximum is refused by the bookie, and the broker rolls ledgers retrying it forever.
    maxMessageSize: 5 * 1024 * 1024,
    nettyMaxFrameSizeBytes: 5 * 1024 * 1024 + 10 * 1024,
  };
}

export interface Ports {
  broker: number;
  web: number;
  brokerTls?: number;
  webTls?: number;
}

export interface StandaloneConfOptions {
  paths: DataPaths;
  ports: Ports;
  auth?: boolean;
  tls?: boolean;
  extra?: Record<string, ConfValue>;
}

/** Build standalone.conf text. */
export function standaloneConf({
  paths,
  ports,
  auth = false,
  tls = false,
  extra = {},
}: StandaloneConfOptions): string {
  const s: Record<string, ConfValue | undefined> = {
    ...baseSettings(),
    brokerServicePort: ports.broker,
    webServicePort: ports.web,
    narExtractionDirectory: paths.tmp,
  };
  if (auth) {
    Object.assign(s, {
      authenticationEnabled: true,
      authenticationProviders: 'org.apache.pulsar.broker.authentication.AuthenticationProviderToken',
      tokenSecretKey: fileUrl(paths.secretKey),
      authorizationEnabled: true,
      superUserRoles: SUPERUSER_ROLE,
      // The broker's own internal client (standalone bootstrap, admin calls) authenticates as admin.
      brokerClientAuthenticationPlugin: 'org.apache.pulsar.client.impl.auth.AuthenticationToken',
      brokerClientAuthenticationParameters: fileUrl(paths.adminToken),
    });
  }
  if (tls) {
    Object.assign(s, {
      brokerServicePortTls: ports.brokerTls,
      webServicePortTls: ports.webTls,
      tlsCertificateFilePath: paths.serverCert,
      tlsKeyFilePath: paths.serverKey,
      tlsTrustCertsFilePath: paths.caCert,
      tlsAllowInsecureConnection: false,
      tlsRequireTrustedClientCertOnConnect: false,
      // Internal client stays on the plaintext loopback ports.
      brokerClientTlsEnabled: false,
      brokerClientTrustCertsFilePath: paths.caCert,
    });
  }
  Object.assign(s, extra);
  const lines = [
    '# Generated by patternmesh tools/pulsar — rewritten on every start; do not edit.',
    '# Any key not set here takes its ServiceConfiguration / BookKeeper ServerConfiguration default.',
    `# Written ${new Date().toISOString()}`,
  ];
  for (const [k, v] of Object.entries(s)) lines.push(`${k}=${v}`);
  return `${lines.join('\n')}\n`;
}

const XML_ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
};

/** Escape text for an XML attribute or element. */
export function xmlEscape(s: string | number): string {
  return String(s).replace(/[<>&'"]/g, (c) => XML_ESCAPES[c] ?? c);
}

/** log4j2 config: rolling file (3 × 64 MB) in the data dir, plus the console when attached. */
export function log4j2Xml({
  logFile,
  console = false,
  level = process.env.PULSAR_LOG_LEVEL || 'info',
}: {
  logFile: string;
  console?: boolean;
  level?: string;
}): string {
  const pattern = '%d{ISO8601} %-5p [%t] %c{1} - %m%n';
  const base = logFile.replace(/\.log$/, '');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by patternmesh tools/pulsar -->
<Configuration status="WARN" monitorInterval="0">
  <Appenders>
    <RollingFile name="file" fileName="${xmlEscape(logFile)}" filePattern="${xmlEscape(base)}-%i.log.gz" immediateFlush="true">
      <PatternLayout pattern="${pattern}"/>
      <Policies><SizeBasedTriggeringPolicy size="64 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>${
      console
        ? `
    <Console name="console" target="SYSTEM_OUT"><PatternLayout pattern="${pattern}"/></Console>`
        : ''
    }
  </Appenders>
  <Loggers>
    <Logger name="org.apache.bookkeeper.bookie.BookieShell" level="warn"/>
    <Logger name="org.eclipse.jetty" level="warn"/>
    <Root level="${xmlEscape(level)}">
      <AppenderRef ref="file"/>${console ? '\n      <AppenderRef ref="console"/>' : ''}
    </Root>
  </Loggers>
</Configuration>
`;
}

/** log4j2 config for command-line tools (pulsar-perf): console only. */
export function log4j2ConsoleXml(level = process.env.PULSAR_LOG_LEVEL || 'info'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders><Console name="console" target="SYSTEM_OUT"><PatternLayout pattern="%d{HH:mm:ss.SSS} %-5p %c{1} - %m%n"/></Console></Appenders>
  <Loggers><Root level="${xmlEscape(level)}"><AppenderRef ref="console"/></Root></Loggers>
</Configuration>
`;
}

/** client.conf (the format bin/pulsar-perf and pulsar-admin read). */
export function clientConf({
  serviceUrl,
  adminUrl,
  tokenFile,
  tlsTrustCertsFilePath,
}: {
  serviceUrl: string;
  adminUrl: string;
  tokenFile?: string | undefined;
  tlsTrustCertsFilePath?: string | undefined;
}): string {
  const lines = [
    '# Generated by patternmesh tools/pulsar',
    `webServiceUrl=${adminUrl.replace(/\/?$/, '/')}`,
    `brokerServiceUrl=${serviceUrl.replace(/\/?$/, '/')}`,
  ];
  if (tokenFile) {
    lines.push(
      'authPlugin=org.apache.pulsar.client.impl.auth.AuthenticationToken',
      `authParams=file://${tokenFile}`,
    );
  }
  if (tlsTrustCertsFilePath) {
    lines.push(
      `tlsTrustCertsFilePath=${tlsTrustCertsFilePath}`,
      'tlsAllowInsecureConnection=false',
      'tlsEnableHostnameVerification=false',
    );
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Tokens: the same JWTs `pulsar tokens create --secret-key … --subject …` produces (HS256, no exp).

function b64url(buf: string | Uint8Array): string {
  return Buffer.from(buf).toString('base64url');
}

/** Sign an HS256 JWT `{ sub }` with the raw secret key bytes (what tokenSecretKey=file://… reads). */
export function signToken(
  secret: Uint8Array,
  subject: string,
  { expiresInSeconds }: { expiresInSeconds?: number | undefined } = {},
): string {
  const header = b64url(JSON.stringify({ alg: 'HS256' }));
  const claims: { sub: string; exp?: number } = { sub: subject };
  if (expiresInSeconds) claims.exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  const payload = b64url(JSON.stringify(claims));
  const sig = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${b64url(sig)}`;
}

/** Create (once per data dir) the HS256 secret and the superuser token. Returns the token. */
export function ensureAuthMaterial(paths: DataPaths): string {
  fs.mkdirSync(paths.authDir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(paths.secretKey)) {
    writeFileAtomic(paths.secretKey, crypto.randomBytes(32), 0o600);
  }
  const secret = fs.readFileSync(paths.secretKey);
  let token = fs.existsSync(paths.adminToken) ? fs.readFileSync(paths.adminToken, 'utf8').trim() : '';
  if (!token || !verifyToken(secret, token)) {
    token = signToken(secret, SUPERUSER_ROLE);
    writeFileAtomic(paths.adminToken, `${token}\n`, 0o600);
  }
  return token;
}

export function verifyToken(secret: Uint8Array, token: string): boolean {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return false;
  const want = crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

// ---------------------------------------------------------------------------------------------
// TLS: a self-signed CA and a server certificate for localhost / 127.0.0.1 (PKCS#8 key, which Pulsar
// wants), made once per data dir.

export function ensureTlsMaterial(paths: DataPaths): void {
  const ca = ensureCa(paths.tlsDir, 'ca', 'patternmesh-local-pulsar-ca');
  ensureCertificate(ca, paths.tlsDir, 'server', {
    commonName: 'localhost',
    subjectAltNames: ['DNS:localhost', 'IP:127.0.0.1'],
    usage: 'server-and-client',
  });
}
