/**
 * The harness's arithmetic: CPU cost per request, efficiency against the ceiling of the
 * same round, medians over rounds, ratios, targets, and the scenario list and options they
 * come from. Pure functions on figures given here; the measurement itself is in cpu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { CpuUsage } from '../../bench/cpu.js';
import type { LoadFigures } from '../../bench/load-types.js';
import { DEFAULT_PG_URL, parseOptions } from '../../bench/options.js';
import {
  combineRounds,
  computeRatios,
  costOf,
  evaluateTargets,
  medianRatios,
  withEfficiency,
  type ScenarioResult,
} from '../../bench/report.js';
import { buildScenarios, roundOrder, selectScenarios } from '../../bench/scenarios.js';

function figures(requests: number, p50 = 2, p99 = 5): LoadFigures {
  return {
    requestsPerSec: requests / 10,
    requests,
    durationS: 10,
    latencyMs: { p50, p90: p99, p99, max: p99, mean: p50 },
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: { '200': requests },
    bytesPerResponse: 857,
    loadgenCpuS: 9,
  };
}

function cpu(serverS: number, databaseS: number | null = null): CpuUsage {
  return { server: 90, loadgen: 60, other: 3, serverS, databaseS, windowS: 10 };
}

/** A measured result: `serverS` of CPU for `requests` answered. */
function result(id: string, serverS: number, requests: number, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const [server, rest] = id.split(':') as [ScenarioResult['server'], string];
  const name = rest.replace(/[@[].*$/, '');
  const f = figures(requests, extra.figures?.latencyMs.p50, extra.figures?.latencyMs.p99);
  const usage = cpu(serverS);
  return {
    id,
    base: `${server}:${name}`,
    server,
    name,
    title: id,
    connections: 32,
    instances: 1,
    variant: null,
    storeEsims: server === 'sandbox' ? 10_000 : null,
    figures: f,
    probe: { status: 200, bodyBytes: 700, snippet: '' },
    peakRssMb: 100,
    cpu: usage,
    ...costOf(usage, f),
    efficiency: null,
    error: null,
    ...extra,
  };
}

describe('bench cost per request and efficiency', () => {
  it('divides the server CPU time by the responses answered, in µs', () => {
    expect(costOf(cpu(2.5), figures(50_000))).toEqual({ serverUsPerRequest: 50, databaseUsPerRequest: null });
    expect(costOf(cpu(3, 1.5), figures(10_000))).toEqual({ serverUsPerRequest: 300, databaseUsPerRequest: 150 });
    expect(costOf(cpu(3), figures(0))).toEqual({ serverUsPerRequest: null, databaseUsPerRequest: null });
    expect(costOf(null, figures(10))).toEqual({ serverUsPerRequest: null, databaseUsPerRequest: null });
  });

  it('rates every scenario against the ceiling of its own round', () => {
    const round = withEfficiency([
      result('ceiling:status', 2.5, 50_000), // 50 µs
      result('floor:status', 2.5, 40_000), // 62.5 µs
      result('sandbox:status', 2, 10_000), // 200 µs
    ]);
    expect(round.map((r) => r.efficiency)).toEqual([1, 0.8, 0.25]);
  });

  it('takes medians over rounds: figures per scenario, efficiency per round', () => {
    const rounds = [
      [result('ceiling:status', 0.5, 10_000), result('sandbox:status', 2, 10_000)], // 50 / 200
      [result('ceiling:status', 0.6, 10_000), result('sandbox:status', 2, 10_000)], // 60 / 200
      [result('ceiling:status', 0.4, 10_000), result('sandbox:status', 1, 10_000)], // 40 / 100
    ].map(withEfficiency);
    const [, sandbox] = combineRounds(rounds);
    expect(sandbox!.serverUsPerRequest).toBe(200);
    // Rounds give 0.25, 0.3 and 0.4: the median of those, not 50 / 200 from the medians.
    expect(sandbox!.efficiency).toBe(0.3);
  });

  it('names the ratios of a round: floor, Prism, scale, order of 1000, instances, variants', () => {
    const variant = (value: string) => ({ variable: 'REQUEST_LOG', value });
    const ratios = computeRatios([
      result('ceiling:status', 0.5, 10_000), // 50 µs
      result('floor:status', 0.6, 10_000), // 60 µs
      result('sandbox:status[REQUEST_LOG=on]', 2.2, 10_000, { variant: variant('on') }), // 220 µs
      result('sandbox:status[REQUEST_LOG=off]', 2, 10_000, { variant: variant('off') }), // 200 µs
      result('sandbox:status-10k', 2, 10_000), // 200 µs
      result('sandbox:order-1000', 6, 100, { figures: figures(100, 30, 60) }), // 60,000 µs = 60 per eSIM
      result('sandbox:order-1', 1, 1000), // 1000 µs
      result('sandbox:order-1@2', 1.2, 1000, { instances: 2 }), // 1200 µs
      result('prism:status', 11, 10_000), // 1100 µs
    ]);
    expect(Object.fromEntries(ratios.map((r) => [r.label, Number(r.value!.toFixed(3))]))).toEqual({
      'Fastify floor cost / ceiling cost': 1.2,
      'Prism cost / sandbox cost, eSIM status': 5,
      'sandbox eSIM status cost at N / at 10,000': 1.1,
      'order q=1000: server CPU per eSIM / ceiling CPU per request': 1.2,
      'order q=1000: p99 / p50 latency': 2,
      'sandbox:status: cost with REQUEST_LOG=off / with REQUEST_LOG=on': 0.909,
      'sandbox:order-1: cost at 2 instances / at 1': 1.2,
    });
  });

  it('judges the targets on efficiencies and same-round ratios', () => {
    const variant = (value: string) => ({ variable: 'REQUEST_LOG', value });
    const rounds = [
      [
        result('ceiling:status', 0.5, 10_000), // 50 µs
        result('sandbox:status[REQUEST_LOG=off]', 0.9, 10_000, { variant: variant('off'), storeEsims: 1_000_000 }), // 90
        result('sandbox:status[REQUEST_LOG=on]', 1, 10_000, { variant: variant('on'), storeEsims: 1_000_000 }), // 100
        result('sandbox:status-10k', 0.85, 10_000), // 85
        result('sandbox:plans-jp', 1, 10_000, { storeEsims: 1_000_000 }), // 100
        result('sandbox:order-1', 2.5, 1000, { storeEsims: 1_000_000, peakRssMb: 140 }), // 2500
        result('sandbox:order-1000', 4, 100, { storeEsims: 1_000_000, peakRssMb: 151, figures: figures(100, 40, 50) }),
        result('prism:status', 10, 10_000), // 1000
      ],
    ].map(withEfficiency);
    const results = combineRounds(rounds);
    const targets = evaluateTargets(results, medianRatios(rounds), 1_000_000);
    expect(targets.map((t) => [t.status, t.measured])).toEqual([
      ['met', '0.56'], // status: 50 / 90 (the first variant named is the baseline)
      ['not met', '0.50'], // plans JP
      ['not met', '0.02'], // order of 1: 50 / 2500
      ['met', '0.80x'], // 40,000 µs per order = 40 per eSIM, over 50
      ['met', '1.25x'], // p99 / p50
      ['met', '11.11x'], // Prism 1000 / 90
      ['met', '1.06x'], // 90 / 85
      ['not met', '151 MB'],
      ['met', '1.11x'], // request log: 100 / 90
    ]);
  });
});

describe('bench scenarios and options', () => {
  const base = { esims: 10_000, connections: 32, scale: false, ab: null } as const;

  it('runs status and the order of 1 on PostgreSQL at each instance count, after the references', () => {
    const ids = buildScenarios({ ...base, engine: 'postgres', instances: [1, 2] }).map((s) => s.id);
    expect(ids).toEqual([
      'ceiling:status',
      'floor:status',
      'sandbox:status',
      'sandbox:status@2',
      'sandbox:order-1',
      'sandbox:order-1@2',
    ]);
  });

  it('runs each --ab variant right after the other, the first alternating each round', () => {
    const list = buildScenarios({
      ...base,
      engine: 'sqlite',
      instances: [1],
      ab: { variable: 'REQUEST_LOG', values: ['on', 'off'] },
    });
    const picked = selectScenarios(list, ['ceiling', 'sandbox:status', 'sandbox:order-1000']);
    expect(roundOrder(picked, 1).map((s) => s.id)).toEqual([
      'ceiling:status',
      'sandbox:status[REQUEST_LOG=on]',
      'sandbox:status[REQUEST_LOG=off]',
      'sandbox:order-1000[REQUEST_LOG=on]',
      'sandbox:order-1000[REQUEST_LOG=off]',
    ]);
    expect(roundOrder(picked, 2).map((s) => s.id)).toEqual([
      'ceiling:status',
      'sandbox:status[REQUEST_LOG=off]',
      'sandbox:status[REQUEST_LOG=on]',
      'sandbox:order-1000[REQUEST_LOG=off]',
      'sandbox:order-1000[REQUEST_LOG=on]',
    ]);
    expect(picked[1]!.variant).toEqual({ variable: 'REQUEST_LOG', value: 'on' });
  });

  it('never spreads the one connection of the order of 1000 over two instances', () => {
    const ids = buildScenarios({ ...base, engine: 'sqlite', instances: [2] }).map((s) => s.id);
    expect(ids).toContain('sandbox:order-1@2');
    expect(ids.filter((id) => id.startsWith('sandbox:order-1000'))).toEqual([]);
  });

  it('parses the store, instances, PostgreSQL URL and --ab options', () => {
    const options = parseOptions(['--store', 'postgres', '--instances', '2,1,2', '--ab', 'REQUEST_LOG=on,off'], {});
    expect(options.store).toBe('postgres');
    expect(options.instances).toEqual([1, 2]);
    expect(options.pgUrl).toBe(DEFAULT_PG_URL);
    expect(options.ab).toEqual({ variable: 'REQUEST_LOG', values: ['on', 'off'] });
    expect(options.connections).toBe(32);
    expect(parseOptions([], { BENCH_DATABASE_URL: 'postgres://u@db:5432/x' }).pgUrl).toBe('postgres://u@db:5432/x');
    expect(parseOptions(['--quick']).durationS).toBe(1);
  });

  it('refuses bad options, naming the option and the rule', () => {
    expect(() => parseOptions(['--store', 'mysql'])).toThrow('--store must be sqlite or postgres, got "mysql"');
    expect(() => parseOptions(['--instances', '0'])).toThrow('--instances must be an integer from 1 to 4, got "0"');
    expect(() => parseOptions(['--ab', 'REQUEST_LOG=on'])).toThrow('--ab must be VAR=a,b');
    expect(() => parseOptions(['--ab', 'X=on,on'])).toThrow('--ab must be VAR=a,b');
    expect(() => parseOptions(['--pg-url', 'postgres://h/db?schema=s'])).toThrow('--pg-url must not name a schema');
    expect(() => parseOptions(['--pg-url', 'mysql://h/db'])).toThrow('--pg-url must be a postgres:// URL');
  });
});
