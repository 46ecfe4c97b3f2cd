/**
 * Plugin `background-work`: what each sandbox process does besides answering requests, tied
 * to the app's life. Once the app is ready it starts the webhook dispatcher (the outbox) and
 * a sweep that applies the clock rules real time made due (an activation deadline passing
 * unread), so that their webhook events go out within one sweep period; any instance may
 * sweep, the change re-checks in its transaction. It also runs the sweep of expired
 * sandboxes (src/service/sandbox-sweep.ts), safe on several instances too. On close (preClose: before the server and
 * the store close) the sweep stops and attempts in flight end first.
 */
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import type { AdminService } from '../../service/admin.js';
import { startSandboxSweep, type Sweep } from '../../service/sandbox-sweep.js';
import type { WebhookDispatcher } from '../../service/webhook-dispatcher.js';

export interface BackgroundWorkOptions {
  dispatcher: WebhookDispatcher;
  /** Applies the clock rules due by real time (and queues their webhook events). */
  sweep: () => Promise<void>;
  /** Time between two sweeps (ms). */
  sweepEveryMs: number;
  /** Deletes the sandboxes past their expiry (docs/admin.md), every `everyMs` ms. */
  sandboxSweep: { admin: AdminService; everyMs: number };
}

const register: FastifyPluginCallback<BackgroundWorkOptions> = (
  app,
  { dispatcher, sweep, sweepEveryMs, sandboxSweep },
  done,
) => {
  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  let sandboxes: Sweep | undefined;
  app.addHook('onReady', (next) => {
    sandboxes = startSandboxSweep(sandboxSweep.admin, sandboxSweep.everyMs, app.log);
    sweeper = setInterval(() => {
      sweeping = sweep().catch((error: unknown) =>
        app.log.warn({ err: error }, 'could not apply the clock rules due by real time'),
      );
    }, sweepEveryMs);
    sweeper.unref();
    dispatcher.start();
    next();
  });
  app.addHook('preClose', async () => {
    clearInterval(sweeper);
    await sweeping;
    await sandboxes?.stop();
    await dispatcher.stop();
  });
  done();
};

/** The `background-work` plugin (no dependencies); register it last. */
export const backgroundWorkPlugin = fp(register, { name: 'background-work', fastify: '5.x' });
