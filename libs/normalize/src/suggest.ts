import { isIP } from 'node:net';
import type { FieldSuggestion } from '@patternmesh/proto';
import { toNumber } from './coerce';
import type { MappingSpec } from './mapping-spec';
import { ONTOLOGY_FIELDS, type OntologyField } from './ontology';
import { isPlainObject } from './path';
import { SEVERITY_ALIASES } from './severity';

/** A field a suggestion can target: an ontology field, or `severity` (the mapping's `severity.path`). */
export type SuggestionTarget = OntologyField | 'severity';

/** Options for `suggestMapping`. */
export interface SuggestOptions {
  /** Suggestions below this confidence are dropped. Default 0.3. */
  minConfidence?: number;
}

// Bounds keep a hostile or huge sample from costing more than a few milliseconds.
const MAX_SAMPLES = 100;
const MAX_DEPTH = 6;
const MAX_COLUMNS = 500;
// A heuristic is never certain.
const MAX_CONFIDENCE = 0.95;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const HEX_DIGEST = /^([a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64}|[a-f0-9]{128})$/i;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9]([a-z0-9-]{0,62}))*$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,62})\.)+[a-z]{2,63}$/i;
// Common ISO 4217 codes; an unknown but well-formed code still counts, with less weight.
const CURRENCIES = new Set(
  'USD EUR GBP JPY CHF CAD AUD NZD CNY HKD SGD INR BRL MXN SEK NOK DKK PLN CZK HUF ZAR TRY KRW RUB AED SAR ILS THB IDR MYR PHP'.split(
    ' ',
  ),
);
const PROTOCOLS = new Set(
  'tcp udp icmp icmpv6 ipv6-icmp sctp gre esp http https http2 dns tls ssl ssh ftp smtp imap pop3 smb rdp ntp snmp ldap kerberos quic mqtt'.split(
    ' ',
  ),
);
const INDICATOR_TYPES = new Set(
  'md5 sha1 sha256 sha512 hash file-hash filehash domain hostname fqdn url uri ip ipv4 ipv6 ip-dst ip-src email email-addr mutex registry'.split(
    ' ',
  ),
);

interface Shape {
  /** What matching values look like, for the reason text. */
  label: string;
  test: (v: unknown) => boolean;
  /** Confidence from values alone when the name says nothing; 0 means the name must match. */
  alone: number;
  /** Whether values that do not fit rule the field out even when the name matches. */
  strict: boolean;
  /** How telling a fit is, 0–1: every string "fits" an actor, only addresses fit an IP. */
  weight: number;
}

