/**
 * The harness's CPU accounting against real processes: a server's CPU time counts its own,
 * its live descendants' and its reaped children's, read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuSnapshot, cpuUsage, pidsNamed, readStat } from '../../bench/cpu.js';

// Burns `ms` of its own CPU time (measured, not wall time: a busy machine only makes it slower).
const burn = (ms: number) =>
  `const t = process.cpuUsage(); while ((process.cpuUsage(t).user + process.cpuUsage(t).system) / 1000 < ${ms}) {}`;

const started: ChildProcess[] = [];
afterEach(() => {
  // Each test process leads a process group of its own: this kills its children too.
  for (const child of started.splice(0)) process.kill(-child.pid!, 'SIGKILL');
});

/** A parent process that runs `childScript` in a child of its own, prints "done" when told by the child, then idles. */
function parentOf(childScript: string, waitForExit: boolean): ChildProcess {
  const parent = spawn(
    process.execPath,
    [
      '-e',
      `const { spawn } = require('node:child_process');
       const c = spawn(process.execPath, ['-e', ${JSON.stringify(childScript)}], { stdio: ['ignore', 'pipe', 'ignore'] });
       c.stdout.once('data', () => { if (!${waitForExit}) process.stdout.write('done\\n'); });
       c.once('exit', () => { if (${waitForExit}) process.stdout.write('done\\n'); });
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
  );
  started.push(parent);
  return parent;
}

async function untilDone(child: ChildProcess): Promise<void> {
  await once(child.stdout!, 'data');
}

describe.skipIf(process.platform !== 'linux')('bench CPU accounting (/proc)', () => {
  it('counts the CPU time of a live child of the server', async () => {
    // The child burns 300 ms, says so, and stays alive.
    const parent = parentOf(`${burn(300)}; process.stdout.write('x'); setInterval(() => {}, 1000);`, false);
    const before = cpuSnapshot([parent.pid!]);
    await untilDone(parent);
    const usage = cpuUsage(before, cpuSnapshot([parent.pid!]), 0);
    expect(usage).not.toBeNull();
    // The child started after `before`, so all of its time is in the window (10 ms ticks).
    expect(usage!.serverS).toBeGreaterThanOrEqual(0.29);
    expect(usage!.databaseS).toBeNull();
  });

  it('counts the CPU time of a child that has exited and been reaped', async () => {
    const parent = parentOf(`${burn(300)}; process.exit(0);`, true);
    const before = cpuSnapshot([parent.pid!]);
    await untilDone(parent);
    const after = cpuSnapshot([parent.pid!]);
    expect(readStat(parent.pid!).childTicks).toBeGreaterThanOrEqual(29);
    expect(cpuUsage(before, after, 0)!.serverS).toBeGreaterThanOrEqual(0.29);
  });

  it('reads database backends apart from the server, by pid', async () => {
    const backend = spawn(
      process.execPath,
      ['-e', `${burn(200)}; process.stdout.write('x'); setInterval(() => {}, 1000);`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        detached: true,
      },
    );
    started.push(backend);
    const idle = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
    started.push(idle);
    const before = cpuSnapshot([idle.pid!], [backend.pid!]);
    await once(backend.stdout, 'data');
    const usage = cpuUsage(before, cpuSnapshot([idle.pid!], [backend.pid!]), 0);
    expect(usage!.databaseS).toBeGreaterThanOrEqual(0.1);
    expect(usage!.serverS).toBe(0);
  });

  it('finds processes by command name', () => {
    const idle = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
    started.push(idle);
    expect(pidsNamed('sleep')).toContain(idle.pid);
    expect(pidsNamed('no-such-command-name')).toEqual([]);
  });

  it('gives no usage when a snapshot is missing (the server is gone)', () => {
    expect(cpuSnapshot([2 ** 22 + 12345])).toBeNull();
    expect(cpuUsage(null, null, 1)).toBeNull();
  });
});
