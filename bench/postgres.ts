/**
 * The PostgreSQL side of `--store postgres`: the run's schemas (named after the run, so
 * that runs and test suites sharing the server never meet), the URL the sandbox gets, the
 * backend processes serving it (for their CPU time) and the cleanup.
 */
import pg from 'pg';

/** What the harness knows of its PostgreSQL server. */
export interface BenchPostgres {
  /** `--pg-url`, without schema. */
  serverUrl: string;
  /** `application_name` of every sandbox connection of this run, which finds its backends. */
  applicationName: string;
  /** Prefix of the run's schemas: `bench_<pid>_<base-36 time>`. */
  schemaPrefix: string;
}

/** Names a run's schemas and connections after the harness's pid and start time. */
export function benchPostgres(serverUrl: string): BenchPostgres {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  return { serverUrl, applicationName: `esim_bench_${run}`, schemaPrefix: `bench_${run}` };
}

/**
 * The sandbox's `DATABASE_URL` for one of the run's schemas (`schema=` is the sandbox's
 * own parameter; `application_name` goes to pg and shows in pg_stat_activity).
 */
export function schemaUrl(bench: BenchPostgres, name: string): string {
  const url = new URL(bench.serverUrl);
  url.searchParams.set('schema', `${bench.schemaPrefix}_${name}`);
  url.searchParams.set('application_name', bench.applicationName);
  return url.toString();
}

/** Runs `body` with one client of the server (not in any of the run's schemas). */
async function withClient<T>(bench: BenchPostgres, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: bench.serverUrl, application_name: 'esim_bench_harness' });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** `SHOW server_version`, e.g. `16.4`. @throws Error when the server cannot be reached. */
export function serverVersion(bench: BenchPostgres): Promise<string> {
  return withClient(bench, async (client) => {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]?.server_version ?? 'unknown';
  });
}

/**
 * Pids of the backends serving this run's sandboxes right now (pg_stat_activity). They
 * are processes of this machine only when the server is on the loopback.
 */
export function backendPids(bench: BenchPostgres): Promise<Set<number>> {
  return withClient(bench, async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where application_name = $1',
      [bench.applicationName],
    );
    return new Set(rows.map((r) => r.pid));
  });
}

/** Drops every schema of the run (cleanup; errors are reported, not thrown). */
export async function dropSchemas(bench: BenchPostgres): Promise<string | null> {
  try {
    await withClient(bench, async (client) => {
      const { rows } = await client.query<{ nspname: string }>(
        'select nspname from pg_namespace where starts_with(nspname, $1)',
        [`${bench.schemaPrefix}_`],
      );
      for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
    });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** True when the URL's host is this machine, so that its backends' CPU can be read from /proc. */
export function isLoopback(serverUrl: string): boolean {
  const host = new URL(serverUrl).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '';
}
