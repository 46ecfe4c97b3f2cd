/**
 * `npm run bench`: the benchmark harness. In one run on one machine it seeds a store of N
 * eSIMs through the store layer (a SQLite file, or a PostgreSQL schema), then for each
 * scenario starts the server under test in its own process (the bare node:http ceiling,
 * the Fastify floor, the compiled sandbox, one or more instances, or Prism), loads it from
 * a separate load-worker process with autocannon (warm-up, then the measured run), reads
 * the CPU time the server spent in the measured run and its peak RSS, and stops it. The
 * server's CPU per answered request, against the ceiling's in the same round, is the main
 * figure. With --repeat the whole list runs in rounds and the report takes medians. It
 * prints a Markdown report and writes it, with the raw figures, to bench/results/.
 *
 * Exit code: 0 when every scenario ran (missed targets are findings, not failures); 1 when a
 * scenario could not run, or, with --quick, answered with an error or a non-2xx status;
 * 2 for bad options.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { cpuSnapshot, cpuUsage, onlyDatabasePids, pidsNamed, type CpuSnapshot } from './cpu.js';
import { ROOT } from './dist.js';
import type { LoadSpec } from './load-types.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import {
  backendPids,
  benchPostgres,
  dropSchemas,
  isLoopback,
  schemaUrl,
  serverVersion,
  type BenchPostgres,
} from './postgres.js';
import {
  combineRounds,
  costOf,
  evaluateTargets,
  medianRatios,
  problemsOf,
  renderMarkdown,
  writeReport,
  type RunReport,
  type ScenarioResult,
  withEfficiency,
} from './report.js';
import {
  buildScenarios,
  roundOrder,
  selectScenarios,
  SMALL_STORE_ESIMS,
  type Scenario,
  type StoreKind,
} from './scenarios.js';
import { seedStore, type SeedResult } from './seed.js';
import { startPrism, startReference, startSandbox, stopAll, type ServerProcess } from './servers.js';
import { killWorkers, runLoad } from './worker.js';

/** The reseller and key every request authenticates with (the stores are throwaway). */
const RESELLER = 'bench';
const API_KEY = 'bench_sandbox_key_0001';
const RESULTS_DIR = join(ROOT, 'bench', 'results');

