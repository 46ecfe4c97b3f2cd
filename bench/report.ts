/**
 * The run's report: figures per scenario, the server's CPU cost per request and its
 * efficiency against the bare node:http ceiling (both from the same round), ratios between
 * servers of the same round, and the performance targets as a checklist. Rendered as
 * Markdown for people (stdout, results/*.md) and kept raw as JSON for tools
 * (results/*.json). A missed target is a finding, never a failure: nothing here decides the
 * exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CpuUsage } from './cpu.js';
import type { LoadFigures, ProbeResult } from './load-types.js';
import type { Scenario, ServerKind } from './scenarios.js';

/** One scenario's outcome. */
export interface ScenarioResult {
  id: string;
  /** The id without instance count and variant (`sandbox:status`). */
  base: string;
  server: ServerKind;
  name: string;
  title: string;
  connections: number;
  /** Server processes behind the load generator. */
  instances: number;
  /** The `--ab` variant, or null. */
  variant: Scenario['variant'];
  /** eSIMs in the store the sandbox served; null for the references and Prism. */
  storeEsims: number | null;
  figures: LoadFigures | null;
  probe: ProbeResult | null;
  /** Peak RSS of the server process over its life (start-up, warm-up, measurement), MB; the largest instance's. */
  peakRssMb: number | null;
  /** CPU used during the measured run; null without /proc. */
  cpu: CpuUsage | null;
  /**
   * CPU time (user + system) of the server's processes (every instance, and their
   * children) during the measured window over the responses answered in it, µs per request.
   * Null without /proc or without a response.
   */
  serverUsPerRequest: number | null;
  /** The same for the PostgreSQL backends serving the server, µs per request; null for SQLite. */
  databaseUsPerRequest: number | null;
  /**
   * Efficiency: the ceiling's server µs per request over this scenario's, from the same
   * round (1 = as cheap as a bare node:http server answering a constant; 0.5 = twice its
   * cost). Null when either cost is missing.
   */
  efficiency: number | null;
  /** Why the scenario could not run (server did not start, worker died); null when it ran. */
  error: string | null;
}

/** A whole run, as written to results/<stamp>.json. */
export interface RunReport {
  /** ISO 8601 UTC start of the run. */
  startedAt: string;
  /** The command that reproduces the run. */
  command: string;
  mode: 'quick' | 'default' | 'scale';
  settings: {
    esims: number;
    warmupS: number;
    durationS: number;
    connections: number;
    repeat: number;
    only: string[];
    store: 'sqlite' | 'postgres';
    instances: number[];
    ab: string | null;
  };
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    platform: string;
    node: string;
    loadAverage1m: number;
    /** 1-minute load average as the run ended. */
    loadAverage1mEnd: number | null;
  };
  code: { commit: string | null; uncommittedChanges: boolean | null };
  tools: { autocannon: string; prism: string; fastify: string; postgres: string | null };
  seeding: { esims: number; seconds: number; fileMb: number | null }[];
  /** Per scenario: the one round's result, or with --repeat the medians over the rounds. */
  results: ScenarioResult[];
  /** Every round as measured (one with no --repeat). */
  rounds: ScenarioResult[][];
  /** The ratios of each round, or their medians with --repeat. */
  ratios: Ratio[];
  targets: Target[];
}

/** A ratio of two figures of the same round. */
export interface Ratio {
  label: string;
  value: number | null;
}

/** One performance target with what this run measured. */
export interface Target {
  label: string;
  /** What was measured, formatted (e.g. `0.64`, `38 ms`), or null when the run did not measure it. */
  measured: string | null;
  status: 'met' | 'not met' | 'not measured';
  note: string | null;
}

/**
 * "Other" CPU (% of a core) from which a scenario is reported as run on a shared machine.
 * A quiet machine shows 0-5 (the kernel's loopback work is charged to the two processes).
 */
const SHARED_OTHER_CPU_PCT = 25;

/** eSIMs at which the status-cost and RSS targets are set. */
const TARGET_ESIMS = 1_000_000;
/** The ceiling's result: every efficiency is measured against it. */
const CEILING = 'ceiling:status';

/**
 * Server (and database) CPU per answered request of a measured run, µs. Every response
 * counts, whatever its status (a server answering 4xx still did the work).
 */
