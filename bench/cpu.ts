/**
 * CPU accounting of a measured run from /proc (Linux): how busy the server and the load
 * generator were, and how much of the machine went to everything else. On a shared
 * 2-core machine the last figure says whether a run's numbers can be trusted: a ceiling
 * that lost a core to another job measures the job, not Node.js.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc (USER_HZ, 100 on every mainstream Linux build). */
const TICKS_PER_S = 100;

/** CPU counters at one instant. */
export interface CpuSnapshot {
  /** performance.now(), ms. */
  atMs: number;
  /** Busy ticks of the whole machine, all CPUs (everything but idle and iowait). */
  machineBusy: number;
  /** utime + stime ticks of the server process. */
  server: number;
}

/** CPU used between two snapshots, in % of one core (a 2-core machine goes to 200). */
export interface CpuUsage {
  server: number;
  loadgen: number;
  /** The rest of the machine: other processes, and kernel work not charged to a process. */
  other: number;
}

/** Counters now, or null where /proc cannot be read (not Linux, or the server is gone). */
export function cpuSnapshot(serverPid: number): CpuSnapshot | null {
  try {
    return { atMs: performance.now(), machineBusy: machineBusy(), server: processTicks(serverPid) };
  } catch {
    return null;
  }
}

/**
 * Usage between two snapshots; null when either is missing.
 * @param loadgenCpuS CPU time the load worker reported for the same window, s (it counts
 *   its own: it exits right after its reply, too soon to be read from outside).
 */
export function cpuUsage(before: CpuSnapshot | null, after: CpuSnapshot | null, loadgenCpuS: number): CpuUsage | null {
  if (!before || !after || after.atMs <= before.atMs) return null;
  const ticks = ((after.atMs - before.atMs) / 1000) * TICKS_PER_S;
  const server = after.server - before.server;
  const loadgen = loadgenCpuS * TICKS_PER_S;
  const other = after.machineBusy - before.machineBusy - server - loadgen;
  const pct = (n: number) => Math.round((Math.max(0, n) / ticks) * 100);
  return { server: pct(server), loadgen: pct(loadgen), other: pct(other) };
}

function machineBusy(): number {
  // First line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal guest guest_nice".
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) of proc(5) are the 12th and 13th after the name.
  return Number(fields[11]) + Number(fields[12]);
}