const log = (line: string) => process.stdout.write(line + '\n');

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const all = buildScenarios({
    esims: options.esims,
    connections: options.connections,
    scale: options.mode === 'scale',
    engine: options.store,
    instances: options.instances,
    ab: options.ab,
  });
  let scenarios: Scenario[];
  try {
    scenarios = selectScenarios(all, options.only);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }

  const startedAt = new Date().toISOString();
  const machineAtStart = machine();
  const tmp = mkdtempSync(join(tmpdir(), 'esim-bench-'));
  const postgres = options.store === 'postgres' ? benchPostgres(options.pgUrl) : null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    // Also tells the scenario loop to start nothing more.
    cleaned = true;
    killWorkers();
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
    const failed = postgres ? await dropSchemas(postgres) : null;
    if (failed) process.stderr.write(`bench: could not drop the schemas ${postgres!.schemaPrefix}_*: ${failed}\n`);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
  }

  try {
    log(
      `bench (${options.mode}, ${options.store}): ${scenarios.length} scenarios, N = ${options.esims.toLocaleString('en-US')}, ` +
        `${options.warmupS} s warm-up + ${options.durationS} s each, ${options.connections} connections; temp ${tmp}`,
    );
    const postgresVersion = postgres ? await serverVersion(postgres) : null;
    const stores = await seedStores(scenarios, options, tmp, postgres);
    const openapi = join(tmp, 'openapi.json');
    copyFileSync(join(ROOT, 'openapi.json'), openapi);
    const profileDir = options.cpuProf ? join(RESULTS_DIR, 'profiles') : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });

    const context: StartContext = { tmp, openapi, stores, profileDir, postgres, cancelled: () => cleaned };
    const rounds = await runRounds(scenarios, options, context);
    const results = combineRounds(rounds);
    const ratios = medianRatios(rounds);
    const report: RunReport = {
      startedAt,
      command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
      mode: options.mode,
      settings: {
        esims: options.esims,
        warmupS: options.warmupS,
        durationS: options.durationS,
        connections: options.connections,
        repeat: options.repeat,
        only: options.only,
        store: options.store,
        instances: options.instances,
        ab: options.ab ? `${options.ab.variable}=${options.ab.values.join(',')}` : null,
      },
      machine: { ...machineAtStart, loadAverage1mEnd: round(loadavg()[0] ?? 0, 2) },
      code: codeVersion(),
      tools: {
        autocannon: versionOf('autocannon'),
        prism: versionOf('@stoplight/prism-cli'),
        fastify: versionOf('fastify'),
        postgres: postgresVersion,
      },
      seeding: [...stores.values()].map((s) => ({
        esims: s.esims,
        seconds: round(s.seconds, 2),
        fileMb: s.fileMb === null ? null : round(s.fileMb, 1),
      })),
      results,
      rounds,
      ratios,
      targets: evaluateTargets(results, ratios, options.esims),
    };
    const markdown = renderMarkdown(report);
    log('\n' + markdown);
    if (options.mode === 'quick') {
      log('quick mode: figures from such short runs are not comparable; no result files written');
    } else {
      // latest.md is what bench/README.md quotes: only a complete, non-quick run replaces it.
      for (const file of writeReport(report, markdown, RESULTS_DIR, options.only.length === 0)) log(`wrote ${file}`);
    }
    return exitCode(results, options);
  } finally {
    await cleanup();
  }
}

/**
 * Seeds the stores the selected scenarios need (none for the references and Prism alone):
 * SQLite files in the run's folder, or schemas of the run on the PostgreSQL server.
 */
async function seedStores(
  scenarios: readonly Scenario[],
  options: BenchOptions,
  dir: string,
  postgres: BenchPostgres | null,
): Promise<Map<StoreKind, SeedResult>> {
  const stores = new Map<StoreKind, SeedResult>();
  const wanted = new Set(scenarios.map((s) => s.store).filter((s): s is StoreKind => s !== null));
  for (const kind of (['main', 'small'] as const).filter((k) => wanted.has(k))) {
    const esims = kind === 'main' ? options.esims : SMALL_STORE_ESIMS;
    log(`seeding ${esims.toLocaleString('en-US')} eSIMs through the store layer (orders of 1000)...`);
    const databaseUrl = postgres ? schemaUrl(postgres, kind) : `sqlite:${join(dir, `${kind}.db`)}`;
    const seeded = await seedStore({ databaseUrl, esims, reseller: RESELLER, apiKey: API_KEY, log });
    log(
      `  seeded ${esims.toLocaleString('en-US')} eSIMs in ${seeded.seconds.toFixed(1)} s` +
        (seeded.fileMb === null ? '' : ` (${seeded.fileMb.toFixed(0)} MB)`),
    );
    stores.set(kind, seeded);
  }
  return stores;
}

/** Runs the scenario list `--repeat` times, one scenario at a time. */
async function runRounds(
  scenarios: readonly Scenario[],
  options: BenchOptions,
  context: StartContext,
): Promise<ScenarioResult[][]> {
  const rounds: ScenarioResult[][] = [];
  for (let roundNo = 1; roundNo <= options.repeat; roundNo++) {
    if (options.repeat > 1) log(`round ${roundNo} of ${options.repeat}`);
    // Results stay in list order, whatever order they ran in.
    const results = new Map<Scenario, ScenarioResult>();
    for (const scenario of roundOrder(scenarios, roundNo)) {
      if (context.cancelled()) throw new Error('interrupted');
      const storeEsims = scenario.store ? (context.stores.get(scenario.store)?.esims ?? null) : null;
      results.set(
        scenario,
        await runScenario(scenario, () => startServersFor(scenario, context), storeEsims, options, context),
      );
    }
    rounds.push(withEfficiency(scenarios.map((s) => results.get(s)!)));
  }
  return rounds;
}

