import { inject } from 'vitest';
import { runBusConformance } from '@patternmesh/bus/testing';
import { PulsarBus } from './pulsar-bus';

// The same suite the embedded bus passes, against a real Apache Pulsar broker.
runBusConformance(
  'pulsar',
  async () => PulsarBus.connect({ serviceUrl: inject('pulsarUrl') }),
  'persistent://public/default/conformance',
);
