/**
 * The run's report: figures per scenario, ratios between servers of the same run, and the
 * issue's targets as a checklist. Rendered as Markdown for people (stdout, results/*.md)
 * and kept raw as JSON for tools (results/*.json). A missed target is a finding, never a
 * failure: nothing here decides the exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CpuUsage } from './cpu.js';
import type { LoadFigures, ProbeResult } from './load-types.js';
import type { ServerKind } from './scenarios.js';

/** One scenario's outcome. */
export interface ScenarioResult {
  id: string;
  server: ServerKind;
  name: string;
  title: string;
  connections: number;
  /** eSIMs in the store the sandbox served; null for the ceiling and Prism. */
  storeEsims: number | null;
  figures: LoadFigures | null;
  probe: ProbeResult | null;
  /** Peak RSS of the server process over its life (start-up, warm-up, measurement), MB. */
  peakRssMb: number | null;
  /** CPU used during the measured run, % of one core; null without /proc. */
  cpu: CpuUsage | null;
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
  settings: { esims: number; warmupS: number; durationS: number; connections: number; repeat: number; only: string[] };
  machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string; node: string; loadAverage1m: number };
  code: { commit: string | null; uncommittedChanges: boolean | null };
  tools: { autocannon: string; prism: string };
  seeding: { esims: number; seconds: number; fileMb: number }[];
  /** Per scenario: the one round's result, or with --repeat the medians over the rounds. */
  results: ScenarioResult[];
  /** Every round as measured (one with no --repeat). */
  rounds: ScenarioResult[][];
  /** The ratios of each round, or their medians with --repeat. */
  ratios: Ratio[];
  targets: Target[];
}

/** requests/s of one scenario over another's, from the same run. */
export interface Ratio {
  label: string;
  numerator: string;
  denominator: string;
  value: number | null;
}

/** One target of issue 3 with what this run measured. */
export interface Target {
  label: string;
  /** What was measured, formatted (e.g. `0.64x`, `38 ms`), or null when the run did not measure it. */
  measured: string | null;
  status: 'met' | 'not met' | 'not measured';
  note: string | null;
}

/**
 * "Other" CPU (% of a core) from which a scenario is reported as run on a shared machine.
 * A quiet machine shows 0-5 (the kernel's loopback work is charged to the two processes).
 */
const SHARED_OTHER_CPU_PCT = 25;

