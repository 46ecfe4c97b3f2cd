/**
 * Command-line options of `npm run bench -- [options]`.
 */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run bench -- [options]

  --duration <s>      measured seconds per scenario (default 10; --quick: 2)
  --warmup <s>        warm-up seconds before each measurement (default 2; --quick: 0.5)
  --connections <n>   concurrent connections (default 50; the order of 1000 always runs at 1)
  --scale             N = 1,000,000 eSIMs, plus the status scenario on 10,000 to compare
  --esims <n>         N, eSIMs seeded in the store (default 10,000; --scale: 1,000,000; --quick: 1,000)
  --quick             short run for CI: N = 1,000, 2 s per scenario; exits 1 if any scenario
                      saw an error or a non-2xx response; writes no result files
  --only <pattern>    run only matching scenarios (repeatable or comma-separated): a full id
                      (sandbox:plans-jp), a server (ceiling, sandbox, prism) or a name (status)
  --repeat <n>        run every scenario n times, in rounds; the report shows per-scenario
                      medians and the median of each round's ratios (default 1)
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
  help: boolean;
}

/**
 * Parses the arguments after `--`.
 * @throws Error naming the option whose value is invalid, or an unknown option.
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
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
      help: { type: 'boolean', default: false },
    },
  });
  if (values.quick && values.scale) throw new Error('--quick and --scale exclude each other');
  const mode = values.quick ? 'quick' : values.scale ? 'scale' : 'default';
  const defaults = {
    quick: { esims: 1_000, durationS: 2, warmupS: 0.5 },
    default: { esims: 10_000, durationS: 10, warmupS: 2 },
    scale: { esims: 1_000_000, durationS: 10, warmupS: 2 },
  }[mode];
  return {
    mode,
    esims: integer('--esims', values.esims, defaults.esims, 1, 10_000_000),
    durationS: seconds('--duration', values.duration, defaults.durationS, 1),
    warmupS: seconds('--warmup', values.warmup, defaults.warmupS, 0),
    connections: integer('--connections', values.connections, 50, 1, 1000),
    repeat: integer('--repeat', values.repeat, 1, 1, 20),
    only: (values.only ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
    cpuProf: values['cpu-prof'] ?? false,
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
