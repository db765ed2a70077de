import { inject } from 'vitest';
import { runBusConformance } from '@patternmesh/bus/testing';
import { PulsarBus } from './pulsar-bus';

// Provided by tools/pulsar/vitest-global-setup.mjs (see vitest.config.ts).
declare module 'vitest' {
  export interface ProvidedContext {
    pulsarUrl: string;
  }
}

// The same suite the embedded bus passes, against a real Apache Pulsar broker.
runBusConformance(
  'pulsar',
  async () => PulsarBus.connect({ serviceUrl: inject('pulsarUrl') }),
  'persistent://public/default/conformance',
);
