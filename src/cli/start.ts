/**
 * `esim-sandbox start [--port] [--host] [--db] [--keys]`: the server, as `npm start` runs it,
 * with the same environment variables (docs/configuration.md); a flag wins over its variable.
 */
import type { CommandContext } from './context.js';

/**
 * `--db` as a DATABASE_URL: a URL (`sqlite:...`, `postgres://...`) as it is, `:memory:` for
 * an in-memory database, anything else a SQLite file path.
 */
export function databaseUrlOf(db: string): string {
  if (db === ':memory:') return 'sqlite::memory:';
  return /^(sqlite:|postgres(ql)?:\/\/)/.test(db) ? db : `sqlite:${db}`;
}

/** The environment the server runs with: the process's, with the flags' values on top. */
export function startEnv(context: CommandContext): NodeJS.ProcessEnv {
  const { port, host, db, keys } = context.values;
  return {
    ...context.io.env,
    ...(typeof port === 'string' ? { PORT: port } : {}),
    ...(typeof host === 'string' ? { HOST: host } : {}),
    ...(typeof db === 'string' ? { DATABASE_URL: databaseUrlOf(db) } : {}),
    ...(typeof keys === 'string' ? { SANDBOX_API_KEYS: keys } : {}),
  };
}

/** Resolves once the server listens; it then runs until SIGTERM or SIGINT (see serve.ts). */
export async function start(context: CommandContext): Promise<'running'> {
  const { serve } = await import('../serve.js');
  await serve(startEnv(context));
  return 'running';
}
