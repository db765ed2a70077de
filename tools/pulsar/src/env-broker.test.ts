import { describe, expect, it } from 'vitest';
import { brokerFromEnvOrLocal } from './env-broker';
import { pulsarPerfCommand } from './perf-command';

describe('brokerFromEnvOrLocal', () => {
  it('uses the broker named by PULSAR_URL and PULSAR_ADMIN_URL without starting one', async () => {
    const b = await brokerFromEnvOrLocal({
      env: { PULSAR_URL: 'pulsar://broker.example:6650', PULSAR_ADMIN_URL: 'http://broker.example:8080' },
      // Would fail if it tried to start a local broker.
      dataDir: '/nonexistent/never-used',
    });
    expect(b).toEqual({ serviceUrl: 'pulsar://broker.example:6650', adminUrl: 'http://broker.example:8080' });
  });
});

describe('pulsarPerfCommand', () => {
  it('runs the TypeScript perf entry with tsx on this Node', () => {
    const c = pulsarPerfCommand(['--url', 'pulsar://x:1', 'produce', 't']);
    expect(c.command).toBe(process.execPath);
    expect(c.args[0]).toBe('--import');
    expect(c.args[1]).toMatch(/^file:\/\/.*\/tsx\/.*\.mjs$/);
    expect(c.args[2]).toMatch(/tools\/pulsar\/src\/perf\.ts$/);
    expect(c.args.slice(3)).toEqual(['--url', 'pulsar://x:1', 'produce', 't']);
  });
});
