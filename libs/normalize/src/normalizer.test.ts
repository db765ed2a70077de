import { Severity } from '@patternmesh/proto';
import { describe, expect, it } from 'vitest';
import { rawPattern } from '../test/pattern';
import { DEFAULT_MAPPINGS } from './default-mappings';
import type { MappingSpec } from './mapping-spec';
import { isMappingSpecError } from './mapping-spec';
import { Normalizer } from './normalizer';
import { ONTOLOGY_VERSION } from './ontology';

const normalizer = new Normalizer(DEFAULT_MAPPINGS);

function normalized(source: string, body: unknown, contentType?: string) {
  const out = normalizer.normalize(rawPattern(source, body, contentType));
  if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
  return { n: out.pattern.normalized!, notes: out.notes, pattern: out.pattern };
}

describe('Normalizer with the built-in mappings', () => {
  it('maps a card transaction', () => {
    const { n, notes } = normalized('fraud.cards', {
      transaction_id: 'tx-9',
      cardholder: { id: 'ch-42', country: 'DE' },
      amount: '1250.50',
      currency: 'eur',
      ip: '203.0.113.7',
      merchant: { name: 'Example Electronics', mcc: '5732' },
      channel: 'ecommerce',
      card_present: false,
      risk_score: 82,
    });
    expect(notes).toEqual([]);
    expect(n).toMatchObject({
      ontologyVersion: ONTOLOGY_VERSION,
      kind: 'transaction',
      mappingId: 'fraud-card@1',
      actor: 'ch-42',
      amount: 1250.5,
      currency: 'EUR',
      srcIp: '203.0.113.7',
      host: 'Example Electronics',
      severity: Severity.SEVERITY_HIGH,
      summary: '1250.50 eur at Example Electronics by ch-42',
      tags: ['fraud', 'card'],
    });
    // What no typed field took stays, nested as sent; what was taken is not repeated.
    expect(n.extra).toEqual({
      transaction_id: 'tx-9',
      cardholder: { country: 'DE' },
      merchant: { mcc: '5732' },
      channel: 'ecommerce',
      card_present: false,
    });
  });

  it('maps a Suricata-style IDS alert, reading the inverted severity', () => {
    const { n } = normalized('ids.suricata', {
      timestamp: '2025-03-01T12:00:00.000000+0000',
      src_ip: '198.51.100.23',
      src_port: 41234,
      dest_ip: '10.0.0.5',
      dest_port: '22',
      proto: 'TCP',
      alert: {
        signature: 'ET SCAN Potential SSH Scan',
        signature_id: 2001219,
        severity: 1,
        category: 'Attempted Information Leak',
      },
    });
    expect(n).toMatchObject({
      kind: 'alert',
      srcIp: '198.51.100.23',
      srcPort: 41234,
      dstIp: '10.0.0.5',
      dstPort: 22,
      protocol: 'tcp',
      indicator: '2001219',
      summary: 'ET SCAN Potential SSH Scan',
      severity: Severity.SEVERITY_HIGH,
      tags: ['ids', 'network'],
    });
    expect(n.extra).toEqual({
      timestamp: '2025-03-01T12:00:00.000000+0000',
      alert: { category: 'Attempted Information Leak' },
    });
  });

  it('maps an EDR detection with a rendered summary', () => {
    const { n } = normalized('edr.falcon', {
      ComputerName: 'LAPTOP-7',
      UserName: 'corp\\dana',
      DetectName: 'CredentialDumping',
      FileName: 'procdump.exe',
      SHA256HashData: 'a'.repeat(64),
      Severity: 4,
    });
    expect(n).toMatchObject({
      kind: 'alert',
      host: 'LAPTOP-7',
      actor: 'corp\\dana',
      indicator: 'a'.repeat(64),
      severity: Severity.SEVERITY_HIGH,
      summary: 'CredentialDumping: procdump.exe on LAPTOP-7',
    });
  });

  it('maps a threat indicator', () => {
    const { n } = normalized('threat.misp', {
      type: 'SHA256',
      value: 'b'.repeat(64),
      tags: ['apt29', 'loader'],
      threat_level: 'high',
      description: 'Loader seen in spear-phishing campaign',
    });
    expect(n).toMatchObject({
      kind: 'indicator',
      indicator: 'b'.repeat(64),
      indicatorType: 'sha256',
      severity: Severity.SEVERITY_HIGH,
      tags: ['threat-intel', 'apt29', 'loader'],
      summary: 'Loader seen in spear-phishing campaign',
    });
  });

  it('maps a logfmt application log', () => {
    const { n } = normalized(
      'log.checkout',
      'level=error service=checkout msg="payment provider timed out" latency_ms=30012',
      'text/logfmt',
    );
    expect(n).toMatchObject({
      kind: 'log',
      host: 'checkout',
      severity: Severity.SEVERITY_HIGH,
      summary: 'payment provider timed out',
    });
    expect(n.extra).toEqual({ latency_ms: '30012' });
  });

  it('normalizes any object from an unknown source with the generic fallback', () => {
    const { n } = normalized('acme.custom', {
      username: 'erin',
      source: { ip: '10.9.8.7' },
      level: 'warning',
      msg: 'quota at 91%',
    });
    expect(n).toMatchObject({
      kind: 'event',
      mappingId: 'generic@1',
      actor: 'erin',
      srcIp: '10.9.8.7',
      severity: Severity.SEVERITY_MEDIUM,
      summary: 'quota at 91%',
    });
    expect(normalized('acme.custom', {}).n).toMatchObject({ kind: 'event', extra: {} });
  });

  it('leaves a value that does not fit its field empty, notes it, keeps it in extra and tries the next path', () => {
    const { n, notes } = normalized('acme.custom', {
      src_ip: 'gateway-3',
      src_port: 'http',
      source_ip: '10.0.0.1',
      amount: 'lots',
    });
    expect(n.srcIp).toBe('10.0.0.1');
    expect(n.srcPort).toBe(0);
    expect(n.amount).toBe(0);
    expect(notes).toEqual([
      'fields.srcIp: "src_ip" "gateway-3" is not an IPv4 or IPv6 address; left in extra',
      'fields.srcPort: "src_port" "http" is not a port number (integer 0–65535); left in extra',
      'fields.amount: "amount" "lots" is not a number; left in extra',
    ]);
    expect(n.extra).toEqual({ src_ip: 'gateway-3', src_port: 'http', amount: 'lots' });
  });

  it('keeps a "__proto__" field as data in extra', () => {
    const { n } = normalized('acme.custom', '{"__proto__":{"isAdmin":true},"user":"x"}');
    expect(Object.keys(n.extra!)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(n.extra)).toBe(Object.prototype);
    expect((n.extra as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('returns a copy and leaves the input untouched', () => {
    const input = rawPattern('acme.custom', { user: 'x' });
    const out = normalizer.normalize(input);
    expect(out.ok && out.pattern).not.toBe(input);
    expect(input.normalized).toBeUndefined();
    expect(out.ok && out.pattern.payload).toBe(input.payload);
  });

  it('passes parse failures through with their code', () => {
    expect(normalizer.normalize(rawPattern('fraud.cards', '[1]'))).toEqual({
      ok: false,
      code: 'PAYLOAD_UNPARSEABLE',
      reason: 'payload is a JSON array; expected an object',
    });
    expect(normalizer.normalize(rawPattern('fraud.cards', 'a,b', 'text/csv'))).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED_CONTENT_TYPE',
    });
  });
});

describe('Normalizer with custom mappings', () => {
  const spec: MappingSpec = {
    id: 'vpn',
    version: '3',
    source: 'auth.vpn',
    kind: 'authentication',
    fields: { actor: ['user', 'username'], srcIp: 'client.ip', summary: 'message' },
    severity: { path: 'outcome', map: { failure: 'medium', success: 'info' } },
    summary: '{user|username} login {outcome} from {client.ip}',
    tags: ['vpn'],
  };

  it('sets mappingId to id@version and prefers the template over fields.summary', () => {
    const n = new Normalizer([spec]).normalize(
      rawPattern('auth.vpn', {
        user: 'frank',
        client: { ip: '192.0.2.1' },
        outcome: 'FAILURE',
        message: 'raw text',
      }),
    );
    expect(n.ok && n.pattern.normalized).toMatchObject({
      mappingId: 'vpn@3',
      summary: 'frank login FAILURE from 192.0.2.1',
      severity: Severity.SEVERITY_MEDIUM,
      // The template quoted "message" but did not take it: it stays for subscribers.
      extra: { message: 'raw text' },
    });
  });

  it('reports sources no mapping covers', () => {
    expect(new Normalizer([spec]).normalize(rawPattern('auth.radius', {}))).toEqual({
      ok: false,
      code: 'NO_MAPPING',
      reason: 'no mapping matches source "auth.radius"',
    });
  });

  it('refuses invalid specs at construction, listing every problem', () => {
    let caught: unknown;
    try {
      new Normalizer([spec, { ...spec, id: '', kind: '' }]);
    } catch (err) {
      caught = err;
    }
    expect(isMappingSpecError(caught)).toBe(true);
    expect((caught as { problems: string[] }).problems).toEqual([
      'mappings[1] (@3): id must be a non-empty string of letters, digits, ".", "_" or "-"',
      'mappings[1] (@3): kind must be a lower-case word such as "alert" or "transaction"',
      'mappings[1] (@3): source "auth.vpn" is already claimed by mappings[0] (vpn@3)',
    ]);
  });

  it('exposes the mapping chosen for a source', () => {
    expect(normalizer.mappingFor('edr.defender')?.id).toBe('edr-alert');
    expect(normalizer.mappingFor('something')?.id).toBe('generic');
  });
});