interface Target {
  field: SuggestionTarget;
  /** Names (lower-cased, separators removed) that mean this field. */
  strong: string[];
  /** Names that hint at it. */
  weak: string[];
  shape: Shape;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const notTimestamp = (v: unknown): boolean => !(typeof v === 'string' && ISO_TIMESTAMP.test(v.trim()));
const ipShape: Shape = {
  label: 'IPv4/IPv6 addresses',
  test: (v) => typeof v === 'string' && isIP(v.trim().replace(/^\[(.*)\]$/, '$1')) !== 0,
  alone: 0.35,
  strict: true,
  weight: 1,
};
const portShape: Shape = {
  label: 'port numbers (integer 0–65535)',
  test: (v) => {
    const n = toNumber(v);
    return n !== undefined && Number.isInteger(n) && n >= 0 && n <= 65535;
  },
  alone: 0,
  strict: true,
  weight: 0.6,
};

const TARGETS: Target[] = [
  {
    field: 'srcIp',
    strong: [
      'srcip',
      'sourceip',
      'src',
      'srcaddr',
      'srcaddress',
      'sourceaddress',
      'sourceaddr',
      'clientip',
      'saddr',
      'ipsrc',
      'srcipaddr',
    ],
    weak: ['ip', 'ipaddr', 'ipaddress', 'client', 'clientaddr', 'remoteaddr', 'localip', 'source'],
    shape: ipShape,
  },
  {
    field: 'dstIp',
    strong: [
      'dstip',
      'destip',
      'destinationip',
      'dst',
      'dest',
      'dstaddr',
      'destaddr',
      'destinationaddress',
      'daddr',
      'ipdst',
      'serverip',
    ],
    weak: ['remoteip', 'targetip', 'target', 'server', 'destination'],
    shape: ipShape,
  },
  {
    field: 'srcPort',
    strong: ['srcport', 'sourceport', 'sport', 'spt', 'clientport'],
    weak: ['localport'],
    shape: portShape,
  },
  {
    field: 'dstPort',
    strong: ['dstport', 'destport', 'destinationport', 'dport', 'dpt', 'serverport'],
    weak: ['port', 'remoteport', 'targetport'],
    shape: portShape,
  },
  {
    field: 'protocol',
    strong: ['protocol', 'proto', 'transport', 'networktransport', 'ipproto', 'l4proto'],
    weak: ['appproto', 'networkprotocol'],
    shape: {
      label: 'protocol names',
      test: (v) =>
        (typeof v === 'string' && PROTOCOLS.has(v.trim().toLowerCase())) || v === 1 || v === 6 || v === 17,
      alone: 0.5,
      strict: false,
      weight: 0.9,
    },
  },
  {
    field: 'actor',
    strong: [
      'user',
      'username',
      'userid',
      'actor',
      'principal',
      'account',
      'accountid',
      'login',
      'suser',
      'uid',
      'customerid',
      'cardholder',
      'cardholderid',
      'subject',
      'useremail',
      'usr',
    ],
    weak: ['owner', 'customer', 'member', 'identity', 'email', 'accountname', 'userprincipalname'],
    shape: {
      label: 'identifiers',
      test: (v) => (isText(v) || typeof v === 'number') && notTimestamp(v),
      alone: 0,
      strict: false,
      weight: 0.3,
    },
  },
  {
    field: 'host',
    strong: [
      'host',
      'hostname',
      'devicename',
      'computer',
      'computername',
      'machine',
      'machinename',
      'shost',
      'node',
      'nodename',
      'sensor',
      'observer',
      'observername',
    ],
    weak: ['device', 'agent', 'server', 'instance', 'hostid'],
    shape: {
      label: 'host names',
      test: (v) => typeof v === 'string' && (HOSTNAME.test(v.trim()) || isIP(v.trim()) !== 0),
      alone: 0,
      strict: false,
      weight: 0.5,
    },
  },
  {
    field: 'indicator',
    strong: [
      'indicator',
      'ioc',
      'iocvalue',
      'observable',
      'sha256',
      'sha1',
      'md5',
      'hash',
      'filehash',
      'indicatorvalue',
    ],
    weak: ['value', 'artifact', 'domain', 'url'],
    shape: {
      label: 'hashes, domains or addresses',
      test: (v) =>
        typeof v === 'string' &&
        (HEX_DIGEST.test(v.trim()) ||
          DOMAIN.test(v.trim()) ||
          isIP(v.trim()) !== 0 ||
          /^https?:\/\//i.test(v.trim())),
      alone: 0,
      strict: false,
      weight: 0.8,
    },
  },
  {
    field: 'indicatorType',
    strong: ['indicatortype', 'ioctype', 'observabletype', 'typeofindicator'],
    weak: ['type', 'kind'],
    shape: {
      label: 'indicator types (md5, sha256, domain, url, ip …)',
      test: (v) => typeof v === 'string' && INDICATOR_TYPES.has(v.trim().toLowerCase()),
      alone: 0.45,
      strict: false,
      weight: 0.9,
    },
  },
  {
    field: 'amount',
    strong: [
      'amount',
      'amt',
      'txnamount',
      'transactionamount',
      'chargeamount',
      'paymentamount',
      'price',
      'total',
    ],
    weak: ['value', 'sum', 'cost'],
    shape: {
      label: 'numbers',
      // Epoch milliseconds are numbers too, but never an amount.
      test: (v) => {
        const n = toNumber(v);
        return n !== undefined && Math.abs(n) < 1e11;
      },
      alone: 0,
      strict: true,
      weight: 0.5,
    },
  },
  {
    field: 'currency',
    strong: ['currency', 'currencycode', 'ccy', 'curr', 'cur', 'isocurrency'],
    weak: [],
    shape: {
      label: 'ISO 4217 currency codes',
      test: (v) =>
        typeof v === 'string' && CURRENCIES.has(v.trim().toUpperCase()) && /^[A-Za-z]{3}$/.test(v.trim()),
      alone: 0.55,
      strict: true,
      weight: 1,
    },
  },
  {
    field: 'summary',
    strong: [
      'message',
      'msg',
      'summary',
      'description',
      'desc',
      'detail',
      'details',
      'text',
      'title',
      'signature',
      'rulename',
      'alertname',
      'reason',
    ],
    weak: ['name', 'event', 'comment', 'note'],
    shape: {
      label: 'free text',
      test: (v) => typeof v === 'string' && v.trim().length >= 10 && /\s/.test(v.trim()) && notTimestamp(v),
      alone: 0.3,
      strict: false,
      weight: 0.6,
    },
  },
  {
    field: 'severity',
    strong: [
      'severity',
      'sev',
      'level',
      'loglevel',
      'risk',
      'risklevel',
      'riskscore',
      'threatlevel',
      'criticality',
      'severitylevel',
    ],
    weak: ['priority', 'urgency', 'score', 'lvl', 'impact'],
    shape: {
      label: 'severity words or small numbers',
      test: (v) => {
        if (typeof v === 'string' && Object.hasOwn(SEVERITY_ALIASES, v.trim().toLowerCase())) return true;
        const n = toNumber(v);
        return n !== undefined && n >= 0 && n <= 100;
      },
      alone: 0.5,
      strict: false,
      weight: 0.8,
    },
  },
  {
    field: 'tags',
    strong: ['tags', 'labels', 'tag'],
    weak: ['categories', 'keywords'],
    shape: {
      label: 'lists of strings',
      test: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
      alone: 0.3,
      strict: false,
      weight: 0.6,
    },
  },
];

interface Column {
  path: string;
  values: unknown[];
}

/**
 * Suggests a mapping for an unknown source from sample records: for each ontology field, the source
 * path that most likely holds it, with a confidence in [0, 1] and the reason. Evidence is the path's
 * name (similarity to the field's usual names) and its values' shape (IP addresses, ports, currency
 * codes, severity words, free text); ISO timestamps are recognised and never offered as text fields.
 * Each field and each path is suggested at most once, best first. `targetField` is the ontology field
 * name as used in `MappingSpec.fields`, or `severity` for `MappingSpec.severity.path`.
 */
export function suggestMapping(
  samples: readonly Record<string, unknown>[],
  opts: SuggestOptions = {},
): FieldSuggestion[] {
  const minConfidence = opts.minConfidence ?? 0.3;
  const used = samples.slice(0, MAX_SAMPLES);
  if (used.length === 0) return [];
  const columns = collectColumns(used);
  const candidates: (FieldSuggestion & { rank: number })[] = [];
  for (const column of columns) {
    const tokens = nameForms(column.path);
    const timestamps = column.values.filter(
      (v) => typeof v === 'string' && ISO_TIMESTAMP.test(v.trim()),
    ).length;
    for (const target of TARGETS) {
      const c = score(column, tokens, target, used.length);
      if (!c || c.confidence < minConfidence) continue;
      const note = timestamps > 0 ? `; ${timestamps} value(s) are ISO timestamps` : '';
      candidates.push({
        sourcePath: column.path,
        targetField: target.field,
        confidence: c.confidence,
        reason: c.reason + note,
        rank: TARGETS.indexOf(target),
      });
    }
  }
  // Greedy one-to-one assignment: the strongest evidence claims its field and its path first.
  candidates.sort(
    (a, b) => b.confidence - a.confidence || a.rank - b.rank || a.sourcePath.localeCompare(b.sourcePath),
  );
  const fields = new Set<string>();
  const paths = new Set<string>();
  const out: FieldSuggestion[] = [];
  for (const { rank: _rank, ...s } of candidates) {
    if (fields.has(s.targetField) || paths.has(s.sourcePath)) continue;
    fields.add(s.targetField);
    paths.add(s.sourcePath);
    out.push(s);
  }
  return out;
}

function score(
  column: Column,
  names: { last: string; lastTwo: string; all: string; tokens: string[] },
  target: Target,
  sampleCount: number,
): { confidence: number; reason: string } | undefined {
  const values = column.values;
  const fitting = values.filter((v) => target.shape.test(v)).length;
  // ISO timestamps fit "text" but are never an actor, host, indicator or summary.
  const timestamps = values.filter((v) => !notTimestamp(v)).length;
  if (timestamps * 2 > values.length) return undefined;
  const shapeRatio = values.length === 0 ? 0 : fitting / values.length;
  const name = nameScore(names, target);
  let confidence: number;
  let why: string;
  if (name.score > 0) {
    if (target.shape.strict && shapeRatio < 0.5) return undefined;
    confidence = 0.6 * name.score + 0.4 * shapeRatio * target.shape.weight;
    why = `name "${column.path}" ${name.score === 1 ? 'matches' : 'resembles'} ${target.field} ("${name.matched}")`;
  } else if (target.shape.alone > 0 && shapeRatio >= 0.8) {
    confidence = target.shape.alone * shapeRatio;
    why = `name "${column.path}" says nothing, but the values fit ${target.field}`;
  } else {
    return undefined;
  }
  const presence = column.values.length / sampleCount;
  confidence = Math.min(MAX_CONFIDENCE, confidence * (0.7 + 0.3 * Math.min(1, presence)));
  const reason = `${why}; ${fitting}/${values.length} values are ${target.shape.label}; present in ${column.values.length}/${sampleCount} samples`;
  return { confidence: Math.round(confidence * 100) / 100, reason };
}

function nameScore(
  names: { last: string; lastTwo: string; all: string; tokens: string[] },
  target: Target,
): { score: number; matched: string } {
  for (const form of [names.last, names.lastTwo, names.all]) {
    if (target.strong.includes(form)) return { score: 1, matched: form };
  }
  for (const form of [names.last, names.lastTwo, names.all]) {
    if (target.weak.includes(form)) return { score: 0.6, matched: form };
  }
  // "src_ip_address" or "transaction_amount_usd": a strong name spelled out in consecutive tokens.
  for (const strong of target.strong) {
    if (strong.length >= 4 && tokenRuns(names.tokens).includes(strong))
      return { score: 0.7, matched: strong };
  }
  return { score: 0, matched: '' };
}

// Every run of consecutive tokens, joined: [src, ip, address] → src, srcip, srcipaddress, ip, …
function tokenRuns(tokens: string[]): string[] {
  const runs: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (let j = i + 1; j <= tokens.length; j++) runs.push(tokens.slice(i, j).join(''));
  }
  return runs;
}

function nameForms(path: string): { last: string; lastTwo: string; all: string; tokens: string[] } {
  const segments = path.split('.');
  const join = (parts: string[]) => parts.flatMap(words).join('');
  return {
    last: join(segments.slice(-1)),
    lastTwo: join(segments.slice(-2)),
    all: join(segments),
    tokens: segments.flatMap(words),
  };
}

// "srcIPAddr" → [src, ip, addr]; "dest_port" → [dest, port].
function words(segment: string): string[] {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-:]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function collectColumns(samples: readonly Record<string, unknown>[]): Column[] {
  const columns = new Map<string, Column>();
  const visit = (node: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(value)) {
        if (depth < MAX_DEPTH) visit(value, path, depth + 1);
        continue;
      }
      // Lists of records are not mapped onto one field; lists of scalars may be tags.
      if (
        value === null ||
        value === undefined ||
        (Array.isArray(value) && value.some((x) => x !== null && typeof x === 'object'))
      )
        continue;
      let column = columns.get(path);
      if (!column) {
        if (columns.size >= MAX_COLUMNS) continue;
        column = { path, values: [] };
        columns.set(path, column);
      }
      column.values.push(value);
    }
  };
  for (const sample of samples) if (isPlainObject(sample)) visit(sample, '', 0);
  return [...columns.values()];
}

/**
 * Turns suggestions into a draft `MappingSpec` for an operator to review (never applied unreviewed):
 * each suggested path becomes the field's path, `severity` becomes `severity.path`.
 */
export function draftMappingSpec(
  base: { id: string; source: string; kind?: string; version?: string },
  suggestions: readonly FieldSuggestion[],
): MappingSpec {
  const fields: MappingSpec['fields'] = {};
  let severityPath: string | undefined;
  for (const s of suggestions) {
    if (s.targetField === 'severity') severityPath ??= s.sourcePath;
    else if ((ONTOLOGY_FIELDS as string[]).includes(s.targetField)) {
      fields[s.targetField as OntologyField] ??= s.sourcePath;
    }
  }
  return {
    id: base.id,
    version: base.version ?? '1',
    source: base.source,
    kind: base.kind ?? 'event',
    fields,
    ...(severityPath ? { severity: { path: severityPath } } : {}),
  };
}
