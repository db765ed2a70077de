import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isPortFree, parsePort, pickFreePorts } from './ports';

describe('ports', () => {
  it('picks distinct free ports and parses port flags', async () => {
    const ps = await pickFreePorts(4);
    expect(new Set(ps).size).toBe(4);
    expect(parsePort('0', 'x')).toBe(0);
    expect(parsePort(undefined, 'x')).toBeUndefined();
    expect(parsePort('', 'x')).toBeUndefined();
    expect(() => parsePort('70000', 'x')).toThrow(/invalid port/);
    expect(() => parsePort('1.5', 'x')).toThrow(/invalid port/);
  });
});

describe('isPortFree', () => {
  it('says a listening loopback port is taken and a closed one is free', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen({ port: 0, host: '127.0.0.1' }, r));
    const { port } = srv.address() as net.AddressInfo;
    expect(await isPortFree(port)).toBe(false);
    await new Promise<void>((r) => srv.close(() => r()));
    expect(await isPortFree(port)).toBe(true);
  });
});
