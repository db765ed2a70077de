import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, type DescFile } from '@bufbuild/protobuf';
import * as wkt from '@bufbuild/protobuf/wkt';
import { file_cel_expr_conformance_proto2_test_all_types } from '@bufbuild/cel-spec/cel/expr/conformance/proto2/test_all_types_pb.js';
import { file_cel_expr_conformance_proto2_test_all_types_extensions } from '@bufbuild/cel-spec/cel/expr/conformance/proto2/test_all_types_extensions_pb.js';
import { file_cel_expr_conformance_proto3_test_all_types } from '@bufbuild/cel-spec/cel/expr/conformance/proto3/test_all_types_pb.js';
import {
  file_cel_expr_conformance_test_simple,
  SimpleTestFileSchema,
  type SimpleTestFile,
} from '@bufbuild/cel-spec/cel/expr/conformance/test/simple_pb.js';
import type { Type } from '@bufbuild/cel-spec/cel/expr/checked_pb.js';
import { loadCandidates, type Candidate, type Case } from './candidates';
import { parseTextproto } from './textproto';
import { fromSpecValue, same, type N } from './values';

export interface CelBenchOptions {
  /** Folder holding google/cel-spec's tests/simple/testdata/*.textproto. */
  testdata: string;
  iterations: number;
  rounds: number;
  /** Candidate names to run (bufbuild, marcbachmann, cel-js); default every installed one. */
  only?: string[];
  /** Print each failing test of each candidate. */
  verbose?: boolean;
}

/**
 * A typical classification rule over a Pattern-like activation: equality, a numeric bound, list
 * membership, a string method and a regular expression.
 */
export const SPEED_EXPRESSION =
  "pattern.normalized.kind == 'transaction' && pattern.normalized.amount >= 10000.0 && " +
  "('card' in pattern.normalized.tags || pattern.normalized.extra.channel.startsWith('e')) && " +
  "pattern.source.matches('^fraud[.]')";

const SPEED_PATTERN = {
  id: '01930000-0000-7000-8000-000000000002',
  tenant: 'acme',
  source: 'fraud.cards',
  contentType: 'application/json',
  attributes: { region: 'eu-west-1' },
  normalized: {
    kind: 'transaction',
    summary: 'card purchase',
    severity: 4,
    amount: 12500,
    currency: 'EUR',
    tags: ['fraud', 'card'],
    extra: { channel: 'ecommerce', card_present: false },
  },
};

