import { inject } from 'vitest';
import { runBusConformance } from '@patternmesh/bus/testing';
import { PulsarBus } from './pulsar-bus';

// The same suite the embedded bus passes, against a real Apache Pulsar broker.
runBusConformance(
  'pulsar',
  async () => PulsarBus.connect({ serviceUrl: inject('pulsarUrl') }),
  'persistent://public/default/conformance',
);

// With ordering buckets, batches and Key_Shared dispatch go by bucket rather than by key: the
// contract — per-key order, nothing lost, retries and dead letters — must be the same. Four buckets, so
// the suite's handful of keys share them.
runBusConformance(
  'pulsar with ordering buckets',
  async () => PulsarBus.connect({ serviceUrl: inject('pulsarUrl'), orderingBuckets: 4 }),
  'persistent://public/default/conformance-buckets',
);
