import type { Condition } from './condition';
import type { ClassificationRule } from './rule';

const kind = (value: string): Condition => ({ field: 'normalized.kind', op: 'eq', value });
const summaryMatches = (re: string): Condition => ({ field: 'normalized.summary', op: 'matches', value: re });
const indicatorTypeIn = (value: string[]): Condition => ({
  field: 'normalized.indicatorType',
  op: 'in',
  value,
});

/** Fraud: large amounts, card-not-present channels and transactions the fraud engine scored high. */
export const FRAUD_RULES: readonly ClassificationRule[] = [
  {
    id: 'fraud-high-amount',
    description: 'Transactions of 10 000 or more in any currency.',
    when: { all: [kind('transaction'), { field: 'normalized.amount', op: 'gte', value: 10000 }] },
    category: 'fraud',
    priority: 'high',
    scoreDelta: 0.2,
    labels: ['large-amount'],
  },
  {
    id: 'fraud-card-not-present',
    description: 'E-commerce, mail and telephone orders: the card was not shown.',
    when: {
      all: [
        kind('transaction'),
        {
          any: [
            { field: 'normalized.extra.card_present', op: 'eq', value: false },
            {
              field: 'normalized.extra.channel',
              op: 'matches',
              value:
                '^(?i:e-?commerce|online|web|cnp|card[-_ ]not[-_ ]present|moto|mail[-_ ]order|telephone)$',
            },
          ],
        },
      ],
    },
    category: 'fraud',
    scoreDelta: 0.1,
    labels: ['card-not-present'],
  },
  {
    id: 'fraud-high-risk-transaction',
    description: 'Transactions the source already rates high or critical.',
    when: { all: [kind('transaction'), { field: 'normalized.severity', op: 'gte', value: 'high' }] },
    category: 'fraud',
    labels: ['high-risk'],
  },
];

/** Malware: hash and domain indicators, and EDR detections that name malware. */
export const MALWARE_RULES: readonly ClassificationRule[] = [
  {
    id: 'malware-hash-indicator',
    when: indicatorTypeIn([
      'md5',
      'sha1',
      'sha256',
      'sha512',
      'hash',
      'file-hash',
      'filehash',
      'imphash',
      'ssdeep',
    ]),
    category: 'malware',
    scoreDelta: 0.1,
    labels: ['ioc', 'file-hash'],
  },
  {
    id: 'malware-domain-indicator',
    when: indicatorTypeIn(['domain', 'hostname', 'fqdn', 'url', 'uri']),
    category: 'malware',
    scoreDelta: 0.05,
    labels: ['ioc', 'domain'],
  },
  {
    id: 'malware-detection',
    description: 'Alerts whose summary names a malware family type.',
    when: {
      all: [
        kind('alert'),
        summaryMatches('(?i:malware|trojan|ransom|virus|worm|backdoor|rootkit|cryptominer|infostealer)'),
      ],
    },
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
    when: {
      any: [
        summaryMatches('(?i:port ?scan|\\bscan\\b|nmap|masscan|zmap)'),
        { field: 'normalized.tags', op: 'contains', value: 'port-scan' },
        { field: 'normalized.extra.alert.category', op: 'matches', value: '(?i:scan)' },
      ],
    },
    category: 'intrusion',
    priority: 'high',
    scoreDelta: 0.15,
    labels: ['port-scan'],
  },
  {
    id: 'intrusion-security-alert',
    description: 'Any alert from an IDS or EDR source.',
    when: {
      all: [
        kind('alert'),
        {
          any: [
            { field: 'source', op: 'matches', value: '^(ids|edr)\\.' },
            { field: 'normalized.tags', op: 'contains', value: 'ids' },
            { field: 'normalized.tags', op: 'contains', value: 'edr' },
          ],
        },
      ],
    },
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
    when: {
      any: [
        { field: 'normalized.tags', op: 'contains', value: 'anomaly' },
        summaryMatches('(?i:anomal|impossible travel|unusual|first time seen|never seen before)'),
        { field: 'normalized.extra.anomaly_score', op: 'gte', value: 0.8 },
      ],
    },
    category: 'behaviour',
    scoreDelta: 0.1,
    labels: ['anomaly'],
  },
];

/** Availability: error logs and the words outages are reported with. */
export const AVAILABILITY_RULES: readonly ClassificationRule[] = [
  {
    id: 'availability-log-error',
    when: {
      all: [
        { field: 'normalized.kind', op: 'in', value: ['log', 'event'] },
        { field: 'normalized.severity', op: 'gte', value: 'high' },
      ],
    },
    category: 'availability',
    scoreDelta: 0.05,
    labels: ['error'],
  },
  {
    id: 'availability-outage-signal',
    when: {
      all: [
        { field: 'normalized.kind', op: 'in', value: ['log', 'event'] },
        summaryMatches(
          '(?i:timed? ?out|timeout|unavailable|connection refused|out of memory|\\boom\\b|disk full|no space left|crash(ed|loop)?)',
        ),
      ],
    },
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
