/**
 * Runs one load in a forked load worker (bench/load.ts) and waits for its figures. The
 * worker is killed if it overruns its time or the harness stops early.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './dist.js';
import type { LoadSpec, WorkerMessage, WorkerReply } from './load-types.js';

/** Slack on top of warm-up + duration before a worker is declared stuck, s (probe, start-up, autocannon's 10 s request timeout). */
const WORKER_SLACK_S = 60;

const workers = new Set<ChildProcess>();
process.on('exit', () => {
  for (const worker of workers) worker.kill('SIGKILL');
});

/** Called as the measured run starts (after warm-up) and as its figures arrive. */
export interface LoadHooks {
  measuring(): void;
  done(): void;
}

/**
 * Forks a load worker, sends it `spec` and resolves with its reply.
 * @param hooks run synchronously on the worker's messages, to bracket the measured run.
 * @throws Error when the worker dies or overruns without replying.
 */
export function runLoad(spec: LoadSpec, hooks: LoadHooks): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    // tsx as an import hook: the worker is TypeScript, and this keeps it one `node` process.
    const worker = fork(join(ROOT, 'bench', 'load.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    workers.add(worker);
    let reply: WorkerReply | undefined;
    const limitS = spec.warmupS + spec.durationS + WORKER_SLACK_S;
    const timer = setTimeout(() => {
      worker.kill('SIGKILL');
      reject(new Error(`load worker still running after ${limitS} s`));
    }, limitS * 1000);
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'measuring') {
        hooks.measuring();
      } else {
        hooks.done();
        reply = message.reply;
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      clearTimeout(timer);
      if (reply) resolve(reply);
      else reject(new Error(`load worker exited (${code ?? signal}) without figures`));
    });
    worker.send(spec);
  });
}

/** Kills every load worker still running (cleanup after a failure). */
export function killWorkers(): void {
  for (const worker of workers) worker.kill('SIGKILL');
}
