/**
 * The slice of `tools/pulsar/broker.mjs` the tests use, typed locally (see global-setup.ts for why the
 * tool is not imported directly).
 */
export interface BrokerHandle {
  readonly serviceUrl: string;
  readonly adminUrl: string;
  readonly serviceUrlTls?: string;
  readonly tlsTrustCertsFilePath?: string;
  readonly token?: string;
  readonly pid: number;
  readonly startedByUs: boolean;
  stop(options?: { timeoutMs?: number }): Promise<unknown>;
  kill9(): Promise<void>;
  restart(options?: { timeoutMs?: number }): Promise<{ pid: number; startMs: number }>;
}

export interface BrokerTool {
  ensureBroker(options?: {
    dataDir?: string;
    wipe?: boolean;
    port?: number;
    webPort?: number;
    tlsPort?: number;
    webTlsPort?: number;
    auth?: boolean;
    tls?: boolean;
    extraConf?: Record<string, string | number | boolean>;
    log?: boolean | ((m: string) => void);
  }): Promise<BrokerHandle>;
  createToken(options: { dataDir?: string; subject: string; expiresInSeconds?: number }): string;
}
