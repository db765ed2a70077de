// Type declarations for broker.mjs (local Apache Pulsar standalone broker for tests and development).

export declare const DEFAULT_PULSAR_VERSION: string;
export declare const DEFAULT_MEM: string;
export declare const DEFAULT_GC: string;
export declare const DEFAULT_READY_TIMEOUT_MS: number;
export declare const DEFAULT_STOP_TIMEOUT_MS: number;

export interface EnsureBrokerOptions {
  /** Data dir (default `<cache>/data`). One broker per data dir. */
  dataDir?: string;
  /** Delete the data dir's contents first (stops a broker running for it). */
  wipe?: boolean;
  /** Broker port. >0: exactly this port; 0: any free port; undefined: the data dir's last port if free, else a free one. */
  port?: number;
  /** Admin/HTTP port; same rules as `port`. */
  webPort?: number;
  /** TLS broker port (with `tls`); same rules as `port`. */
  tlsPort?: number;
  /** HTTPS port (with `tls`); same rules as `port`. */
  webTlsPort?: number;
  /** Token authentication + authorization (superuser role "admin"); the handle carries `token`. */
  auth?: boolean;
  /** Also serve pulsar+ssl:// and https:// with a self-signed CA (handle carries `tlsTrustCertsFilePath`). */
  tls?: boolean;
  /** Extra standalone.conf keys, e.g. `{ brokerDeduplicationEnabled: true }`. */
  extraConf?: Record<string, string | number | boolean>;
  /** Pulsar version (default 4.0.8 or env PATTERNMESH_PULSAR_VERSION; "latest" = newest 4.0.x). */
  version?: string;
  /** JVM options; each defaults to env PULSAR_MEM / PULSAR_GC / PULSAR_EXTRA_OPTS, then the defaults. */
  javaOpts?: { mem?: string; gc?: string; extra?: string };
  /** Readiness timeout (default 300 000 ms). */
  timeoutMs?: number;
  /** Progress messages: a function, or `true` for stderr. */
  log?: ((message: string) => void) | boolean;
}

export interface BrokerPorts {
  broker: number;
  web: number;
  brokerTls?: number;
  webTls?: number;
}

export interface BrokerHandle {
  /** `pulsar://127.0.0.1:<port>` */
  readonly serviceUrl: string;
  /** `http://127.0.0.1:<webPort>` */
  readonly adminUrl: string;
  /** `pulsar+ssl://127.0.0.1:<tlsPort>` when started with `tls`. */
  readonly serviceUrlTls?: string;
  /** `https://127.0.0.1:<webTlsPort>` when started with `tls`. */
  readonly adminUrlTls?: string;
  /** CA certificate (PEM) that signed the broker's certificate, when started with `tls`. */
  readonly tlsTrustCertsFilePath?: string;
  /** Superuser ("admin") JWT when started with `auth`. */
  readonly token?: string;
  readonly ports: BrokerPorts;
  readonly dataDir: string;
  readonly version: string;
  /** client.conf for pulsar-admin/pulsar-perf style tools. */
  readonly clientConf: string;
  /** The broker's log4j log file. */
  readonly logFile: string;
  /** Current broker pid (changes after restart()). */
  readonly pid: number;
  /** Milliseconds from spawn to ready of the latest start, if known. */
  readonly startMs?: number;
  /** True if this call started the broker (so the caller should stop it); false if it reused one. */
  readonly startedByUs: boolean;
  /** Graceful stop: SIGTERM, wait up to timeoutMs (30 s), then SIGKILL. */
  stop(options?: { timeoutMs?: number }): Promise<StopResult>;
  /** SIGKILL the broker (crash tests); resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Start again on the SAME ports and data dir (stopping first if still running) and wait until ready. */
  restart(options?: { timeoutMs?: number }): Promise<{ pid: number; startMs: number }>;
  status(): Promise<BrokerStatus>;
}

export interface StopResult {
  wasRunning: boolean;
  pid?: number;
  /** True if SIGKILL was needed. */
  killed?: boolean;
  ms?: number;
}

export interface BrokerState {
  version: string;
  pid: number;
  dataDir: string;
  ports: BrokerPorts;
  auth: boolean;
  tls: boolean;
  serviceUrl: string;
  adminUrl: string;
  serviceUrlTls?: string;
  adminUrlTls?: string;
  tokenFile?: string;
  tlsTrustCertsFilePath?: string;
  java: { bin: string; version: string };
  startedAt: string;
  readyAt?: string;
  stoppedAt?: string;
  startMs?: number;
  resolveMs?: number;
  [key: string]: unknown;
}

export interface BrokerStatus {
  dataDir: string;
  running: boolean;
  ready: boolean;
  pid?: number;
  rssBytes?: number;
  state?: BrokerState;
  logFile: string;
}

export interface ResolveResult {
  version: string;
  libDir: string;
  testclientLibDir?: string;
  cached: boolean;
  ms: number;
  jarCount: number;
  /** Artifacts pinned to another version because the registry lacks them. */
  pins: Record<string, string>;
}

export interface JavaInfo {
  bin: string;
  home: string;
  major: number;
  full: string;
  description: string;
}

/** Return the broker for `dataDir`, starting one (on free loopback ports unless given) if none runs. */
export declare function ensureBroker(options?: EnsureBrokerOptions): Promise<BrokerHandle>;

/** Stop the broker of a data dir (SIGTERM, wait, SIGKILL). */
export declare function stopBroker(options?: {
  dataDir?: string;
  timeoutMs?: number;
  log?: (message: string) => void;
}): Promise<StopResult>;

export declare function brokerStatus(options?: { dataDir?: string }): Promise<BrokerStatus>;

/** Resolve broker (and optionally pulsar-perf) jars into the cache; no-op when already complete. */
export declare function resolvePulsar(options?: {
  version?: string;
  testclient?: boolean;
  force?: boolean;
  log?: (message: string) => void;
}): Promise<ResolveResult>;

/** Token for another role, signed with the data dir's secret key (broker started with `auth`). */
export declare function createToken(options: {
  dataDir?: string;
  subject: string;
  expiresInSeconds?: number;
}): string;

/** HS256 JWT `{ sub }` signed with raw secret key bytes. */
export declare function signToken(
  secret: Uint8Array,
  subject: string,
  options?: { expiresInSeconds?: number },
): string;

/** The JDK used for the broker: newest Java 21+ found (or PATTERNMESH_PULSAR_JAVA). */
export declare function findJava(): JavaInfo;

/** `${PATTERNMESH_PULSAR_CACHE}` or `${XDG_CACHE_HOME:-~/.cache}/patternmesh/pulsar`. */
export declare function cacheRoot(): string;

/** `<cache>/data` */
export declare function defaultDataDir(): string;

/** Start attached; resolves when ready. Used by `standalone.mjs --foreground`. */
export declare function startForeground(options?: EnsureBrokerOptions): Promise<{
  child: import('node:child_process').ChildProcess;
  pid: number;
  state: BrokerState;
  readyMs: number;
}>;