/** eSIMs at which the issue sets the status and RSS targets. */
const TARGET_ESIMS = 1_000_000;
const RSS_TARGET = 'server RSS <= 200 MB with 1,000,000 eSIMs';
const COST_TARGET = 'status read cost at 1,000,000 within 10% of 10,000';

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
    const rss = runs.flatMap((r) => (r.peakRssMb === null ? [] : [r.peakRssMb]));
    return {
      ...head,
      figures: figures.length > 0 ? medianFigures(figures) : null,
      probe: runs.find((r) => r.probe && (r.probe.status < 200 || r.probe.status > 299))?.probe ?? head.probe,
      peakRssMb: median(rss),
      cpu: medianCpu(runs.flatMap((r) => (r.cpu ? [r.cpu] : []))),
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
  return {
    server: median(list.map((c) => c.server))!,
    loadgen: median(list.map((c) => c.loadgen))!,
    other: median(list.map((c) => c.other))!,
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

/** The ratios the issue asks for, from the results present. */
export function computeRatios(results: readonly ScenarioResult[]): Ratio[] {
  const ratio = (label: string, numerator: string, denominator: string): Ratio => {
    const a = rps(results, numerator);
    const b = rps(results, denominator);
    return { label, numerator, denominator, value: a !== null && b ? a / b : null };
  };
  const ratios = [
    ratio('sandbox / ceiling, eSIM status', 'sandbox:status', 'ceiling:status'),
    ratio('sandbox / ceiling, plans JP', 'sandbox:plans-jp', 'ceiling:status'),
    ratio('sandbox / ceiling, order q=1', 'sandbox:order-1', 'ceiling:status'),
    ratio('sandbox / Prism, eSIM status', 'sandbox:status', 'prism:status'),
  ];
  if (results.some((r) => r.id === 'sandbox:status-10k')) {
    ratios.push(ratio('eSIM status at N / at 10,000 (requests/s)', 'sandbox:status', 'sandbox:status-10k'));
  }
  return ratios;
}

/** The issue's targets, judged on this run's figures. */
export function evaluateTargets(results: readonly ScenarioResult[], ratios: readonly Ratio[], esims: number): Target[] {
  const ratioOf = (label: string) => ratios.find((r) => r.label === label)?.value ?? null;
  const atScale = esims >= TARGET_ESIMS;
  const scaleNote = atScale ? null : `measured at N = ${fmtInt(esims)}; the target is at 1,000,000: run \`--scale\``;
  const atLeast = (label: string, value: number | null, min: number, note: string | null = null): Target =>
    judge(label, value === null ? null : `${value.toFixed(2)}x`, value === null ? null : value >= min, note);

  const bigOrder = results.find((r) => r.id === 'sandbox:order-1000')?.figures ?? null;
  // The highest peak of the sandbox on the main store, whichever scenario caused it.
  const highest = results
    .filter((r) => r.server === 'sandbox' && r.storeEsims === esims && r.peakRssMb !== null)
    .reduce<ScenarioResult | null>((top, r) => (top === null || r.peakRssMb! > top.peakRssMb! ? r : top), null);
  const peakRss = highest?.peakRssMb ?? null;
  const statusRss = results.find((r) => r.id === 'sandbox:status')?.peakRssMb ?? null;
  const rssNote = highest
    ? `highest peak, in ${highest.id}${statusRss === null ? '' : `; eSIM status: ${statusRss.toFixed(0)} MB`}`
    : null;
  const perRead = ratioOf('eSIM status at N / at 10,000 (requests/s)');
  // Cost of a read is 1 / (requests/s): cost at N over cost at 10,000 is the inverse ratio.
  const costRatio = perRead ? 1 / perRead : null;

  return [
    atLeast('eSIM status (random ICCIDs) >= 0.6x ceiling', ratioOf('sandbox / ceiling, eSIM status'), 0.6, scaleNote),
    atLeast('plans countryCode=JP&limit=10 >= 0.6x ceiling', ratioOf('sandbox / ceiling, plans JP'), 0.6),
    atLeast('eSIM status >= 10x Prism', ratioOf('sandbox / Prism, eSIM status'), 10),
    atLeast('order quantity 1 >= 0.25x ceiling', ratioOf('sandbox / ceiling, order q=1'), 0.25),
    judge(
      'order quantity 1000: p50 <= 50 ms',
      bigOrder ? `${fmtMs(bigOrder.latencyMs.p50)} ms` : null,
      bigOrder ? bigOrder.latencyMs.p50 <= 50 : null,
    ),
    judge(
      'order quantity 1000: p99 <= 150 ms',
      bigOrder ? `${fmtMs(bigOrder.latencyMs.p99)} ms` : null,
      bigOrder ? bigOrder.latencyMs.p99 <= 150 : null,
    ),
    peakRss !== null && !atScale
      ? {
          label: RSS_TARGET,
          measured: `${peakRss.toFixed(0)} MB`,
          status: 'not measured',
          note: `${rssNote}; ${scaleNote}`,
        }
      : judge(
          RSS_TARGET,
          peakRss === null ? null : `${peakRss.toFixed(0)} MB`,
          peakRss === null ? null : peakRss <= 200,
          rssNote,
        ),
    costRatio !== null && atScale
      ? judge(COST_TARGET, `${costRatio.toFixed(2)}x the cost at 10,000`, costRatio <= 1.1)
      : { label: COST_TARGET, measured: null, status: 'not measured', note: 'needs `--scale`' },
  ];
}

function judge(label: string, measured: string | null, met: boolean | null, note: string | null = null): Target {
  return { label, measured, status: met === null ? 'not measured' : met ? 'met' : 'not met', note };
}

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
  const lines: string[] = [
    `# Benchmark ${report.startedAt.slice(0, 19)}Z (${report.mode})`,
    '',
    `- Command: \`${report.command}\``,
    `- Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB.toFixed(0)} GiB RAM, ${m.platform}; Node ${m.node}; load average ${m.loadAverage1m} at start`,
    `- Code: ${report.code.commit ? `commit ${report.code.commit}` : 'commit unknown'}${report.code.uncommittedChanges ? ' with uncommitted changes' : ''}`,
    `- Store: N = ${fmtInt(s.esims)} eSIMs; ${report.seeding.map((x) => `seeding ${fmtInt(x.esims)} took ${x.seconds.toFixed(1)} s (${x.fileMb.toFixed(0)} MB file)`).join('; ') || 'not seeded'}`,
    `- Load: autocannon ${report.tools.autocannon} in its own process, ${s.warmupS} s warm-up then ${s.durationS} s measured per scenario, ` +
      `${s.connections} connections (order q=1000: 1); every server started fresh for each scenario; Prism ${report.tools.prism}, static examples`,
    ...(s.repeat > 1
      ? [
          `- Rounds: ${s.repeat}, every scenario once per round; figures are medians over the rounds, ratios the median of each round's ratio`,
        ]
      : []),
    ...(s.only.length > 0 ? [`- Only: ${s.only.join(', ')}`] : []),
    '',
    '| server | scenario | connections | duration s | requests/s | p50 ms | p99 ms | non-2xx | errors | peak RSS MB | bytes/resp | CPU % server/loadgen/other |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...report.results.map(row),
    '',
    `## Ratios (requests/s, same ${s.repeat > 1 ? 'round; median of the rounds' : 'run'})`,
    '',
    '| ratio | value |',
    '|---|--:|',
    ...report.ratios.map((r) => `| ${r.label} | ${r.value === null ? 'n/a' : `${r.value.toFixed(2)}x`} |`),
    '',
    '## Targets (issue 3)',
    '',
    ...report.targets.map(targetLine),
    '',
    'requests/s: mean of per-second samples. Latency: 2xx responses only, 1 ms resolution. Peak RSS: the server',
    "process's VmHWM (start-up, warm-up and measurement). bytes/resp: a 2xx response on the wire, headers included.",
    'CPU %: of one core during the measured run (the machine has 200 with 2 cores) for the server, the load generator',
    'and everything else; a high "other" means the run shared the machine with other work.',
    s.repeat > 1
      ? `Medians of ${s.repeat} rounds.`
      : 'The issue judges targets on medians of 3 runs; this is one run (`--repeat 3` runs three rounds).',
  ];
  const shared = report.results.filter((r) => r.cpu && r.cpu.other >= SHARED_OTHER_CPU_PCT);
  if (shared.length > 0) {
    lines.push(
      '',
      `**The machine was shared**: outside work took ${SHARED_OTHER_CPU_PCT}% of a core or more during ${shared.map((r) => `${r.id} (${r.cpu!.other}%)`).join(', ')}; ` +
        'those figures are low by up to that much. Run again on a quieter machine, or with `--repeat 3`.',
    );
  }
  const failing = report.results.map((r) => [r.id, problemsOf(r)] as const).filter(([, p]) => p.length > 0);
  if (failing.length > 0) {
    lines.push('', '## Problems', '', ...failing.map(([id, p]) => `- ${id}: ${p.join('; ')}`));
  }
  return lines.join('\n') + '\n';
}

function row(r: ScenarioResult): string {
  const f = r.figures;
  const cells = [
    r.server,
    `${r.name}: ${r.title}`,
    String(r.connections),
    f ? f.durationS.toFixed(1) : '-',
    f ? fmtRps(f.requestsPerSec) : r.error ? 'failed' : '-',
    f ? fmtMs(f.latencyMs.p50) : '-',
    f ? fmtMs(f.latencyMs.p99) : '-',
    f ? fmtInt(f.non2xx) : '-',
    f ? fmtInt(f.errors) : '-',
    r.peakRssMb === null ? '-' : r.peakRssMb.toFixed(0),
    f?.bytesPerResponse ? String(f.bytesPerResponse) : '-',
    r.cpu ? `${r.cpu.server}/${r.cpu.loadgen}/${r.cpu.other}` : '-',
  ];
  return `| ${cells.join(' | ')} |`;
}

function targetLine(t: Target): string {
  const box = t.status === 'met' ? '[x]' : '[ ]';
  const measured = t.measured === null ? '' : `: **${t.measured}**`;
  return `- ${box} ${t.label}${measured}, ${t.status}${t.note ? ` (${t.note})` : ''}`;
}

/**
 * Writes `<stamp>.md` and `<stamp>.json` into `dir`, and `latest.md` when `latest`.
 * @returns the paths written.
 */
export function writeReport(report: RunReport, markdown: string, dir: string, latest: boolean): string[] {
  mkdirSync(dir, { recursive: true });
  // `2026-11-29T10-30-00Z`: sortable, and no ':' (invalid in file names on some systems).
  const stamp = `${report.startedAt.slice(0, 19).replaceAll(':', '-')}Z${report.mode === 'scale' ? '-scale' : ''}${report.settings.only.length > 0 ? '-partial' : ''}`;
  const written = [join(dir, `${stamp}.md`), join(dir, `${stamp}.json`)];
  writeFileSync(written[0]!, markdown);
  writeFileSync(written[1]!, JSON.stringify(report, null, 2) + '\n');
  if (latest) {
    written.push(join(dir, 'latest.md'));
    writeFileSync(written[2]!, markdown);
  }
  return written;
}

function rps(results: readonly ScenarioResult[], id: string): number | null {
  return results.find((r) => r.id === id)?.figures?.requestsPerSec ?? null;
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