export function costOf(
  cpu: CpuUsage | null,
  figures: LoadFigures | null,
): { serverUsPerRequest: number | null; databaseUsPerRequest: number | null } {
  if (!cpu || !figures || figures.requests === 0) return { serverUsPerRequest: null, databaseUsPerRequest: null };
  return {
    serverUsPerRequest: (cpu.serverS * 1e6) / figures.requests,
    databaseUsPerRequest: cpu.databaseS === null ? null : (cpu.databaseS * 1e6) / figures.requests,
  };
}

/** A round's results with each one's efficiency against that round's ceiling. */
export function withEfficiency(round: readonly ScenarioResult[]): ScenarioResult[] {
  const ceiling = round.find((r) => r.id === CEILING)?.serverUsPerRequest ?? null;
  return round.map((r) => ({
    ...r,
    efficiency: ceiling !== null && r.serverUsPerRequest ? ceiling / r.serverUsPerRequest : null,
  }));
}

/**
 * One result per scenario from rounds of the same scenario list: every figure is the
 * median over the rounds that ran (non-2xx, errors and status counts are summed, so that
 * a problem in any round shows); a round that failed is named in `error`.
 */
export function combineRounds(rounds: readonly ScenarioResult[][]): ScenarioResult[] {
  const [first] = rounds;
  if (!first || rounds.length === 1) return first ?? [];
  return first.map((head, i) => {
    const runs = rounds.map((round) => round[i]!);
    const figures = runs.flatMap((r) => (r.figures ? [r.figures] : []));
    const errors = runs.flatMap((r, k) => (r.error ? [`round ${k + 1}: ${r.error}`] : []));
    const med = (pick: (r: ScenarioResult) => number | null) =>
      median(runs.flatMap((r) => (pick(r) === null ? [] : [pick(r)!])));
    return {
      ...head,
      figures: figures.length > 0 ? medianFigures(figures) : null,
      probe: runs.find((r) => r.probe && (r.probe.status < 200 || r.probe.status > 299))?.probe ?? head.probe,
      peakRssMb: med((r) => r.peakRssMb),
      cpu: medianCpu(runs.flatMap((r) => (r.cpu ? [r.cpu] : []))),
      serverUsPerRequest: med((r) => r.serverUsPerRequest),
      databaseUsPerRequest: med((r) => r.databaseUsPerRequest),
      // The median of each round's efficiency: a cost is compared with its own round's ceiling only.
      efficiency: med((r) => r.efficiency),
      error: errors.length > 0 ? errors.join('; ') : null,
    };
  });
}