export async function benchCel(opts: CelBenchOptions): Promise<void> {
  const files = [
    file_cel_expr_conformance_test_simple,
    file_cel_expr_conformance_proto3_test_all_types,
    file_cel_expr_conformance_proto2_test_all_types,
    file_cel_expr_conformance_proto2_test_all_types_extensions,
    ...Object.values(wkt).filter((v): v is DescFile => (v as { kind?: unknown })?.kind === 'file'),
  ];
  const registry = createRegistry(...files);
  const candidates = await loadCandidates(registry, opts.only);
  if (candidates.length === 0) throw new Error('no CEL candidate is installed');

  const names = readdirSync(opts.testdata)
    .filter((f) => f.endsWith('.textproto'))
    .sort();
  if (names.length === 0) throw new Error(`no .textproto files in ${opts.testdata}`);
  const passed = new Map(candidates.map((c) => [c.name, 0]));
  let total = 0;
  console.log(`conformance: ${names.length} files from ${opts.testdata}`);
  console.log(['file'.padEnd(26), 'tests', ...candidates.map((c) => c.name.padStart(13))].join(' '));
  for (const name of names) {
    const file = parseTextproto(
      SimpleTestFileSchema,
      readFileSync(join(opts.testdata, name), 'utf8'),
      registry,
    ) as SimpleTestFile;
    const perFile = new Map(candidates.map((c) => [c.name, 0]));
    let n = 0;
    for (const section of file.section) {
      for (const test of section.test) {
        n++;
        const { c, expect } = toCase(test, registry);
        for (const cand of candidates) {
          const ok = judge(cand, c, expect);
          if (ok) perFile.set(cand.name, perFile.get(cand.name)! + 1);
          else if (opts.verbose)
            console.log(`  FAIL ${cand.name} ${file.name}/${section.name}/${test.name}: ${test.expr}`);
        }
      }
    }
    total += n;
    for (const cand of candidates) passed.set(cand.name, passed.get(cand.name)! + perFile.get(cand.name)!);
    console.log(
      [
        name.replace('.textproto', '').padEnd(26),
        String(n).padStart(5),
        ...candidates.map((c) => String(perFile.get(c.name)).padStart(13)),
      ].join(' '),
    );
  }
  console.log(
    [
      'TOTAL'.padEnd(26),
      String(total).padStart(5),
      ...candidates.map((c) => String(passed.get(c.name)).padStart(13)),
    ].join(' '),
  );

  console.log(`\nspeed: ${opts.rounds} rounds × ${opts.iterations} evaluations of\n  ${SPEED_EXPRESSION}`);
  const speeds = new Map<string, number>();
  for (const cand of candidates) {
    let fn: (a: Record<string, unknown>) => unknown;
    const activation = { pattern: cand.input(SPEED_PATTERN) };
    let check: unknown;
    try {
      fn = cand.compile(SPEED_EXPRESSION, ['pattern']);
      check = fn(activation);
    } catch (e) {
      check = e instanceof Error ? e.message.split('\n')[0] : e;
    }
    if (check !== true) {
      console.log(`  ${cand.name}: the expression did not evaluate to true (${String(check)}); not timed`);
      speeds.set(cand.name, 0);
      continue;
    }
    for (let i = 0; i < Math.min(20_000, opts.iterations); i++) fn!(activation); // warm-up
    const perRound: number[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < opts.iterations; i++) fn!(activation);
      perRound.push(Number(process.hrtime.bigint() - t0) / opts.iterations);
    }
    perRound.sort((a, b) => a - b);
    const ns = perRound[Math.floor(perRound.length / 2)]!;
    speeds.set(cand.name, 1e9 / ns);
    console.log(
      `  ${cand.name}@${cand.version}: ${ns.toFixed(0)} ns/eval, ${Math.round(1e9 / ns)} evals/s (median; rounds ${perRound.map((x) => x.toFixed(0)).join('/')} ns)`,
    );
  }
  console.log('');
  for (const cand of candidates) {
    console.log(
      `RESULT cel-${cand.name} version=${cand.version} conformance_passed=${passed.get(cand.name)} conformance_total=${total} evals_per_s=${Math.round(speeds.get(cand.name)!)}`,
    );
  }
}

type Expect =
  { kind: 'value'; value: N } | { kind: 'error' } | { kind: 'compiles' } | { kind: 'unsupported' };

function toCase(
  test: SimpleTestFile['section'][number]['test'][number],
  registry: Parameters<typeof fromSpecValue>[1],
) {
  const bindings = new Map<string, N>();
  for (const [k, v] of Object.entries(test.bindings)) {
    bindings.set(
      k,
      v.kind.case === 'value'
        ? fromSpecValue(v.kind.value, registry)
        : { k: 'opaque', v: 'non-value binding' },
    );
  }
  const vars = new Map<string, Type | undefined>();
  for (const d of test.typeEnv) if (d.declKind.case === 'ident') vars.set(d.name, d.declKind.value.type);
  const c: Case = {
    expr: test.expr,
    container: test.container,
    bindings,
    vars,
    disableCheck: test.disableCheck,
    checkOnly: test.checkOnly,
  };
  const m = test.resultMatcher;
  let expect: Expect;
  if (test.checkOnly) expect = { kind: 'compiles' };
  else if (m.case === 'value') expect = { kind: 'value', value: fromSpecValue(m.value, registry) };
  else if (m.case === 'typedResult')
    expect = { kind: 'value', value: fromSpecValue(m.value.result, registry) };
  else if (m.case === 'evalError' || m.case === 'anyEvalErrors') expect = { kind: 'error' };
  else if (m.case === undefined)
    expect = { kind: 'value', value: { k: 'bool', v: true } }; // the spec's default
  else expect = { kind: 'unsupported' };
  return { c, expect };
}

function judge(cand: Candidate, c: Case, expect: Expect): boolean {
  const out = cand.run(c);
  switch (expect.kind) {
    case 'compiles':
      return out.ok;
    case 'error':
      return !out.ok;
    case 'value':
      return out.ok && same(out.value, expect.value);
    case 'unsupported':
      return false;
  }
}
