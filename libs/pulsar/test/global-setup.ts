/**
 * Global setup for the broker tests: use the broker named by PULSAR_URL / PULSAR_ADMIN_URL, or start
 * (or reuse) the local standalone broker through `tools/pulsar/broker.mjs`, and hand the URLs to the
 * tests via `provide`/`inject`. Broker tests never skip: without a broker they start one.
 *
 * The broker tool is loaded by computed path rather than imported: it is a dev tool of another Nx
 * project (scope:platform), not a dependency of this library.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { BrokerTool } from './broker-tool';

declare module 'vitest' {
  export interface ProvidedContext {
    pulsarUrl: string;
    pulsarAdminUrl: string;
  }
}

export async function loadBrokerTool(): Promise<BrokerTool> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = path.resolve(here, '../../../tools/pulsar/broker.mjs');
  return (await import(pathToFileURL(file).href)) as BrokerTool;
}

export default async function setup(project: TestProject): Promise<void> {
  let url = process.env.PULSAR_URL;
  let adminUrl = process.env.PULSAR_ADMIN_URL;
  if (!url || !adminUrl) {
    const tool = await loadBrokerTool();
    // The default data dir: reuses a broker started by `npm run pulsar:standalone` or an earlier run
    // (it is left running for the next run and for other suites that share it).
    const broker = await tool.ensureBroker({ log: true });
    url = broker.serviceUrl;
    adminUrl = broker.adminUrl;
  }
  project.provide('pulsarUrl', url);
  project.provide('pulsarAdminUrl', adminUrl);
}