function medianFigures(list: readonly LoadFigures[]): LoadFigures {
  const med = (pick: (f: LoadFigures) => number) => median(list.map(pick))!;
  const sum = (pick: (f: LoadFigures) => number) => list.reduce((total, f) => total + pick(f), 0);
  const statusCodes: Record<string, number> = {};
  for (const f of list)
    for (const [code, n] of Object.entries(f.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const bytes = list.flatMap((f) => (f.bytesPerResponse === null ? [] : [f.bytesPerResponse]));
  return {
    requestsPerSec: med((f) => f.requestsPerSec),
    requests: med((f) => f.requests),
    durationS: med((f) => f.durationS),
    latencyMs: {
      p50: med((f) => f.latencyMs.p50),
      p90: med((f) => f.latencyMs.p90),
      p99: med((f) => f.latencyMs.p99),
      max: med((f) => f.latencyMs.max),
      mean: med((f) => f.latencyMs.mean),
    },
    non2xx: sum((f) => f.non2xx),
    errors: sum((f) => f.errors),
    timeouts: sum((f) => f.timeouts),
    statusCodes,
    bytesPerResponse: median(bytes),
    loadgenCpuS: med((f) => f.loadgenCpuS),
  };
}

function medianCpu(list: readonly CpuUsage[]): CpuUsage | null {
  if (list.length === 0) return null;
  const med = (pick: (c: CpuUsage) => number) => median(list.map(pick))!;
  const databases = list.flatMap((c) => (c.databaseS === null ? [] : [c.databaseS]));
  return {
    // Whole percents, as each round's.
    server: Math.round(med((c) => c.server)),
    loadgen: Math.round(med((c) => c.loadgen)),
    other: Math.round(med((c) => c.other)),
    serverS: med((c) => c.serverS),
    databaseS: median(databases),
    windowS: med((c) => c.windowS),
  };
}

/** Each round's ratios, then per ratio the median over the rounds: ratios stay within a round. */
export function medianRatios(rounds: readonly ScenarioResult[][]): Ratio[] {
  const perRound = rounds.map(computeRatios);
  return (perRound[0] ?? []).map((ratio, i) => ({
    ...ratio,
    value: median(perRound.flatMap((round) => (round[i]?.value == null ? [] : [round[i].value]))),
  }));
}

/** The median of numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The result a target reads for a scenario: at the fewest instances, and with `--ab` the
 * first value's variant (the one named first is the baseline).
 */
export function primary(results: readonly ScenarioResult[], base: string): ScenarioResult | null {
  const candidates = results.filter((r) => r.base === base);
  if (candidates.length === 0) return null;
  const fewest = Math.min(...candidates.map((r) => r.instances));
  return candidates.find((r) => r.instances === fewest) ?? null;
}

function cost(results: readonly ScenarioResult[], base: string): number | null {
  return primary(results, base)?.serverUsPerRequest ?? null;
}

function quotient(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b ? a / b : null;
}

/** Labels of the ratios the targets read. */
const PRISM_RATIO = 'Prism cost / sandbox cost, eSIM status';
const SCALE_RATIO = 'sandbox eSIM status cost at N / at 10,000';
const PER_ESIM_RATIO = 'order q=1000: server CPU per eSIM / ceiling CPU per request';
const TAIL_RATIO = 'order q=1000: p99 / p50 latency';

/** The ratios of one round's results (costs are server µs per request, from the same round). */
export function computeRatios(results: readonly ScenarioResult[]): Ratio[] {
  const ratios: Ratio[] = [
    {
      label: 'Fastify floor cost / ceiling cost',
      value: quotient(cost(results, 'floor:status'), cost(results, CEILING)),
    },
  ];
  if (results.some((r) => r.base === 'prism:status')) {
    ratios.push({
      label: PRISM_RATIO,
      value: quotient(cost(results, 'prism:status'), cost(results, 'sandbox:status')),
    });
  }
  if (results.some((r) => r.base === 'sandbox:status-10k')) {
    ratios.push({
      label: SCALE_RATIO,
      value: quotient(cost(results, 'sandbox:status'), cost(results, 'sandbox:status-10k')),
    });
  }
  const big = primary(results, 'sandbox:order-1000');
  if (big) {
    const perEsim = big.serverUsPerRequest === null ? null : big.serverUsPerRequest / 1000;
    ratios.push(
      { label: PER_ESIM_RATIO, value: quotient(perEsim, cost(results, CEILING)) },
      { label: TAIL_RATIO, value: quotient(big.figures?.latencyMs.p99, big.figures?.latencyMs.p50) },
    );
  }
  // The cost of each instance count over one instance, and of each --ab variant over the first.
  for (const r of results) {
    if (r.server !== 'sandbox') continue;
    const single = results.find((o) => o.base === r.base && o.instances === 1 && sameVariant(o, r));
    if (r.instances > 1 && single) {
      ratios.push({
        label: `${r.base}${variantLabel(r)}: cost at ${r.instances} instances / at 1`,
        value: quotient(r.serverUsPerRequest, single.serverUsPerRequest),
      });
    }
    const first = results.find((o) => o.base === r.base && o.instances === r.instances && o.variant !== null);
    if (r.variant && first && first !== r) {
      ratios.push({
        label: abLabel(r.base, r.instances, r.variant, first.variant!),
        value: quotient(r.serverUsPerRequest, first.serverUsPerRequest),
      });
    }
  }
  return ratios;
}

function sameVariant(a: ScenarioResult, b: ScenarioResult): boolean {
  return a.variant?.value === b.variant?.value;
}

function variantLabel(r: ScenarioResult): string {
  return r.variant ? `[${r.variant.variable}=${r.variant.value}]` : '';
}

/** The performance targets, judged on this run's figures (medians of rounds with --repeat). */
export function evaluateTargets(results: readonly ScenarioResult[], ratios: readonly Ratio[], esims: number): Target[] {
  const ratioOf = (label: string) => ratios.find((r) => r.label === label)?.value ?? null;
  const atScale = esims >= TARGET_ESIMS;
  const scaleNote = atScale ? null : `measured at N = ${fmtInt(esims)}; the target is at 1,000,000: run \`--scale\``;
  const efficiency = (base: string, min: number, label: string, note: string | null = null): Target => {
    const value = primary(results, base)?.efficiency ?? null;
    return judge(label, value === null ? null : value.toFixed(2), value === null ? null : value >= min, note);
  };
  const atMostX = (label: string, value: number | null, max: number, note: string | null = null): Target =>
    judge(label, value === null ? null : `${value.toFixed(2)}x`, value === null ? null : value <= max, note);

  // The highest peak of the sandbox on the main store, whichever scenario caused it.
  const highest = results
    .filter((r) => r.server === 'sandbox' && r.storeEsims === esims && r.peakRssMb !== null)
    .reduce<ScenarioResult | null>((top, r) => (top === null || r.peakRssMb! > top.peakRssMb! ? r : top), null);
  const rssLabel = 'sandbox peak RSS <= 150 MB through every scenario at 1,000,000 eSIMs';
  const rss = highest
    ? judge(
        rssLabel,
        `${highest.peakRssMb!.toFixed(0)} MB`,
        atScale ? highest.peakRssMb! <= 150 : null,
        `highest peak, in ${highest.id}${atScale ? '' : `; ${scaleNote}`}`,
      )
    : judge(rssLabel, null, null);
  const prism = ratioOf(PRISM_RATIO);
  const scale = ratioOf(SCALE_RATIO);
  const logRatio = requestLogCost(results, ratios);
  return [
    efficiency('sandbox:status', 0.5, 'eSIM status (random ICCIDs among 1,000,000): efficiency >= 0.5', scaleNote),
    efficiency('sandbox:plans-jp', 0.6, 'plans countryCode=JP&limit=10: efficiency >= 0.6'),
    efficiency('sandbox:order-1', 0.2, 'order of 1 eSIM: efficiency >= 0.2'),
    atMostX(
      'order of 1,000 eSIMs: server CPU per eSIM <= 1.0x the ceiling CPU per request',
      ratioOf(PER_ESIM_RATIO),
      1,
    ),
    atMostX('order of 1,000 eSIMs: p99 latency <= 1.5x p50', ratioOf(TAIL_RATIO), 1.5),
    judge(
      "Prism's cost per status request >= 10x ours",
      prism === null ? null : `${prism.toFixed(2)}x`,
      prism === null ? null : prism >= 10,
    ),
    scale !== null && atScale
      ? atMostX('eSIM status cost at 1,000,000 eSIMs within 10% of the cost at 10,000', scale, 1.1)
      : judge('eSIM status cost at 1,000,000 eSIMs within 10% of the cost at 10,000', null, null, 'needs `--scale`'),
    rss,
    logRatio === null
      ? judge(LOG_TARGET, null, null, 'needs `--ab REQUEST_LOG=on,off`')
      : atMostX(LOG_TARGET, logRatio, 1.15, 'eSIM status, cost with the request log on / off'),
  ];
}

function judge(label: string, measured: string | null, met: boolean | null, note: string | null = null): Target {
  return { label, measured, status: met === null ? 'not measured' : met ? 'met' : 'not met', note };
}

const LOG_TARGET = 'request log on: at most 15% more CPU per status request than off';

/**
 * Status cost with REQUEST_LOG=on over off, from the per-round `--ab` ratio (whichever
 * value was named first); null when the run had no such `--ab`.
 */
function requestLogCost(results: readonly ScenarioResult[], ratios: readonly Ratio[]): number | null {
  const variants = results.filter((r) => r.base === 'sandbox:status' && r.instances === 1 && r.variant !== null);
  const first = variants[0]?.variant;
  const second = variants[1]?.variant;
  if (first?.variable !== 'REQUEST_LOG' || !second) return null;
  const values = new Set([first.value, second.value]);
  if (!values.has('on') || !values.has('off')) return null;
  const value = ratios.find((r) => r.label === abLabel('sandbox:status', 1, second, first))?.value ?? null;
  if (value === null) return null;
  return second.value === 'on' ? value : 1 / value;
}

/** The label of an `--ab` ratio: the cost with variant `b` over the cost with `a`. */
function abLabel(base: string, instances: number, b: Variant, a: Variant): string {
  return `${base}${instances > 1 ? `@${instances}` : ''}: cost with ${b.variable}=${b.value} / with ${a.variable}=${a.value}`;
}

type Variant = NonNullable<Scenario['variant']>;

/** What went wrong in a scenario (no answer, errors, non-2xx), empty when it ran clean. */
export function problemsOf(result: ScenarioResult): string[] {
  if (result.error) return [result.error];
  const f = result.figures;
  if (!f) return ['no figures'];
  const problems: string[] = [];
  if (f.requests === 0) problems.push('no response at all');
  if (f.errors > 0) problems.push(`${f.errors} connection errors (${f.timeouts} timeouts)`);
  if (f.non2xx > 0) {
    const codes = Object.entries(f.statusCodes)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, n]) => `${n} x ${code}`);
    problems.push(`${f.non2xx} non-2xx responses (${codes.join(', ')})`);
  }
  if (result.probe && (result.probe.status < 200 || result.probe.status > 299)) {
    problems.push(`probe answered ${result.probe.status}: ${result.probe.snippet}`);
  }
  return problems;
}

