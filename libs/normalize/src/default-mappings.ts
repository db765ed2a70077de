import type { MappingSpec } from './mapping-spec';

/**
 * Card transactions from fraud engines and payment gateways (`fraud.*`). Channel and card-presence
 * flags stay in `extra` on purpose: the classifier's card-not-present rule reads them there.
 */
export const FRAUD_CARD_MAPPING: MappingSpec = {
  id: 'fraud-card',
  version: '1',
  source: 'fraud.*',
  kind: 'transaction',
  description: 'Card transactions scored by a fraud engine (risk score 0-100).',
  fields: {
    actor: ['cardholder.id', 'customer_id', 'account_id', 'user_id', 'user'],
    amount: ['amount', 'transaction.amount', 'txn.amount'],
    currency: ['currency', 'transaction.currency', 'txn.currency'],
    srcIp: ['ip', 'client_ip', 'device.ip'],
    host: ['merchant.name', 'merchant_name', 'merchant'],
    indicator: ['card.fingerprint', 'card_hash'],
    summary: ['message', 'reason'],
  },
  severity: { path: ['risk_score', 'fraud_score', 'risk'], numericScale: '0-100' },
  summary:
    '{amount|transaction.amount} {currency|transaction.currency} at {merchant.name|merchant_name|merchant} by {cardholder.id|customer_id|account_id}',
  tags: ['fraud', 'card'],
};

/**
 * Network IDS alerts (`ids.*`), shaped like Suricata EVE JSON with common alternatives. Suricata's
 * severity is inverted (1 is the worst), hence the explicit map.
 */
export const IDS_ALERT_MAPPING: MappingSpec = {
  id: 'ids-alert',
  version: '1',
  source: 'ids.*',
  kind: 'alert',
  description: 'Network intrusion detection alerts (Suricata EVE and similar).',
  fields: {
    srcIp: ['src_ip', 'source.ip', 'src'],
    dstIp: ['dest_ip', 'dst_ip', 'destination.ip', 'dst'],
    srcPort: ['src_port', 'source.port', 'spt'],
    dstPort: ['dest_port', 'dst_port', 'destination.port', 'dpt'],
    protocol: ['proto', 'protocol', 'network.transport', 'app_proto'],
    host: ['host', 'sensor', 'observer.name'],
    indicator: ['alert.signature_id', 'rule.id'],
    summary: ['alert.signature', 'signature', 'message'],
  },
  severity: {
    path: ['alert.severity', 'severity'],
    map: { '1': 'high', '2': 'medium', '3': 'low', '4': 'info' },
    default: 'medium',
  },
  tags: ['ids', 'network'],
};

/** Endpoint detection alerts (`edr.*`), ECS-style with CrowdStrike-style alternatives. */
export const EDR_ALERT_MAPPING: MappingSpec = {
  id: 'edr-alert',
  version: '1',
  source: 'edr.*',
  kind: 'alert',
  description: 'Endpoint detection and response alerts.',
  fields: {
    host: ['host.name', 'device.hostname', 'ComputerName', 'hostname'],
    actor: ['user.name', 'UserName', 'user'],
    srcIp: ['source.ip', 'LocalIP', 'local_ip'],
    dstIp: ['destination.ip', 'RemoteIP', 'remote_ip'],
    dstPort: ['destination.port', 'RemotePort'],
    indicator: ['file.hash.sha256', 'process.hash.sha256', 'SHA256HashData', 'sha256'],
    tags: ['tags'],
  },
  severity: { path: ['severity', 'Severity', 'event.severity'], numericScale: '1-5', default: 'medium' },
  summary:
    '{rule.name|DetectName|message}: {process.name|FileName} on {host.name|device.hostname|ComputerName|hostname}',
  tags: ['edr', 'endpoint'],
};

/** Threat-intelligence indicators (`threat.*`): IOC feeds such as MISP or STIX exports, flattened. */
export const THREAT_INDICATOR_MAPPING: MappingSpec = {
  id: 'threat-indicator',
  version: '1',
  source: 'threat.*',
  kind: 'indicator',
  description: 'Indicators of compromise from threat-intelligence feeds.',
  fields: {
    indicator: ['indicator', 'value', 'ioc.value', 'ioc'],
    indicatorType: ['type', 'indicator_type', 'ioc.type'],
    actor: ['threat_actor', 'actor'],
    tags: ['tags', 'labels'],
    summary: ['description', 'comment'],
  },
  severity: { path: ['severity', 'threat_level'], default: 'medium' },
  tags: ['threat-intel'],
};

/** Application logs (`log.*`): structured log lines where the level carries the severity. */
export const APP_LOG_MAPPING: MappingSpec = {
  id: 'app-log',
  version: '1',
  source: 'log.*',
  kind: 'log',
  description: 'Structured application logs (JSON or logfmt).',
  fields: {
    host: ['host', 'hostname', 'host.name', 'service.name', 'service'],
    actor: ['user', 'user.name', 'user_id'],
    srcIp: ['client_ip', 'remote_addr', 'source.ip'],
    summary: ['message', 'msg', 'error.message'],
  },
  severity: { path: ['level', 'severity', 'log.level', 'lvl'], numericScale: 'syslog', default: 'info' },
  tags: ['log'],
};

/**
 * The fallback for every other source (`*`). It recognises the field names most producers use, so
 * any parseable object normalizes (kind `event`) instead of going to quarantine.
 */
export const GENERIC_MAPPING: MappingSpec = {
  id: 'generic',
  version: '1',
  source: '*',
  kind: 'event',
  description: 'Fallback for sources without their own mapping.',
  fields: {
    actor: ['user', 'username', 'user.name', 'user_name', 'actor', 'account'],
    host: ['host', 'hostname', 'host.name', 'device'],
    srcIp: ['src_ip', 'source.ip', 'srcip', 'source_ip', 'client_ip', 'src'],
    dstIp: ['dst_ip', 'dest_ip', 'destination.ip', 'dstip', 'destination_ip', 'dst'],
    srcPort: ['src_port', 'source.port', 'srcport', 'sport'],
    dstPort: ['dst_port', 'dest_port', 'destination.port', 'dstport', 'dport'],
    protocol: ['protocol', 'proto', 'network.transport'],
    indicator: ['indicator', 'ioc'],
    indicatorType: ['indicator_type', 'ioc_type'],
    amount: ['amount'],
    currency: ['currency'],
    summary: ['message', 'msg', 'summary', 'description'],
    tags: ['tags'],
  },
  severity: { path: ['severity', 'level', 'log.level', 'sev'], numericScale: '0-10' },
};

/** The built-in mapping set, specific sources first; `GENERIC_MAPPING` catches the rest. */
export const DEFAULT_MAPPINGS: readonly MappingSpec[] = [
  FRAUD_CARD_MAPPING,
  IDS_ALERT_MAPPING,
  EDR_ALERT_MAPPING,
  THREAT_INDICATOR_MAPPING,
  APP_LOG_MAPPING,
  GENERIC_MAPPING,
];
