import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rawPattern } from '../test/pattern';
import { Normalizer } from './normalizer';
import { draftMappingSpec, suggestMapping } from './suggest';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >[];

const byTarget = (s: ReturnType<typeof suggestMapping>) =>
  Object.fromEntries(s.map((x) => [x.targetField, x.sourcePath]));

describe('suggestMapping', () => {
  const firewall = fixture('unknown-firewall.json');

  it('maps an unknown firewall source from names and value shapes', () => {
    expect(byTarget(suggestMapping(firewall))).toEqual({
      srcIp: 'net.src',
      dstIp: 'net.dst',
      srcPort: 'net.sport',
      dstPort: 'net.dport',
      protocol: 'net.transport',
      actor: 'principal',
      host: 'device_name',
      severity: 'risk',
      summary: 'detail',
    });
  });

  it('gives confidences in [0, 1], best first, with a reason', () => {
    const s = suggestMapping(firewall);
    for (const x of s) {
      expect(x.confidence).toBeGreaterThan(0);
      expect(x.confidence).toBeLessThanOrEqual(0.95);
    }
    expect(s.map((x) => x.confidence)).toEqual([...s.map((x) => x.confidence)].sort((a, b) => b - a));
    const src = s.find((x) => x.targetField === 'srcIp');
    expect(src?.reason).toBe(
      'name "net.src" matches srcIp ("src"); 3/3 values are IPv4/IPv6 addresses; present in 3/3 samples',
    );
  });

  it('never offers timestamps or counters as text or amounts', () => {
    const paths = suggestMapping(firewall).map((x) => x.sourcePath);
    expect(paths).not.toContain('ts');
    expect(paths).not.toContain('bytes_out');
  });

  it('maps an unknown payments source, camelCase names and decimal strings included', () => {
    expect(byTarget(suggestMapping(fixture('unknown-payments.json')))).toEqual({
      actor: 'payer.accountId',
      amount: 'txnAmount',
      currency: 'ccy',
      srcIp: 'clientIP',
      severity: 'riskLevel',
    });
  });

  it('finds IPs and currencies by shape alone, with lower confidence', () => {
    const s = suggestMapping([
      { a: '10.0.0.1', b: 'USD' },
      { a: '10.0.0.2', b: 'EUR' },
    ]);
    expect(byTarget(s)).toEqual({ srcIp: 'a', currency: 'b' });
    expect(s.every((x) => x.confidence < 0.6)).toBe(true);
  });

  it('drops name matches whose values do not fit a strict field', () => {
    expect(byTarget(suggestMapping([{ src_ip: 'gateway-1' }, { src_ip: 'gateway-2' }]))).toEqual({});
    expect(suggestMapping([])).toEqual([]);
  });

  it('drafts a spec the Normalizer accepts and that maps the samples', () => {
    const spec = draftMappingSpec(
      { id: 'fw', source: 'fw.edge', kind: 'connection' },
      suggestMapping(firewall),
    );
    const out = new Normalizer([spec]).normalize(rawPattern('fw.edge', firewall[2]));
    expect(out.ok && out.pattern.normalized).toMatchObject({
      mappingId: 'fw@1',
      srcIp: '192.168.7.20',
      dstPort: 3389,
      protocol: 'tcp',
      actor: 'carol@example.com',
      summary: 'Inbound RDP attempt from a blocked range',
    });
  });
});
