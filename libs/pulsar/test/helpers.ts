/**
 * Shared helpers for broker tests: URLs from the global setup, unique topic names, and clients that are
 * closed automatically after each test.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { pulsarPerfCommand } from '@patternmesh/pulsar-tools';
import { afterEach, inject } from 'vitest';
import { PulsarAdmin, PulsarClient } from '../src/index';
import type { Consumer, Message, PulsarClientOptions } from '../src/index';

export const brokerUrl = (): string => inject('pulsarUrl');
export const adminUrl = (): string => inject('pulsarAdminUrl');

/** A topic name no other test (or earlier run) uses. */
export function uniqueTopic(prefix: string, namespace = 'public/default'): string {
  return `persistent://${namespace}/${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

const toClose: { close(): Promise<void> }[] = [];
afterEach(async () => {
  const all = toClose.splice(0);
  await Promise.allSettled(all.reverse().map((c) => c.close()));
});

/** A client on the test broker, closed after the test. */
export function newClient(opts: Partial<PulsarClientOptions> = {}): PulsarClient {
  const c = new PulsarClient({ serviceUrl: brokerUrl(), operationTimeoutMs: 30_000, ...opts });
  toClose.push(c);
  return c;
}

export function newAdmin(): PulsarAdmin {
  return new PulsarAdmin({ url: adminUrl() });
}

/** Registers anything with close() for after-test cleanup. */
export function closeAfter<T extends { close(): Promise<void> }>(x: T): T {
  toClose.push(x);
  return x;
}

/** Receives `n` messages (each within `timeoutMs`), acking each unless `ack` is false. */
export async function receiveN(
  consumer: Consumer,
  n: number,
  { ack = true, timeoutMs = 30_000 } = {},
): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < n; i++) {
    const m = await consumer.receive(timeoutMs);
    out.push(m);
    if (ack) await consumer.ack(m);
  }
  return out;
}

/** Drains whatever arrives until `quietMs` pass without a message. */
export async function drain(consumer: Consumer, quietMs: number, ack = true): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    let m: Message;
    try {
      m = await consumer.receive(quietMs);
    } catch (e) {
      if ((e as { code?: string }).code === 'PULSAR_TIMEOUT') return out;
      throw e;
    }
    out.push(m);
    if (ack) await consumer.ack(m);
  }
}

/**
 * Runs the Java `pulsar-perf` tool against the test broker; resolves with its exit code and output. A
 * JVM still running when its test ends (the test timed out or failed) is killed: a forgotten producer
 * would keep loading the broker, and the machine, for every later test.
 */
export function runPerf(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const perf = pulsarPerfCommand(['--url', brokerUrl(), '--admin-url', adminUrl(), ...args]);
    const child = spawn(perf.command, perf.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    closeAfter({
      close: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** How many messages a pulsar-perf producer run says it sent (it may overshoot `-m`). */
export function perfRecordsSent(output: string): number | undefined {
  const sent = /(\d+) records sent/.exec(output)?.[1];
  return sent === undefined ? undefined : Number(sent);
}
