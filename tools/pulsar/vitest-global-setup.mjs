// Vitest global setup for suites that need Apache Pulsar: the broker named by PULSAR_URL and
// PULSAR_ADMIN_URL, or else the local standalone broker, started (or reused) through ensureBroker().
// Tests read the URLs with inject('pulsarUrl') / inject('pulsarAdminUrl'). They never skip: without a
// broker they start one. Use: `globalSetup: ['<relative path>/tools/pulsar/vitest-global-setup.mjs']`.
import { ensureBroker } from './broker.mjs';

export default async function setup(project) {
  let url = process.env.PULSAR_URL;
  let adminUrl = process.env.PULSAR_ADMIN_URL;
  if (!url || !adminUrl) {
    const broker = await ensureBroker({ log: true });
    url = broker.serviceUrl;
    adminUrl = broker.adminUrl;
  }
  project.provide('pulsarUrl', url);
  project.provide('pulsarAdminUrl', adminUrl);
}
