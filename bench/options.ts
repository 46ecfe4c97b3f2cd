/**
 * Command-line options of `npm run bench -- [options]`.
 */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run bench -- [options]

  --duration <s>      measured seconds per scenario (default 10; --quick: 1)
  --warmup <s>        warm-up seconds before each measurement (default 2; --quick: 0.5)
  --connections <n>   concurrent connections (default 32; the order of 1000 always runs at 1)
  --scale             N = 1,000,000 eSIMs, plus the status scenario on 10,000 to compare
  --esims <n>         N, eSIMs seeded in the store (default 10,000; --scale: 1,000,000; --quick: 1,000)
  --quick             short run for CI: N = 1,000, 1 s per scenario; exits 1 if any scenario
                      saw an error or a non-2xx response; writes no result files
  --only <pattern>    run only matching scenarios (repeatable or comma-separated): a full id
                      (sandbox:plans-jp), a server (ceiling, sandbox, prism) or a name (status)
  --repeat <n>        run every scenario n times, in rounds; the report shows per-scenario
                      medians and the median of each round's ratios (default 1)
  --store <kind>      sqlite (default: every scenario) or postgres (the sandbox's eSIM status and
                      order of 1, on a schema of its own in --pg-url, with the ceiling and floor)
  --instances <list>  sandbox instances behind the load generator (round-robin over their
                      connections), comma-separated counts run side by side: 1 (default), 2, 1,2
  --pg-url <url>      PostgreSQL server of --store postgres (default BENCH_DATABASE_URL, else
                      postgres://postgres@127.0.0.1:5432/test); the run creates and drops its schema
  --ab VAR=a,b        runs every sandbox scenario once with VAR=a and once with VAR=b in the
                      sandbox's environment, one right after the other (alternating which goes
                      first each round), and reports the cost of b against a
  --cpu-prof          run the sandbox with node --cpu-prof; profiles go to bench/results/profiles/
  --help              this text
`;

/** The run's settings, defaults applied. */
export interface BenchOptions {
  mode: 'quick' | 'default' | 'scale';
  /** eSIMs in the main store (N). */
  esims: number;
  durationS: number;
  warmupS: number;
  connections: number;
  only: string[];
  /** Rounds of the whole scenario list; figures and ratios are medians over them. */
  repeat: number;
  cpuProf: boolean;
  store: 'sqlite' | 'postgres';
  /** Instance counts the sandbox scenarios run at, ascending, distinct. */
  instances: number[];
  /** PostgreSQL server URL of `--store postgres` (no schema: the run makes its own). */
  pgUrl: string;
  /** `--ab VAR=a,b`: the variable and its two values, or null. */
  ab: { variable: string; values: [string, string] } | null;
  help: boolean;
}

/** PostgreSQL server of `--store postgres` when neither --pg-url nor BENCH_DATABASE_URL says. */
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Parses the arguments after `--`.
 * @throws Error naming the option whose value is invalid, or an unknown option.
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      esims: { type: 'string' },
      scale: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      repeat: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      store: { type: 'string' },
      instances: { type: 'string' },
      'pg-url': { type: 'string' },
      ab: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.quick && values.scale) throw new Error('--quick and --scale exclude each other');
  const mode = values.quick ? 'quick' : values.scale ? 'scale' : 'default';
  const defaults = {
    quick: { esims: 1_000, durationS: 1, warmupS: 0.5 },
    default: { esims: 10_000, durationS: 10, warmupS: 2 },
    scale: { esims: 1_000_000, durationS: 10, warmupS: 2 },
  }[mode];
  return {
    mode,
    esims: integer('--esims', values.esims, defaults.esims, 1, 10_000_000),
    durationS: seconds('--duration', values.duration, defaults.durationS, 1),
    warmupS: seconds('--warmup', values.warmup, defaults.warmupS, 0),
    connections: integer('--connections', values.connections, 32, 1, 1000),
    repeat: integer('--repeat', values.repeat, 1, 1, 20),
    only: (values.only ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
    cpuProf: values['cpu-prof'] ?? false,
    store: storeKind(values.store),
    instances: instanceCounts(values.instances),
    pgUrl: pgUrl(values['pg-url'] ?? env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL),
    ab: abOption(values.ab),
    help: values.help ?? false,
  };
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

function seconds(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > 3600)
    throw new Error(`${name} must be a number of seconds from ${min} to 3600, got "${value}"`);
  return n;
}

function storeKind(value: string | undefined): BenchOptions['store'] {
  if (value === undefined || value === 'sqlite' || value === 'postgres') return value ?? 'sqlite';
  throw new Error(`--store must be sqlite or postgres, got "${value}"`);
}

function instanceCounts(value: string | undefined): number[] {
  if (value === undefined) return [1];
  const counts = value.split(',').map((v) => integer('--instances', v.trim(), 1, 1, 4));
  return [...new Set(counts)].sort((a, b) => a - b);
}

function pgUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--pg-url must be a postgres:// URL, got "${value}"`);
  }
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error(`--pg-url must be a postgres:// URL, got "${value}"`);
  if (url.searchParams.has('schema')) throw new Error('--pg-url must not name a schema: the run creates its own');
  return value;
}

/** `VAR=a,b`: an environment variable name and two different values. */
function abOption(value: string | undefined): BenchOptions['ab'] {
  if (value === undefined) return null;
  const match = /^([A-Z_][A-Z0-9_]*)=([^,]*),([^,]*)$/.exec(value);
  if (!match || match[2] === match[3])
    throw new Error(`--ab must be VAR=a,b (an upper-case variable and two different values), got "${value}"`);
  return { variable: match[1]!, values: [match[2]!, match[3]!] };
}
