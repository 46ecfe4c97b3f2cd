/** Polling with a deadline, for the client's wait helpers. Browser-safe. */

/** How long to wait and how often to look, in ms. */
export interface WaitOptions {
  /** Give up after this long; default 5000 ms. */
  timeoutMs?: number;
  /** Time between two looks; default 100 ms. */
  intervalMs?: number;
}

/**
 * Calls `look` until it returns something other than undefined, and returns that.
 * @throws Error naming `what` when `timeoutMs` passes first; errors of `look` propagate.
 */
export async function pollUntil<T>(
  what: string,
  look: () => Promise<T | undefined>,
  { timeoutMs = 5000, intervalMs = 100 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
