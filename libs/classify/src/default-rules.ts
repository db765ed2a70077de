import type { ClassificationRule } from './rule';

// The built-in rules are CEL (see @patternmesh/expr for the activation). Regular expressions are
// JavaScript's; `(?i:…)` makes a part case-insensitive. Fields in `normalized.extra` may be missing,
// so they are tested with `has(…)` or read with `lookup(…)` (nested or flattened keys) first.
const kind = (k: string) => `normalized.kind == '${k}'`;
const summaryMatches = (re: string) => `normalized.summary.matches(r'${re}')`;
const inList = (values: string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;

/** Fraud: large amounts, card-not-present channels and transactions the fraud engine scored high. */
export const FRAUD_RULES: readonly ClassificationRule[] = [
  {
    id: 'fraud-high-amount',
    description: 'Transactions of 10 000 or more in any currency.',
    when: `${kind('transaction')} && normalized.amount >= 10000.0`,
    category: 'fraud',
    priority: 'high',
    scoreDelta: 0.2,
    labels: ['large-amount'],
  },
  {
    id: 'fraud-card-not-present',
    description: 'E-commerce, mail and telephone orders: the card was not shown.',
    when:
      `${kind('transaction')} && (` +
      `(has(normalized.extra.card_present) && normalized.extra.card_present in [false, 'false']) || ` +
      `(has(normalized.extra.channel) && string(normalized.extra.channel).matches(` +
      `r'^(?i:e-?commerce|online|web|cnp|card[-_ ]not[-_ ]present|moto|mail[-_ ]order|telephone)$')))`,
    category: 'fraud',
    scoreDelta: 0.1,
    labels: ['card-not-present'],
  },
  {
    id: 'fraud-high-risk-transaction',
    description: 'Transactions the source already rates high or critical.',
    when: `${kind('transaction')} && normalized.severity >= Severity.high`,
    category: 'fraud',
    labels: ['high-risk'],
  },
];

/** Malware: hash and domain indicators, and EDR detections that name malware. */
export const MALWARE_RULES: readonly ClassificationRule[] = [
  {
    id: 'malware-hash-indicator',
    when: `normalized.indicator_type in ${inList([
      'md5',
      'sha1',
      'sha256',
      'sha512',
      'hash',
      'file-hash',
      'filehash',
      'imphash',
      'ssdeep',
    ])}`,
    category: 'malware',
    scoreDelta: 0.1,
    labels: ['ioc', 'file-hash'],
  },
  {
    id: 'malware-domain-indicator',
    when: `normalized.indicator_type in ${inList(['domain', 'hostname', 'fqdn', 'url', 'uri'])}`,
    category: 'malware',
    scoreDelta: 0.05,
    labels: ['ioc', 'domain'],
  },
  {
    id: 'malware-detection',
    description: 'Alerts whose summary names a malware family type.',
    when: `${kind('alert')} && ${summaryMatches('(?i:malware|trojan|ransom|virus|worm|backdoor|rootkit|cryptominer|infostealer)')}`,
    category: 'malware',
    priority: 'high',
    scoreDelta: 0.15,
    labels: ['malware-detection'],
  },
];

/** Intrusion: port scans and alerts from network IDS and endpoint detection. */
export const INTRUSION_RULES: readonly ClassificationRule[] = [
  {
    id: 'intrusion-port-scan',
    when:
      `${summaryMatches('(?i:port ?scan|\\bscan\\b|nmap|masscan|zmap)')} || 'port-scan' in normalized.tags || ` +
      `(lookup(normalized.extra, 'alert.category') != null && ` +
      `string(lookup(normalized.extra, 'alert.category')).matches(r'(?i:scan)'))`,
    category: 'intrusion',
    priority: 'high',
    scoreDelta: 0.15,
    labels: ['port-scan'],
  },
  {
    id: 'intrusion-security-alert',
    description: 'Any alert from an IDS or EDR source.',
    when: `${kind('alert')} && (pattern.source.matches(r'^(ids|edr)\\.') || 'ids' in normalized.tags || 'edr' in normalized.tags)`,
    category: 'intrusion',
    scoreDelta: 0.05,
    labels: ['security-alert'],
  },
];

/** Behaviour: authentication failures and anomalies flagged by the source. */
export const BEHAVIOUR_RULES: readonly ClassificationRule[] = [
  {
    id: 'behaviour-auth-failure',
    when: summaryMatches(
      '(?i:failed (login|logon|sign-?in|password|authentication)|authentication fail|invalid (password|credentials)|account locked)',
    ),
    category: 'behaviour',
    scoreDelta: 0.05,
    labels: ['auth-failure'],
  },
  {
    id: 'behaviour-anomaly',
    when:
      `'anomaly' in normalized.tags || ` +
      `${summaryMatches('(?i:anomal|impossible travel|unusual|first time seen|never seen before)')} || ` +
      `(has(normalized.extra.anomaly_score) && double(normalized.extra.anomaly_score) >= 0.8)`,
    category: 'behaviour',
    scoreDelta: 0.1,
    labels: ['anomaly'],
  },
];

/** Availability: error logs and the words outages are reported with. */
export const AVAILABILITY_RULES: readonly ClassificationRule[] = [
  {
    id: 'availability-log-error',
    when: `normalized.kind in ['log', 'event'] && normalized.severity >= Severity.high`,
    category: 'availability',
    scoreDelta: 0.05,
    labels: ['error'],
  },
  {
    id: 'availability-outage-signal',
    when:
      `normalized.kind in ['log', 'event'] && ` +
      summaryMatches(
        '(?i:timed? ?out|timeout|unavailable|connection refused|out of memory|\\boom\\b|disk full|no space left|crash(ed|loop)?)',
      ),
    category: 'availability',
    scoreDelta: 0.1,
    labels: ['outage-signal'],
  },
];

/**
 * The built-in rule set. Order matters for the category (first match wins): fraud, then malware
 * (more specific than intrusion for EDR detections), intrusion, behaviour (a failed login logged as
 * an error is behaviour, not an outage), availability.
 */
export const DEFAULT_RULES: readonly ClassificationRule[] = [
  ...FRAUD_RULES,
  ...MALWARE_RULES,
  ...INTRUSION_RULES,
  ...BEHAVIOUR_RULES,
  ...AVAILABILITY_RULES,
];