/** The report as Markdown. */
export function renderMarkdown(report: RunReport): string {
  const m = report.machine;
  const s = report.settings;
  const postgres = s.store === 'postgres';
  const lines: string[] = [
    `# Benchmark ${report.startedAt.slice(0, 19)}Z (${report.mode}${postgres ? ', PostgreSQL' : ''})`,
    '',
    `- Command: \`${report.command}\``,
    `- Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB.toFixed(0)} GiB RAM, ${m.platform}; Node ${m.node}; ` +
      `load average ${m.loadAverage1m} at start${m.loadAverage1mEnd === null ? '' : `, ${m.loadAverage1mEnd} at the end`}`,
    `- Code: ${report.code.commit ? `commit ${report.code.commit}` : 'commit unknown'}${report.code.uncommittedChanges ? ' with uncommitted changes' : ''}`,
    `- Store: ${postgres ? `PostgreSQL ${report.tools.postgres ?? ''} (a schema of the run's own, shared by its scenarios)` : 'SQLite (a fresh copy per scenario)'}, N = ${fmtInt(s.esims)} eSIMs; ` +
      `${report.seeding.map((x) => `seeding ${fmtInt(x.esims)} took ${x.seconds.toFixed(1)} s${x.fileMb === null ? '' : ` (${x.fileMb.toFixed(0)} MB file)`}`).join('; ') || 'not seeded'}`,
    `- Load: autocannon ${report.tools.autocannon} in its own process, ${s.warmupS} s warm-up then ${s.durationS} s measured per scenario, ` +
      `${s.connections} connections (order q=1000: 1); every server started fresh for each scenario; Fastify ${report.tools.fastify}; Prism ${report.tools.prism}, static examples`,
    ...(s.instances.some((n) => n > 1)
      ? [
          `- Instances: ${s.instances.join(', ')}; the connections go round-robin over the instances; costs sum every instance's CPU`,
        ]
      : []),
    ...(s.ab
      ? [
          `- A/B: \`${s.ab}\`, the two variants of a scenario one right after the other, the first alternating each round`,
        ]
      : []),
    ...(s.repeat > 1
      ? [
          `- Rounds: ${s.repeat}, every scenario once per round; figures are medians over the rounds, efficiencies and ratios the median of each round's own`,
        ]
      : []),
    ...(s.only.length > 0 ? [`- Only: ${s.only.join(', ')}`] : []),
    '',
    `| server | scenario | connections | requests/s | p50 ms | p99 ms | server µs/req | efficiency |${postgres ? ' database µs/req |' : ''} peak RSS MB | CPU % server/loadgen/other | non-2xx | errors | bytes/resp |`,
    `|---|---|--:|--:|--:|--:|--:|--:|${postgres ? '--:|' : ''}--:|--:|--:|--:|--:|`,
    ...report.results.map((r) => row(r, postgres)),
    '',
    `## Ratios (server CPU per request, same ${s.repeat > 1 ? 'round; median of the rounds' : 'run'})`,
    '',
    '| ratio | value |',
    '|---|--:|',
    ...report.ratios.map((r) => `| ${r.label} | ${r.value === null ? 'n/a' : `${r.value.toFixed(2)}x`} |`),
    '',
    '## Targets',
    '',
    ...report.targets.map(targetLine),
    '',
    "server µs/req: CPU time (user + system, /proc) of the server's processes during the measured run over the",
    "responses it answered. Efficiency: the ceiling's µs/req over the scenario's, same round. requests/s: mean of",
    'per-second samples. Latency: 2xx responses only, 1 ms resolution. Peak RSS: VmHWM of the server process',
    '(start-up, warm-up and measurement). CPU %: of one core during the measured run (the machine has 200 with 2 cores)',
    'for the server, the load generator and everything else; a high "other" means the run shared the machine.',
    ...(postgres
      ? [
          'database µs/req: CPU time of the PostgreSQL backends serving the sandbox, per request (not in the efficiency).',
        ]
      : []),
    s.repeat > 1
      ? `Medians of ${s.repeat} rounds.`
      : 'Targets are judged on medians of 3 rounds; this is one round (`--repeat 3` runs three).',
  ];
  const shared = report.results.filter((r) => r.cpu && r.cpu.other >= SHARED_OTHER_CPU_PCT);
  if (shared.length > 0) {
    lines.push(
      '',
      `**The machine was shared**: outside work took ${SHARED_OTHER_CPU_PCT}% of a core or more during ${shared.map((r) => `${r.id} (${r.cpu!.other}%)`).join(', ')}; ` +
        'requests/s there are low by up to that much (CPU per request much less so). Run again on a quieter machine, or with `--repeat 3`.',
    );
  }
  const failing = report.results.map((r) => [r.id, problemsOf(r)] as const).filter(([, p]) => p.length > 0);
  if (failing.length > 0) {
    lines.push('', '## Problems', '', ...failing.map(([id, p]) => `- ${id}: ${p.join('; ')}`));
  }
  return lines.join('\n') + '\n';
}

function row(r: ScenarioResult, postgres: boolean): string {
  const f = r.figures;
  const cells = [
    r.server,
    `${r.id.slice(r.server.length + 1)}: ${r.title}`,
    String(r.connections),
    f ? fmtRps(f.requestsPerSec) : r.error ? 'failed' : '-',
    f ? fmtMs(f.latencyMs.p50) : '-',
    f ? fmtMs(f.latencyMs.p99) : '-',
    r.serverUsPerRequest === null ? '-' : fmtUs(r.serverUsPerRequest),
    r.efficiency === null ? '-' : r.efficiency.toFixed(2),
    ...(postgres ? [r.databaseUsPerRequest === null ? '-' : fmtUs(r.databaseUsPerRequest)] : []),
    r.peakRssMb === null ? '-' : r.peakRssMb.toFixed(0),
    r.cpu ? `${r.cpu.server}/${r.cpu.loadgen}/${r.cpu.other}` : '-',
    f ? fmtInt(f.non2xx) : '-',
    f ? fmtInt(f.errors) : '-',
    f?.bytesPerResponse ? String(f.bytesPerResponse) : '-',
  ];
  return `| ${cells.join(' | ')} |`;
}

function targetLine(t: Target): string {
  const box = t.status === 'met' ? '[x]' : '[ ]';
  const measured = t.measured === null ? '' : `: **${t.measured}**`;
  return `- ${box} ${t.label}${measured}, ${t.status}${t.note ? ` (${t.note})` : ''}`;
}

/**
 * Writes `<stamp><kind>.md` and `<stamp><kind>.json` into `dir`, and `latest<kind>.md` when
 * `latest`, where kind is empty for a default run, `-scale`, `-postgres` or both (so that
 * the latest default, scale and PostgreSQL runs are kept side by side).
 * @returns the paths written.
 */
export function writeReport(report: RunReport, markdown: string, dir: string, latest: boolean): string[] {
  mkdirSync(dir, { recursive: true });
  const kind = `${report.mode === 'scale' ? '-scale' : ''}${report.settings.store === 'postgres' ? '-postgres' : ''}`;
  // `2026-11-29T10-30-00Z`: sortable, and no ':' (invalid in file names on some systems).
  const stamp = `${report.startedAt.slice(0, 19).replaceAll(':', '-')}Z${kind}${report.settings.only.length > 0 ? '-partial' : ''}`;
  const written = [join(dir, `${stamp}.md`), join(dir, `${stamp}.json`)];
  writeFileSync(written[0]!, markdown);
  writeFileSync(written[1]!, JSON.stringify(report, null, 2) + '\n');
  if (latest) {
    written.push(join(dir, `latest${kind}.md`));
    writeFileSync(written[2]!, markdown);
  }
  return written;
}

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

function fmtRps(n: number): string {
  return n >= 100 ? fmtInt(Math.round(n)) : n.toFixed(1);
}

function fmtMs(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** µs: whole above 100, one decimal below. */
function fmtUs(n: number): string {
  return n >= 100 ? fmtInt(Math.round(n)) : n.toFixed(1);
}
