/**
 * The sweep of expired sandboxes (docs/admin.md): every instance runs it on its own timer;
 * each deletion re-checks the expiry under a lock (ResellerRepository.deleteIfExpired), so
 * instances sweeping at once delete each sandbox once. A run never overlaps the previous one.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AdminService } from './admin.js';

/** A running sweep. */
export interface Sweep {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `admin.sweepExpiredSandboxes()` every `intervalMs` ms (the timer does not keep the
 * process alive). Logs each run that deleted something (info, with the names) and each
 * failure (warn); a failure waits for the next round.
 */
export function startSandboxSweep(admin: AdminService, intervalMs: number, log: FastifyBaseLogger): Sweep {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = admin
      .sweepExpiredSandboxes()
      .then(
        (names) => {
          if (names.length > 0) log.info({ sandboxes: names }, `deleted ${names.length} expired sandbox(es)`);
        },
        (error: unknown) => log.warn({ err: error }, 'could not delete the expired sandboxes'),
      )
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
