/**
 * CPU accounting of a measured run from /proc (Linux, proc(5)): the CPU time the server
 * spent (its processes and their children, and with PostgreSQL the database backends that
 * serve it), the load generator's, and how much of the machine went to everything else.
 * The server's CPU time per answered request is the benchmark's main figure: unlike
 * requests/s it hardly depends on how fast the load generator is, or on how much of the
 * machine other jobs took. The last figure says whether a run shared the machine.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc (USER_HZ, 100 on every mainstream Linux build). */
const TICKS_PER_S = 100;

/** CPU counters at one instant. */
export interface CpuSnapshot {
  /** performance.now(), ms. */
  atMs: number;
  /** Busy ticks of the whole machine, all CPUs (everything but idle and iowait). */
  machineBusy: number;
  /**
   * utime + stime ticks per process of the server: each root pid, its live descendants,
   * and the children it has reaped (cutime + cstime of the roots).
   */
  server: Map<number, number>;
  /** utime + stime ticks per database backend process serving the server (PostgreSQL); empty for SQLite. */
  database: Map<number, number>;
}

/** CPU used between two snapshots. */
export interface CpuUsage {
  /** The server processes, % of one core (a 2-core machine goes to 200); database backends not included. */
  server: number;
  loadgen: number;
  /** The rest of the machine (database backends excluded): other processes, and kernel work not charged to a process. */
  other: number;
  /** CPU time of the server processes in the window, s (10 ms resolution). */
  serverS: number;
  /** CPU time of the database backends in the window, s; null for SQLite (in the server process). */
  databaseS: number | null;
  /** Length of the window, s. */
  windowS: number;
}

/**
 * Counters now, or null where /proc cannot be read (not Linux, or a server is gone).
 * @param serverPids the server's processes (one per instance); their descendants count too.
 * @param databasePids database backends serving them (PostgreSQL), or none. A backend gone
 *   since is skipped (it counts up to its last snapshot).
 */
export function cpuSnapshot(serverPids: readonly number[], databasePids: readonly number[] = []): CpuSnapshot | null {
  try {
    const server = new Map<number, number>();
    const children = childrenByParent();
    for (const root of serverPids) {
      const stat = readStat(root);
      // Reaped children's time stays in the parent's cutime/cstime; keyed apart from live pids.
      server.set(root, stat.ticks);
      server.set(-root, stat.childTicks);
      for (const pid of descendants(root, children)) {
        const ticks = tryTicks(pid);
        if (ticks !== null) server.set(pid, ticks);
      }
    }
    const database = new Map<number, number>();
    for (const pid of databasePids) {
      const ticks = tryTicks(pid);
      if (ticks !== null) database.set(pid, ticks);
    }
    return { atMs: performance.now(), machineBusy: machineBusy(), server, database };
  } catch {
    return null;
  }
}

/**
 * Usage between two snapshots; null when either is missing. A process present only in the
 * later snapshot (a child or backend started during the window) counts from zero.
 * @param loadgenCpuS CPU time the load worker reported for the same window, s (it counts
 *   its own: it exits right after its reply, too soon to be read from outside).
 */
export function cpuUsage(before: CpuSnapshot | null, after: CpuSnapshot | null, loadgenCpuS: number): CpuUsage | null {
  if (!before || !after || after.atMs <= before.atMs) return null;
  const windowS = (after.atMs - before.atMs) / 1000;
  const ticks = windowS * TICKS_PER_S;
  const server = delta(before.server, after.server);
  const database = delta(before.database, after.database);
  const loadgen = loadgenCpuS * TICKS_PER_S;
  const other = after.machineBusy - before.machineBusy - server - database - loadgen;
  const pct = (n: number) => Math.round((Math.max(0, n) / ticks) * 100);
  return {
    server: pct(server),
    loadgen: pct(loadgen),
    other: pct(other),
    serverS: server / TICKS_PER_S,
    databaseS: after.database.size > 0 || before.database.size > 0 ? database / TICKS_PER_S : null,
    windowS,
  };
}

function delta(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, ticks] of after) total += Math.max(0, ticks - (before.get(pid) ?? 0));
  return total;
}

function machineBusy(): number {
  // First line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal guest guest_nice".
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

/** The fields of /proc/<pid>/stat the accounting needs. */
interface ProcStat {
  ppid: number;
  /** utime + stime. */
  ticks: number;
  /** cutime + cstime: waited-for children. */
  childTicks: number;
}

/**
 * Reads /proc/<pid>/stat.
 * @throws Error when the process does not exist (or /proc is missing).
 */
export function readStat(pid: number): ProcStat {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // proc(5) fields 4 (ppid), 14-17 (utime, stime, cutime, cstime): the 2nd and 12th-15th after the name.
  return {
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
    childTicks: Number(fields[13]) + Number(fields[14]),
  };
}

function tryTicks(pid: number): number | null {
  try {
    return readStat(pid).ticks;
  } catch {
    return null;
  }
}

/** Live processes by parent pid (one pass over /proc). */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let ppid: number;
    try {
      ppid = readStat(Number(name)).ppid;
    } catch {
      continue; // Exited meanwhile.
    }
    const list = children.get(ppid);
    if (list) list.push(Number(name));
    else children.set(ppid, [Number(name)]);
  }
  return children;
}

function descendants(root: number, children: ReadonlyMap<number, number[]>): number[] {
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * Pids of the processes whose command name (proc(5) `comm`, field 2 of stat) is `comm`,
 * e.g. every `postgres` process of a database server on this machine; empty without /proc.
 */
export function pidsNamed(comm: string): number[] {
  const found: number[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === comm) found.push(Number(name));
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

/** A snapshot whose database backends are narrowed to `pids` (those found to serve the server). */
export function onlyDatabasePids(snapshot: CpuSnapshot | null, pids: ReadonlySet<number>): CpuSnapshot | null {
  if (!snapshot) return null;
  return { ...snapshot, database: new Map([...snapshot.database].filter(([pid]) => pids.has(pid))) };
}
