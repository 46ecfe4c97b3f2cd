/**
 * The benchmark's scenarios as plain data: which server, which request, how many
 * connections. Data only, because the request side runs in the load worker (a separate
 * process), which rebuilds the request generator from this description.
 */

/** The servers compared side by side. */
export type ServerKind = 'ceiling' | 'sandbox' | 'prism';

/** Which seeded store a sandbox scenario serves: the main one (N eSIMs) or the 10,000 one of `--scale`. */
export type StoreKind = 'main' | 'small';

/**
 * A request path: fixed, or a template whose `{iccid}` is replaced on every request by
 * `sandboxIccid(k)`, k drawn uniformly from 1..count by an LCG seeded with `seed`
 * (deterministic: the same run asks for the same eSIMs in the same order).
 */
export type PathSpec =
  { kind: 'fixed'; path: string } | { kind: 'random-esim'; template: string; count: number; seed: number };

/** One HTTP request shape. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: PathSpec;
  /** JSON body, already serialized (sent with `Content-Type: application/json`). */
  body?: string;
}

/** One measured load: a server, a request shape, a number of connections. */
export interface Scenario {
  /** `<server>:<name>`, e.g. `sandbox:status`; what `--only` matches. */
  id: string;
  server: ServerKind;
  /** The part after the colon: `status`, `plans-jp`, ... */
  name: string;
  /** Human description for the report. */
  title: string;
  /** The store a sandbox scenario runs on; null for the ceiling and Prism. */
  store: StoreKind | null;
  request: RequestSpec;
  /** Concurrent keep-alive connections. */
  connections: number;
}

/** The ICCID Prism is asked for: the contract's example (a mock answers any valid one alike). */
export const PRISM_ICCID = '8900000000000000011';
/** Plan ordered by the order scenarios: the reference's own example plan. */
export const ORDER_PLAN = 'KD0001';
/** Days in the data-usage PUT body. */
export const USAGE_DAYS = 30;
/** eSIMs in the comparison store of `--scale` (the "cost at 10,000" side). */
export const SMALL_STORE_ESIMS = 10_000;

/** What the scenario list depends on. */
export interface ScenarioOptions {
  /** eSIMs in the main store (N). */
  esims: number;
  /** Connections of every scenario but the order of 1000 (which runs at 1). */
  connections: number;
  /** Adds the status scenario on a 10,000-eSIM store, to compare the cost of a read. */
  scale: boolean;
}

/**
 * Every scenario of a run, in the order they run: reads before writes, so that the eSIMs
 * the order scenarios add (up to ~10^5 in a default run) do not change what the reads see.
 */
export function buildScenarios(options: ScenarioOptions): Scenario[] {
  const { esims, connections } = options;
  const status = (count: number): RequestSpec => ({
    method: 'GET',
    path: { kind: 'random-esim', template: '/v1/esims/{iccid}', count, seed: 0x5eed_0001 },
  });
  const list: Scenario[] = [
    // The ceiling takes exactly the sandbox's request stream, so the load generator does the same work for both.
    scenario(
      'ceiling',
      'status',
      `constant eSIM status JSON (node:http), random ICCID paths`,
      null,
      status(esims),
      connections,
    ),
    scenario('sandbox', 'status', `eSIM status, random ICCID of ${fmt(esims)}`, 'main', status(esims), connections),
  ];
  if (options.scale) {
    list.push(
      scenario(
        'sandbox',
        'status-10k',
        `eSIM status, random ICCID of ${fmt(SMALL_STORE_ESIMS)}`,
        'small',
        status(SMALL_STORE_ESIMS),
        connections,
      ),
    );
  }
  list.push(
    scenario(
      'sandbox',
      'plans-jp',
      'plans ?countryCode=JP&limit=10',
      'main',
      get('/v1/plans?countryCode=JP&limit=10'),
      connections,
    ),
    scenario('sandbox', 'plans-200', 'plans ?limit=200', 'main', get('/v1/plans?limit=200'), connections),
    scenario(
      'sandbox',
      'data-usage',
      `data-usage PUT of ${USAGE_DAYS} days, random ICCID of ${fmt(esims)}`,
      'main',
      {
        method: 'PUT',
        path: {
          kind: 'random-esim',
          template: '/v1/sandbox/esims/{iccid}/data-usage',
          count: esims,
          seed: 0x5eed_0002,
        },
        body: JSON.stringify(usageList(USAGE_DAYS)),
      },
      connections,
    ),
    scenario('sandbox', 'order-1', `order ${ORDER_PLAN} quantity 1`, 'main', order(1), connections),
    // Latency distribution of the largest order, one at a time: the target is p50/p99, not throughput.
    scenario('sandbox', 'order-1000', `order ${ORDER_PLAN} quantity 1000`, 'main', order(1000), 1),
    scenario(
      'prism',
      'status',
      `Prism mock, GET /v1/esims/${PRISM_ICCID}`,
      null,
      get(`/v1/esims/${PRISM_ICCID}`),
      connections,
    ),
  );
  return list;
}

/**
 * The scenarios `--only` selects: each pattern is a full id (`sandbox:plans-jp`), a
 * server (`prism`) or a scenario name (`status`, all servers).
 * @throws Error naming a pattern that matches nothing, with the ids there are.
 */
export function selectScenarios(all: readonly Scenario[], patterns: readonly string[]): Scenario[] {
  if (patterns.length === 0) return [...all];
  for (const pattern of patterns) {
    if (!all.some((s) => matches(s, pattern))) {
      throw new Error(`--only ${pattern} matches no scenario; scenarios: ${all.map((s) => s.id).join(', ')}`);
    }
  }
  return all.filter((s) => patterns.some((p) => matches(s, p)));
}

function matches(s: Scenario, pattern: string): boolean {
  return s.id === pattern || s.server === pattern || s.name === pattern;
}

function scenario(
  server: ServerKind,
  name: string,
  title: string,
  store: StoreKind | null,
  request: RequestSpec,
  connections: number,
): Scenario {
  return { id: `${server}:${name}`, server, name, title, store, request, connections };
}

function get(path: string): RequestSpec {
  return { method: 'GET', path: { kind: 'fixed', path } };
}

function order(quantity: number): RequestSpec {
  return {
    method: 'POST',
    path: { kind: 'fixed', path: '/v1/orders' },
    body: JSON.stringify({ planCode: ORDER_PLAN, quantity }),
  };
}

/** `days` consecutive days from 2025-11-01, 100 MB (102400 KB) each. */
function usageList(days: number): { day: string; usage: string }[] {
  const start = Date.UTC(2025, 10, 1);
  return Array.from({ length: days }, (_, i) => ({
    day: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    usage: '102400',
  }));
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
