/**
 * A per-minute volume trace: CSV text in, one value per minute out. A backtest must work on any trace of
 * this shape, so columns are detected (or named), timestamps are parsed, and missing minutes are filled
 * (carrying the last value forward). Minutes known to hold no data can be masked: given spans, or runs of
 * zeros at least `maskZeroRunsMinutes` long (a log that stopped, a server that was down). Masked minutes
 * are excluded from scoring and from the under-provisioning count.
 */
export interface Trace {
  /** Epoch ms of the first minute. */
  readonly start: number;
  readonly values: Float64Array;
  readonly masked: Uint8Array;
  readonly timeColumn: string;
  readonly valueColumn: string;
  /** Minutes filled in because the trace had no row for them. */
  readonly filled: number;
}

export interface TraceOptions {
  readonly timeColumn?: string;
  readonly valueColumn?: string;
  /** Multiply every value (per-minute requests → a platform-sized load). */
  readonly scale?: number;
  /** [from, to] epoch ms, inclusive, of spans with no data. */
  readonly maskSpans?: ReadonlyArray<readonly [number, number]>;
  /** Mask runs of zeros at least this many minutes long (0: off). */
  readonly maskZeroRunsMinutes?: number;
}

const MINUTE = 60_000;

function splitCsvLine(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

/** A timestamp as epoch ms: ISO-8601 / `YYYY-MM-DD HH:MM[:SS]` (read as UTC), or epoch seconds / ms. */
export function parseTime(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    return n < 1e11 ? n * 1000 : n;
  }
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text)
    ? `${text.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? '' : 'Z'}`
    : text;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not a timestamp: "${text}"`);
  return t;
}

function detectColumns(
  header: string[],
  sample: string[],
  options: TraceOptions,
): { time: number; value: number } {
  const index = (name: string | undefined) => {
    if (name === undefined) return -1;
    const i = header.indexOf(name);
    if (i < 0) throw new RangeError(`no column "${name}" (columns: ${header.join(', ')})`);
    return i;
  };
  let time = index(options.timeColumn);
  let value = index(options.valueColumn);
  if (time < 0) {
    time = header.findIndex(
      (h, i) => /time|date|minute|ts/i.test(h) || (i === 0 && !Number.isNaN(Date.parse(sample[i] ?? ''))),
    );
    if (time < 0) time = 0;
  }
  if (value < 0) {
    value = header.findIndex(
      (_, i) => i !== time && sample[i] !== undefined && Number.isFinite(Number(sample[i])),
    );
    if (value < 0) throw new RangeError(`no numeric column besides "${header[time]}"`);
  }
  return { time, value };
}

export function parseTrace(csv: string, options: TraceOptions = {}): Trace {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 3) throw new RangeError('a trace needs a header and at least two rows');
  const header = splitCsvLine(lines[0]!);
  const columns = detectColumns(header, splitCsvLine(lines[1]!), options);
  const rows: Array<[number, number]> = [];
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line);
    // A blank cell is a minute without data (filled like a missing row), not a zero.
    const cell = cells[columns.value]?.trim() ?? '';
    const v = cell === '' ? Number.NaN : Number(cell);
    rows.push([
      Math.floor(parseTime(cells[columns.time]!) / MINUTE) * MINUTE,
      Number.isFinite(v) ? v : Number.NaN,
    ]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const start = rows[0]![0];
  const n = (rows.at(-1)![0] - start) / MINUTE + 1;
  const values = new Float64Array(n).fill(Number.NaN);
  for (const [t, v] of rows) {
    if (Number.isNaN(v)) continue;
    const i = (t - start) / MINUTE;
    values[i] = Number.isNaN(values[i]!) ? v : values[i]! + v;
  }
  let filled = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i]!)) {
      values[i] = last;
      filled++;
    } else last = values[i]!;
  }
  const scale = options.scale ?? 1;
  if (scale !== 1) for (let i = 0; i < n; i++) values[i] = values[i]! * scale;
  const masked = new Uint8Array(n);
  for (const [from, to] of options.maskSpans ?? []) {
    for (
      let i = Math.max(0, Math.ceil((from - start) / MINUTE));
      i <= Math.min(n - 1, Math.floor((to - start) / MINUTE));
      i++
    )
      masked[i] = 1;
  }
  const run = options.maskZeroRunsMinutes ?? 0;
  if (run > 0) {
    for (let i = 0; i < n;) {
      if (values[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && values[j] === 0) j++;
      if (j - i >= run) masked.fill(1, i, j);
      i = j;
    }
  }
  return {
    start,
    values,
    masked,
    timeColumn: header[columns.time]!,
    valueColumn: header[columns.value]!,
    filled,
  };
}
