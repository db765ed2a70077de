/**
 * The bench's pattern mix: REST bodies (`{source, entity, payload}`) for sequence number i, cheap to
 * build and deterministic. Sources and fields follow the built-in normalizer mappings
 * (libs/normalize/src/default-mappings.ts) and the values are chosen so the built-in classifier
 * rules and route table spread them over every lane, critical included:
 * - fraud.cards (30 %): the README's card payment; risk_score cycles 0..99, so 10 % of these score
 *   critical (≥ 90) and go to the critical lane, the rest to standard or bulk.
 * - ids.suricata (20 %): Suricata EVE alerts, alert.severity 1..3 (high..low), some port scans.
 * - edr.falcon (10 %): endpoint detections, severity 1..5 on the 1-5 scale, some naming malware.
 * - log.app (40 %): structured logs, mostly info (bulk), some errors that report timeouts.
 */
export interface RestPattern {
  readonly source: string;
  readonly entity: string;
  readonly payload: Record<string, unknown>;
}

const MERCHANTS = ['acme-gems', 'north-books', 'quick-fuel', 'cloud-games', 'city-cafe'];
const CHANNELS = ['online', 'pos', 'ecommerce', 'atm'];
const SIGNATURES = [
  'ET SCAN Nmap Scripting Engine User-Agent Detected',
  'ET POLICY Outbound SSH connection',
  'ET INFO Suspicious DNS query',
];
const LOG_MESSAGES = ['request served', 'cache refreshed', 'user signed in', 'job finished'];
const ERROR_MESSAGES = ['upstream connection timeout', 'database unavailable', 'disk full on /var'];

export function patternFor(i: number, entities: number): RestPattern {
  const e = i % entities;
  const slot = i % 10;
  if (slot < 3) {
    return {
      source: 'fraud.cards',
      entity: `card-${e}`,
      payload: {
        customer_id: `cust-${e % 997}`,
        amount: 10 + ((i * 7919) % 30000),
        currency: i % 4 === 0 ? 'USD' : 'EUR',
        merchant: MERCHANTS[i % MERCHANTS.length],
        channel: CHANNELS[i % CHANNELS.length],
        risk_score: (i * 37) % 100,
      },
    };
  }
  if (slot < 5) {
    return {
      source: 'ids.suricata',
      entity: `sensor-${e % 64}`,
      payload: {
        src_ip: `10.${(e >> 8) & 255}.${e & 255}.${i % 250}`,
        dest_ip: '192.168.1.10',
        dest_port: [22, 80, 443, 3389][i % 4],
        proto: 'TCP',
        alert: {
          signature: SIGNATURES[i % SIGNATURES.length],
          signature_id: 2000000 + (i % 50),
          severity: 1 + (i % 3),
        },
      },
    };
  }
  if (slot < 6) {
    return {
      source: 'edr.falcon',
      entity: `host-${e}`,
      payload: {
        'host.name': `host-${e}`,
        'user.name': `user-${e % 311}`,
        severity: 1 + (i % 5),
        'rule.name': i % 3 === 0 ? 'Trojan dropper detected' : 'Suspicious PowerShell',
        'process.name': 'powershell.exe',
      },
    };
  }
  const error = i % 7 === 0;
  return {
    source: 'log.app',
    entity: `svc-${e % 40}`,
    payload: {
      level: error ? 'error' : 'info',
      service: `svc-${e % 40}`,
      message: error ? ERROR_MESSAGES[i % ERROR_MESSAGES.length] : LOG_MESSAGES[i % LOG_MESSAGES.length],
      user: `user-${e % 311}`,
    },
  };
}
