/**
 * Start-up messages for a database that cannot be opened: each names the cause (what the
 * driver reported, in words) and the fix (what to change), never a password. The raw
 * driver message follows in parentheses for a search engine.
 *
 * PostgreSQL causes come from the SQLSTATE codes of the server (PostgreSQL documentation,
 * Appendix A, "PostgreSQL Error Codes") or Node's socket errors; SQLite causes from
 * better-sqlite3's `SQLITE_*` codes (sqlite.org/rescode.html) and Node's file-system errors.
 */

/** An error as drivers throw them: a message and maybe a code (SQLSTATE, errno name or SQLITE_*). */
interface DriverError {
  message?: unknown;
  code?: unknown;
}

/** Where a PostgreSQL URL points, without its password: `user@host:port/database`. */
export interface PostgresTarget {
  user: string;
  host: string;
  port: string;
  database: string;
}

/** The parts of `postgres://user:password@host:port/database` a message may show. */
export function postgresTarget(url: string): PostgresTarget {
  const parsed = new URL(url);
  return {
    user: decodeURIComponent(parsed.username) || 'postgres',
    host: parsed.hostname || 'localhost',
    port: parsed.port || '5432',
    database:
      decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres',
  };
}

function parts(error: unknown): { code: string; message: string } {
  const e = (error ?? {}) as DriverError;
  return { code: typeof e.code === 'string' ? e.code : '', message: String(e.message ?? error) };
}

/**
 * The start-up message for a PostgreSQL connection that failed, or null when `error` is not
 * a connection failure (a migration's own SQL error, say), which the caller reports as is.
 * @param url the DATABASE_URL (its password is never shown).
 */
export function postgresConnectMessage(error: unknown, url: string): string | null {
  const { code, message } = parts(error);
  const t = postgresTarget(url);
  const at = `${t.host}:${t.port}`;
  const raw = ` (${message})`;
  switch (code) {
    case '3D000': // invalid_catalog_name
      return (
        `DATABASE_URL: the PostgreSQL server at ${at} has no database "${t.database}"${raw}. ` +
        `Create it (createdb -h ${t.host} -p ${t.port} -U ${t.user} ${t.database}, or CREATE DATABASE "${t.database}"), ` +
        'or set DATABASE_URL to an existing database: the sandbox creates its tables, not the database.'
      );
    case '28000': // invalid_authorization_specification: unknown role, or refused by pg_hba.conf
    case '28P01': // invalid_password
      return (
        `DATABASE_URL: the PostgreSQL server at ${at} refused user "${t.user}"${raw}. ` +
        'Check the user and password in DATABASE_URL (postgres://user:password@host:port/database; ' +
        "%-encode special characters of the password), and that the server's pg_hba.conf lets this user connect from here."
      );
    case '42501': // insufficient_privilege
      return (
        `DATABASE_URL: user "${t.user}" may not create tables in database "${t.database}" at ${at}${raw}. ` +
        `Grant it (GRANT CREATE ON SCHEMA public TO "${t.user}", or on the schema= given), or use a user that owns the database.`
      );
    case 'ECONNREFUSED':
      return (
        `DATABASE_URL: nothing accepts connections at ${at} (connection refused). ` +
        'Start PostgreSQL there, or correct the host and port in DATABASE_URL (PostgreSQL listens on 5432 by default).'
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DATABASE_URL: the host name "${t.host}" does not resolve (${code}). Correct the host in DATABASE_URL.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return (
        `DATABASE_URL: ${at} cannot be reached (${code}). ` +
        'Check the host and port in DATABASE_URL and that no firewall is in the way.'
      );
    default:
      if (/timeout expired|Connection terminated due to connection timeout/i.test(message))
        return (
          `DATABASE_URL: the PostgreSQL server at ${at} did not answer within 10 s${raw}. ` +
          'Check that it runs and that the host and port in DATABASE_URL are right.'
        );
      if (/self[- ]signed|certificate|SSL|TLS/i.test(message))
        return (
          `DATABASE_URL: the TLS connection to ${at} failed${raw}. ` +
          'Set sslmode= in DATABASE_URL to what the server expects (e.g. ?sslmode=disable for a local server).'
        );
      return null;
  }
}

/**
 * The start-up message for a SQLite file that cannot be created or opened.
 * @param url the DATABASE_URL as given (a file path holds no secret).
 * @param filename the file path of that URL.
 */
export function sqliteOpenMessage(error: unknown, url: string, filename: string): string {
  const { code, message } = parts(error);
  const raw = ` (${message})`;
  const fix =
    'Set DATABASE_URL=sqlite:<path> to a file in a folder this user may write (e.g. sqlite:./data/sandbox.db), or sqlite::memory:.';
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return `DATABASE_URL=${url}: the folder of ${filename} cannot be created, a part of its path is a file, not a folder${raw}. ${fix}`;
    case 'EACCES':
    case 'EPERM':
      return `DATABASE_URL=${url}: no permission to create the folder of ${filename}${raw}. ${fix}`;
    case 'EROFS':
      return `DATABASE_URL=${url}: ${filename} is on a read-only file system${raw}. ${fix}`;
    case 'SQLITE_CANTOPEN':
      return `DATABASE_URL=${url}: SQLite cannot open or create ${filename}: the path is a folder, or its folder is not writable by this user${raw}. ${fix}`;
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DIRECTORY':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return `DATABASE_URL=${url}: ${filename} (or its folder, where SQLite writes its -wal and -shm files) is read-only${raw}. Make both writable by this user, or: ${fix}`;
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `DATABASE_URL=${url}: ${filename} is not a SQLite database${raw}. Point DATABASE_URL at a new path (the sandbox creates the file) or at a sandbox database.`;
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return `DATABASE_URL=${url}: the disk holding ${filename} is full${raw}. Free some space, or: ${fix}`;
    default:
      return `DATABASE_URL=${url}: cannot open the SQLite file ${filename}${raw}. ${fix}`;
  }
}