/** What starting a server for a scenario needs. */
interface StartContext {
  tmp: string;
  /** The run's copy of openapi.json, for Prism. */
  openapi: string;
  /** The seeded stores, never served directly: each sandbox scenario gets a fresh copy. */
  stores: Map<StoreKind, SeedResult>;
  profileDir: string | undefined;
  /** The PostgreSQL server of `--store postgres`; null for SQLite. */
  postgres: BenchPostgres | null;
  /** True once cleanup has begun (a signal): start nothing more. */
  cancelled: () => boolean;
}

/** The process or processes serving one scenario. */
interface ServerGroup {
  pids: number[];
  baseUrls: string[];
  /** The largest instance's peak RSS, MB; null without /proc. */
  peakRssMb(): number | null;
  stop(): Promise<void>;
}

/**
 * Starts the scenario's server, or its `instances` sandbox processes on one store. A SQLite
 * sandbox serves a fresh copy of the seeded store, so that every scenario (and every
 * round) sees exactly the N seeded eSIMs, whatever the order scenarios before it added (an
 * order-1000 run adds ~10^5 eSIMs). A PostgreSQL sandbox serves the seeded schema itself
 * (a copy would cost a reseed): the scenarios run reads before writes, and the status reads
 * pick among the N seeded eSIMs only, so what the orders add is never read.
 */
