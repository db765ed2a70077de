/**
 * Global setup for the bus's broker tests: the broker named by PULSAR_URL, or the local standalone
 * broker started (or reused) through tools/pulsar. These tests never skip: without a broker they
 * start one.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pulsarUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  let url = process.env.PULSAR_URL;
  if (!url) {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const tool = (await import(
      pathToFileURL(path.resolve(here, '../../../tools/pulsar/broker.mjs')).href
    )) as {
      ensureBroker(options: { log?: boolean }): Promise<{ serviceUrl: string }>;
    };
    url = (await tool.ensureBroker({ log: true })).serviceUrl;
  }
  project.provide('pulsarUrl', url);
}
