import { type BrokerHandle, type EnsureBrokerOptions, ensureBroker } from './broker';

export interface BrokerEndpoint {
  /** `pulsar://…` */
  readonly serviceUrl: string;
  /** `http://…` (the admin REST API) */
  readonly adminUrl: string;
  /** The local broker when it was started or reused; undefined when the environment named the broker. */
  readonly local?: BrokerHandle;
}

export interface EnvOrLocalOptions extends EnsureBrokerOptions {
  /** Where to read PULSAR_URL / PULSAR_ADMIN_URL (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The broker to use: the one named by PULSAR_URL and PULSAR_ADMIN_URL when both are set, else the
 * local standalone broker of the data dir, started or reused through `ensureBroker` (progress to
 * stderr unless `log` says otherwise). A local broker keeps running afterwards, for the next run and
 * for other suites that share it.
 */
export async function brokerFromEnvOrLocal(options: EnvOrLocalOptions = {}): Promise<BrokerEndpoint> {
  const { env = process.env, ...brokerOptions } = options;
  const serviceUrl = env.PULSAR_URL;
  const adminUrl = env.PULSAR_ADMIN_URL;
  if (serviceUrl && adminUrl) return { serviceUrl, adminUrl };
  const local = await ensureBroker({ ...brokerOptions, log: brokerOptions.log ?? true });
  return { serviceUrl: local.serviceUrl, adminUrl: local.adminUrl, local };
}