async function startServersFor(scenario: Scenario, context: StartContext): Promise<ServerGroup> {
  if (scenario.server !== 'sandbox') {
    const server = await (scenario.server === 'prism'
      ? startPrism(context.openapi, context.tmp)
      : startReference(scenario.server, context.tmp));
    return group([server]);
  }
  const seeded = scenario.store ? context.stores.get(scenario.store) : undefined;
  if (!seeded) throw new Error(`${scenario.id}: store ${scenario.store} was not seeded`);
  let databaseUrl = seeded.databaseUrl;
  if (!context.postgres) {
    const dbFile = join(context.tmp, 'serving.db');
    // A previous server closed cleanly has removed them; a killed one may not have.
    for (const suffix of ['-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
    copyFileSync(seeded.databaseUrl.slice('sqlite:'.length), dbFile);
    databaseUrl = `sqlite:${dbFile}`;
  }
  const servers: ServerProcess[] = [];
  try {
    for (let i = 1; i <= scenario.instances; i++) {
      servers.push(
        await startSandbox({
          databaseUrl,
          env: scenario.variant ? { [scenario.variant.variable]: scenario.variant.value } : {},
          reseller: RESELLER,
          apiKey: API_KEY,
          dir: context.tmp,
          cpuProfDir: context.profileDir,
          logName: `${scenario.name}-${i}.log`,
        }),
      );
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  return group(servers);
}

function group(servers: readonly ServerProcess[]): ServerGroup {
  return {
    pids: servers.map((s) => s.pid),
    baseUrls: servers.map((s) => s.baseUrl),
    peakRssMb: () => {
      const peaks = servers.flatMap((s) => (s.peakRssMb() === null ? [] : [s.peakRssMb()!]));
      return peaks.length > 0 ? Math.max(...peaks) : null;
    },
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

/**
 * Starts a fresh server, loads it, reads its peak RSS and stops it. A failure to start or
 * to load is recorded in the result (the other scenarios still run).
 */
async function runScenario(
  scenario: Scenario,
  start: () => Promise<ServerGroup>,
  storeEsims: number | null,
  options: BenchOptions,
  context: StartContext,
): Promise<ScenarioResult> {
  const result: ScenarioResult = {
    id: scenario.id,
    base: scenario.base,
    server: scenario.server,
    name: scenario.name,
    title: scenario.title,
    connections: scenario.connections,
    instances: scenario.instances,
    variant: scenario.variant,
    storeEsims,
    figures: null,
    probe: null,
    peakRssMb: null,
    cpu: null,
    serverUsPerRequest: null,
    databaseUsPerRequest: null,
    efficiency: null,
    error: null,
  };
  log(
    `- ${scenario.id}: ${scenario.title}, ${scenario.connections} connection${scenario.connections === 1 ? '' : 's'}`,
  );
  let server: ServerGroup | undefined;
  try {
    server = await start();
    const spec: LoadSpec = {
      baseUrls: server.baseUrls,
      request: scenario.request,
      headers: { authorization: `Bearer ${API_KEY}` },
      connections: scenario.connections,
      warmupS: options.warmupS,
      durationS: options.durationS,
    };
    const pids = server.pids;
    // The backends serving the sandbox are known only by asking PostgreSQL, which takes too
    // long to bracket the window: snapshot every postgres process, keep ours afterwards.
    const postgres =
      scenario.server === 'sandbox' && context.postgres && isLoopback(context.postgres.serverUrl)
        ? context.postgres
        : null;
    const snapshot = () => cpuSnapshot(pids, postgres ? pidsNamed('postgres') : []);
    let before: CpuSnapshot | null = null;
    let after: CpuSnapshot | null = null;
    const reply = await runLoad(spec, {
      measuring: () => (before = snapshot()),
      done: () => (after = snapshot()),
    });
    // Read before stopping: VmHWM disappears with the process.
    result.peakRssMb = server.peakRssMb();
    if (postgres) {
      const ours = await backendPids(postgres);
      before = onlyDatabasePids(before, ours);
      after = onlyDatabasePids(after, ours);
    }
    if (reply.ok) {
      result.figures = reply.figures;
      result.probe = reply.probe;
      result.cpu = cpuUsage(before, after, reply.figures.loadgenCpuS);
      Object.assign(result, costOf(result.cpu, reply.figures));
    } else {
      result.error = `load worker: ${reply.error}`;
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    await server?.stop();
  }
  const f = result.figures;
  const problems = problemsOf(result);
  log(
    (f
      ? `  ${Math.round(f.requestsPerSec).toLocaleString('en-US')} req/s, p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms` +
        (result.serverUsPerRequest === null ? '' : `, server ${result.serverUsPerRequest.toFixed(1)} µs/req`) +
        (result.databaseUsPerRequest === null ? '' : `, database ${result.databaseUsPerRequest.toFixed(1)} µs/req`)
      : '  no figures') +
      (result.peakRssMb === null ? '' : `, peak RSS ${result.peakRssMb.toFixed(0)} MB`) +
      (problems.length > 0 ? `\n  PROBLEM: ${problems.join('; ')}` : ''),
  );
  return result;
}

function exitCode(results: readonly ScenarioResult[], options: BenchOptions): number {
  const failed = results.filter((r) => (options.mode === 'quick' ? problemsOf(r).length > 0 : r.error !== null));
  for (const r of failed) process.stderr.write(`bench: scenario ${r.id} failed: ${problemsOf(r).join('; ')}\n`);
  return failed.length > 0 ? 1 : 0;
}

function machine(): Omit<RunReport['machine'], 'loadAverage1mEnd'> {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    platform: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    // Other work on the machine skews every figure: the report shows how busy it was.
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
  };
}

/** The commit measured, read-only git queries; nulls outside a git checkout. */
function codeVersion(): RunReport['code'] {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, uncommittedChanges: status.trim() !== '' };
  } catch {
    return { commit: null, uncommittedChanges: null };
  }
}

function versionOf(pkg: string): string {
  try {
    return (createRequire(join(ROOT, 'package.json'))(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
