/**
 * The benchmark's scenarios as plain data: which server, which request, how many
 * connections. Data only, because the request side runs in the load worker (a separate
 * process), which rebuilds the request generator from this description.
 */

/**
 * The servers compared side by side: two references (the bare node:http ceiling and the
 * Fastify floor), the sandbox, and Prism (the mock a reseller would otherwise use).
 */
export type ServerKind = 'ceiling' | 'floor' | 'sandbox' | 'prism';

/** Which seeded store a sandbox scenario serves: the main one (N eSIMs) or the 10,000 one of `--scale`. */
export type StoreKind = 'main' | 'small';

/** The database engine the sandbox runs on (`--store`). */
export type StoreEngine = 'sqlite' | 'postgres';

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
  /**
   * `<server>:<name>`, plus `@<instances>` when the sandbox runs as more than one process
   * and `[VAR=value]` for an `--ab` variant: `sandbox:status`, `sandbox:order-1@2`,
   * `sandbox:status[REQUEST_LOG=off]`. What `--only` matches, with `base`, server and name.
   */
  id: string;
  /** `<server>:<name>` alone: the same for every instance count and variant. */
  base: string;
  server: ServerKind;
  /** The part after the colon: `status`, `plans-jp`, ... */
  name: string;
  /** Human description for the report. */
  title: string;
  /** The store a sandbox scenario runs on; null for the references and Prism. */
  store: StoreKind | null;
  request: RequestSpec;
  /** Concurrent keep-alive connections, spread evenly over the instances. */
  connections: number;
  /** Server processes behind the load generator (the sandbox with `--instances 2`); 1 otherwise. */
  instances: number;
  /** `--ab`: the variable set in the sandbox's environment, or null. */
  variant: { variable: string; value: string } | null;
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
  /** PostgreSQL runs the sandbox's status and order of 1 only (and no Prism: it has no store). */
  engine: StoreEngine;
  /** Sandbox instance counts, each a scenario of its own. */
  instances: readonly number[];
  /** `--ab`: every sandbox scenario runs once per value. */
  ab: { variable: string; values: readonly [string, string] } | null;
}

/**
 * Every scenario of a run, in the order they run: the references first, then the sandbox's
 * reads before its writes, so that the eSIMs the order scenarios add (up to ~10^5 in a
 * default run) do not change what the reads see. Instance counts and `--ab` variants of a
 * scenario run one right after the other.
 */
export function buildScenarios(options: ScenarioOptions): Scenario[] {
  const { esims, connections } = options;
  const status = (count: number): RequestSpec => ({
    method: 'GET',
    path: { kind: 'random-esim', template: '/v1/esims/{iccid}', count, seed: 0x5eed_0001 },
  });
  // The references take exactly the sandbox's request stream, so the load generator does the same work for all.
  const list: Scenario[] = [
    reference('ceiling', 'constant eSIM status JSON (node:http), random ICCID paths', status(esims), connections),
    reference('floor', 'constant eSIM status JSON (Fastify, one route, same schemas)', status(esims), connections),
  ];
  const sandbox: [name: string, title: string, store: StoreKind, request: RequestSpec, connections: number][] = [
    ['status', `eSIM status, random ICCID of ${fmt(esims)}`, 'main', status(esims), connections],
  ];
  if (options.scale) {
    sandbox.push([
      'status-10k',
      `eSIM status, random ICCID of ${fmt(SMALL_STORE_ESIMS)}`,
      'small',
      status(SMALL_STORE_ESIMS),
      connections,
    ]);
  }
  if (options.engine === 'sqlite') {
    sandbox.push(
      ['plans-jp', 'plans ?countryCode=JP&limit=10', 'main', get('/v1/plans?countryCode=JP&limit=10'), connections],
      ['plans-200', 'plans ?limit=200', 'main', get('/v1/plans?limit=200'), connections],
      [
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
      ],
    );
  }
  sandbox.push(['order-1', `order ${ORDER_PLAN} quantity 1`, 'main', order(1), connections]);
  // Latency distribution of the largest order, one at a time: the target is p50/p99 and CPU per eSIM, not throughput.
  if (options.engine === 'sqlite') {
    sandbox.push(['order-1000', `order ${ORDER_PLAN} quantity 1000`, 'main', order(1000), 1]);
  }
  const variants = options.ab ? options.ab.values.map((value) => ({ variable: options.ab!.variable, value })) : [null];
  for (const [name, title, store, request, conns] of sandbox) {
    for (const instances of options.instances) {
      // One connection cannot be spread over two instances.
      if (instances > conns) continue;
      for (const variant of variants) {
        const suffix =
          (instances === 1 ? '' : `@${instances}`) + (variant ? `[${variant.variable}=${variant.value}]` : '');
        list.push({
          id: `sandbox:${name}${suffix}`,
          base: `sandbox:${name}`,
          server: 'sandbox',
          name,
          title:
            title +
            (instances === 1 ? '' : `, ${instances} instances`) +
            (variant ? `, ${variant.variable}=${variant.value}` : ''),
          store,
          request,
          connections: conns,
          instances,
          variant,
        });
      }
    }
  }
  if (options.engine === 'sqlite') {
    list.push(
      reference('prism', `Prism mock, GET /v1/esims/${PRISM_ICCID}`, get(`/v1/esims/${PRISM_ICCID}`), connections),
    );
  }
  return list;
}

/**
 * The scenarios `--only` selects: each pattern is a full id (`sandbox:status@2`), an id
 * without its instances and variant (`sandbox:plans-jp`), a server (`prism`) or a scenario
 * name (`status`, all servers).
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

/**
 * The order of a round: the list's, except that the `--ab` variants of a scenario (adjacent
 * in the list) run in reverse order every second round, so that neither always runs first
 * (on a warming or cooling machine, first and second differ).
 */
export function roundOrder(scenarios: readonly Scenario[], roundNo: number): Scenario[] {
  if (roundNo % 2 === 1) return [...scenarios];
  const order: Scenario[] = [];
  let group: Scenario[] = [];
  const flush = () => {
    order.push(...group.reverse());
    group = [];
  };
  for (const s of scenarios) {
    const last = group[group.length - 1];
    if (last && !(s.variant && last.base === s.base && last.instances === s.instances)) flush();
    group.push(s);
  }
  flush();
  return order;
}

function matches(s: Scenario, pattern: string): boolean {
  return s.id === pattern || s.base === pattern || s.server === pattern || s.name === pattern;
}

/** A scenario of one of the servers that take no store (the references, Prism): all named `status`. */
function reference(server: ServerKind, title: string, request: RequestSpec, connections: number): Scenario {
  const id = `${server}:status`;
  return {
    id,
    base: id,
    server,
    name: 'status',
    title,
    store: null,
    request,
    connections,
    instances: 1,
    variant: null,
  };
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
